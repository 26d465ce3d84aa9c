/**
 * The read-only calls the live contract check makes against both HubSpot and the sandbox. Ids
 * come from each side's own first list result, so the two portals need not share data.
 */
export interface ContractCall {
  name: string;
  method: 'GET' | 'POST';
  path: (ids: ContractIds) => string | null;
  body?: (ids: ContractIds) => unknown;
  /** Send an invalid token (checks the 401 shape). */
  badToken?: boolean;
}

export interface ContractIds {
  contactId?: string;
  companyId?: string;
  dealId?: string;
  token: string;
}

export const CONTRACT_CALLS: ContractCall[] = [
  { name: 'list contacts', method: 'GET', path: () => '/crm/v3/objects/contacts?limit=5&properties=email,firstname&associations=companies' },
  { name: 'list companies', method: 'GET', path: () => '/crm/v3/objects/companies?limit=5&properties=name,domain' },
  { name: 'list deals', method: 'GET', path: () => '/crm/v3/objects/deals?limit=5&properties=dealname,amount,dealstage,pipeline' },
  { name: 'archived contacts', method: 'GET', path: () => '/crm/v3/objects/contacts?limit=5&archived=true' },
  { name: 'get contact with history', method: 'GET', path: (ids) => (ids.contactId ? `/crm/v3/objects/contacts/${ids.contactId}?propertiesWithHistory=email&associations=companies` : null) },
  { name: 'get missing contact', method: 'GET', path: () => '/crm/v3/objects/contacts/1' },
  { name: 'batch read contacts', method: 'POST', path: (ids) => (ids.contactId ? '/crm/v3/objects/contacts/batch/read' : null), body: (ids) => ({ inputs: [{ id: ids.contactId }, { id: '1' }], properties: ['email'] }) },
  {
    name: 'search contacts', method: 'POST', path: () => '/crm/v3/objects/contacts/search',
    body: () => ({ filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: '0' }] }], sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }], properties: ['email'], limit: 5 }),
  },
  { name: 'search with too many groups', method: 'POST', path: () => '/crm/v3/objects/contacts/search', body: () => ({ filterGroups: Array.from({ length: 6 }, () => ({ filters: [{ propertyName: 'email', operator: 'HAS_PROPERTY' }] })) }) },
  { name: 'contact properties', method: 'GET', path: () => '/crm/v3/properties/contacts' },
  { name: 'deal pipelines', method: 'GET', path: () => '/crm/v3/pipelines/deals' },
  { name: 'owners', method: 'GET', path: () => '/crm/v3/owners/?limit=5' },
  { name: 'custom schemas', method: 'GET', path: () => '/crm/v3/schemas' },
  { name: 'associations batch read', method: 'POST', path: (ids) => (ids.companyId ? '/crm/v4/associations/companies/contacts/batch/read' : null), body: (ids) => ({ inputs: [{ id: ids.companyId }] }) },
  { name: 'associations of a company', method: 'GET', path: (ids) => (ids.companyId ? `/crm/v4/objects/companies/${ids.companyId}/associations/contacts?limit=5` : null) },
  { name: 'account details', method: 'GET', path: () => '/account-info/v3/details' },
  { name: 'daily usage', method: 'GET', path: () => '/account-info/v3/api-usage/daily/private-apps' },
  { name: 'unknown token', method: 'GET', path: () => '/crm/v3/objects/contacts?limit=1', badToken: true },
];
