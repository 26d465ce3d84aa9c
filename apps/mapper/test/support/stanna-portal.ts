import { HubspotAssociationBatchV1, HubspotRecordBatchV1, HubspotRecordV1 } from '@hubsync/contracts';
import { associationBatch, COMPANY_PROPERTIES, dealPipelines, Origin, owners, record, recordBatch, schemaMessage } from './portal-generator';

/** A generated portal exercising seed 002's mapping rules, with what each company should become. */
export interface GeneratedPortal {
  reference: { schemas: ReturnType<typeof schemaMessage>[]; pipelines: ReturnType<typeof dealPipelines>; owners: ReturnType<typeof owners> };
  records: HubspotRecordBatchV1[];
  associations: HubspotAssociationBatchV1[];
  expected: {
    clients: Map<string, { mrr: number | null; mrrSource: string | null; renewal: string | null; owner: string; status: string; domain: string }>;
    skippedCompanies: Map<string, string>;
    skippedContacts: Map<string, string>;
    contacts: Map<string, { name: string; company: string }>;
  };
}

const OWNERS = [
  { id: '501', firstName: 'Cara', lastName: 'Smith', email: 'cara@vendor.com' },
  { id: '502', firstName: 'Dev', lastName: 'Patel', email: 'dev@vendor.com' },
  { id: '503', firstName: 'Ana', lastName: 'Lima', email: 'ana@vendor.com' },
];
const STAGES = ['customer', 'lead', 'opportunity', 'evangelist', 'other'];
const STATUS: Record<string, string> = { customer: 'active', lead: 'prospect', opportunity: 'onboarding', evangelist: 'active', other: 'inactive' };
const DAY = 86_400_000;

export function generateStannaPortal(origin: Origin, companies = 60, now = new Date()): GeneratedPortal {
  const expected: GeneratedPortal['expected'] = { clients: new Map(), skippedCompanies: new Map(), skippedContacts: new Map(), contacts: new Map() };
  const companyRecords: HubspotRecordV1[] = [];
  const contactRecords: HubspotRecordV1[] = [];
  const dealRecords: HubspotRecordV1[] = [];
  const lineItems: HubspotRecordV1[] = [];
  const notes: HubspotRecordV1[] = [];
  const meetings: HubspotRecordV1[] = [];
  const contactCompany: [string, string][] = [];
  const dealCompany: [string, string][] = [];
  const dealLineItem: [string, string][] = [];
  const noteCompany: [string, string][] = [];
  const meetingCompany: [string, string][] = [];
  const meetingContact: [string, string][] = [];

  for (let i = 1; i <= companies; i++) {
    const id = String(1000 + i);
    const owner = OWNERS[i % 3];
    const stage = STAGES[i % STAGES.length];
    const props: Record<string, string | null> = {
      name: `Company ${i}`,
      domain: i % 4 === 0 ? `https://www.Company${i}.com/about` : `company${i}.com`,
      hubspot_owner_id: owner.id,
      lifecyclestage: stage,
      segment: i % 2 ? 'enterprise' : 'smb',
      contract_end_date: `2026-0${(i % 9) + 1}-15`,
    };
    if (i % 2 === 0) props['renewal_date'] = `2027-0${(i % 9) + 1}-01`;
    let mrr: number | null = null;
    let source: string | null = null;
    switch (i % 6) {
      case 0:
        props['mrr'] = String(100 * i);
        [mrr, source] = [100 * i, 'property:mrr'];
        break;
      case 1:
        props['annual_recurring_revenue'] = String(1200 * i);
        [mrr, source] = [100 * i, 'property:annual_recurring_revenue/12'];
        break;
      case 2:
        props['hs_mrr'] = String(50 * i);
        [mrr, source] = [50 * i, 'property:hs_mrr'];
        break;
      case 3:
        props['hs_arr'] = String(2400 * i);
        [mrr, source] = [200 * i, 'property:hs_arr/12'];
        break;
      case 4: {
        // MRR from the client's subscription deal's recurring line items: 2 × 100 monthly + 1,200 yearly = 300
        const dealId = String(9000 + i);
        dealRecords.push(record(dealId, { dealname: `Subscription ${i}`, pipeline: 'default', dealstage: 'closedwon', amount: '3600', deal_currency_code: 'USD', dealtype: 'newbusiness' }));
        dealCompany.push([dealId, id]);
        for (const [n, li] of [
          [1, { name: 'Seats', price: '100', quantity: '2', recurringbillingfrequency: 'monthly' }],
          [2, { name: 'Platform', price: '1200', quantity: '1', recurringbillingfrequency: 'annually' }],
          [3, { name: 'Onboarding', price: '5000', quantity: '1' }],
        ] as const) {
          const liId = String(70000 + i * 10 + n);
          lineItems.push(record(liId, { ...li }));
          dealLineItem.push([dealId, liId]);
        }
        [mrr, source] = [300, 'deals'];
        break;
      }
      default:
        break; // no revenue anywhere
    }
    const domain = `company${i}.com`; // what the domain normalises to, whichever way it was written
    if (i % 10 === 9) {
      props['domain'] = null;
      expected.skippedCompanies.set(id, 'missing_domain');
    } else if (i === 13) {
      props['mrr'] = '-50';
      expected.skippedCompanies.set(id, 'mrr_out_of_range');
    } else {
      expected.clients.set(id, {
        mrr,
        mrrSource: source,
        renewal: i % 2 === 0 ? `2027-0${(i % 9) + 1}-01` : `2026-0${(i % 9) + 1}-15`,
        owner: `${owner.firstName} ${owner.lastName}`,
        status: STATUS[stage],
        domain,
      });
    }
    companyRecords.push(record(id, props, new Date(now.getTime() - DAY).toISOString(), { createdAt: new Date(Date.UTC(2023, 0, i)).toISOString() }));

    // contacts: two per company, one per ten with a broken email
    for (const n of [1, 2]) {
      const cid = String(20000 + i * 10 + n);
      const bad = n === 2 && i % 10 === 0;
      contactRecords.push(record(cid, { email: bad ? `person${n}(at)company${i}` : `person${n}@company${i}.com`, firstname: `First${n}`, lastname: `Last${i}`, jobtitle: n === 1 ? 'CTO' : 'Buyer', company: `Company ${i}` }));
      if (bad) expected.skippedContacts.set(cid, 'invalid_email');
      else expected.contacts.set(cid, { name: `First${n} Last${i}`, company: id });
      contactCompany.push([cid, id]);
    }
    // activities: a recent positive note for even companies, a meeting for every third (missed unless i % 6 == 0)
    if (i % 2 === 0) {
      const nid = String(40000 + i);
      notes.push(record(nid, { hs_timestamp: new Date(now.getTime() - 2 * DAY).toISOString(), hs_note_body: '<p>Great call, the team is happy and excited about the rollout</p>' }));
      noteCompany.push([nid, id]);
    }
    if (i % 3 === 0) {
      const mid = String(50000 + i);
      meetings.push(record(mid, { hs_timestamp: new Date(now.getTime() - 10 * DAY).toISOString(), hs_meeting_title: 'QBR', hs_meeting_outcome: i % 6 === 0 ? 'COMPLETED' : 'NO_SHOW' }));
      meetingCompany.push([mid, id]);
      meetingContact.push([mid, String(20000 + i * 10 + 1)]);
    }
  }
  // A later company reusing company 1's domain: a duplicate (company 1 was created first).
  const dup = String(1000 + companies + 1);
  companyRecords.push(record(dup, { name: 'Company 1 (dup)', domain: 'WWW.company1.com', hubspot_owner_id: '501', lifecyclestage: 'customer' }, new Date(now.getTime() - DAY).toISOString(), { createdAt: '2024-06-01T00:00:00.000Z' }));
  expected.skippedCompanies.set(dup, 'duplicate_domain');
  // A contact with no associated company: its `company` property names client 2.
  contactRecords.push(record('29999', { email: 'loner@company2.com', firstname: 'Lone', lastname: 'Ranger', company: 'company 2' }));
  expected.contacts.set('29999', { name: 'Lone Ranger', company: '1002' });
  // A churned renewal for company 2.
  dealRecords.push(record('9900', { dealname: 'Renewal 2', pipeline: 'renewals', dealstage: 'churned', amount: '1000' }));
  dealCompany.push(['9900', String(1002)]);

  const chunk = <T>(list: T[], size: number) => Array.from({ length: Math.ceil(list.length / size) }, (_, k) => list.slice(k * size, (k + 1) * size));
  const records = [
    ...chunk(companyRecords, 25).map((c) => recordBatch(origin, 'companies', c)),
    ...chunk(contactRecords, 40).map((c) => recordBatch(origin, 'contacts', c)),
    recordBatch(origin, 'deals', dealRecords),
    recordBatch(origin, 'line_items', lineItems),
    recordBatch(origin, 'notes', notes),
    recordBatch(origin, 'meetings', meetings),
  ];
  const associations = [
    associationBatch(origin, 'contacts', 'companies', contactCompany, { typeId: 1 }),
    associationBatch(origin, 'deals', 'companies', dealCompany, { typeId: 5 }),
    associationBatch(origin, 'deals', 'line_items', dealLineItem, { typeId: 19 }),
    associationBatch(origin, 'notes', 'companies', noteCompany, { typeId: 190 }),
    associationBatch(origin, 'meetings', 'companies', meetingCompany, { typeId: 188 }),
    associationBatch(origin, 'meetings', 'contacts', meetingContact, { typeId: 200 }),
  ];
  return {
    reference: {
      schemas: [schemaMessage(origin, 'companies', COMPANY_PROPERTIES)],
      pipelines: dealPipelines(origin),
      owners: owners(origin, OWNERS),
    },
    records,
    associations,
    expected,
  };
}
