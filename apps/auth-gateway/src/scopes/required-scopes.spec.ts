import { missingScopes, parseObjectTypeList, requestedScopes, scopePlanFor, UnknownObjectTypeError } from './required-scopes';

describe('scopePlanFor', () => {
  it('requires each synced object type’s read scope plus owners, and asks for schemas optionally', () => {
    const plan = scopePlanFor(['contacts', 'companies', 'deals', 'tickets']);
    expect(requestedScopes(plan)).toEqual([
      'crm.objects.contacts.read',
      'crm.objects.companies.read',
      'crm.objects.deals.read',
      'tickets',
      'crm.objects.owners.read',
    ]);
    expect(plan.optional).toEqual([
      'crm.schemas.contacts.read',
      'crm.schemas.companies.read',
      'crm.schemas.deals.read',
      'crm.objects.custom.read',
      'crm.schemas.custom.read',
    ]);
  });

  it('de-duplicates scopes shared by several types (engagements read through contacts)', () => {
    const plan = scopePlanFor(['contacts', 'calls', 'notes', 'meetings', 'tasks', 'emails']);
    expect(requestedScopes(plan)).toEqual(['crm.objects.contacts.read', 'sales-email-read', 'crm.objects.owners.read']);
  });

  it('makes the custom object scopes required when a custom object type is synced', () => {
    const plan = scopePlanFor(['2-1234567', 'p123_cars']);
    expect(requestedScopes(plan)).toEqual(['crm.objects.owners.read', 'crm.objects.custom.read', 'crm.schemas.custom.read']);
    expect(plan.optional).toEqual([]);
  });

  it('requests e-commerce for line items and products', () => {
    expect(requestedScopes(scopePlanFor(['line_items', 'products']))).toEqual(['e-commerce', 'crm.objects.owners.read']);
  });

  it('rejects an unknown object type by name', () => {
    expect(() => scopePlanFor(['contacts', 'widgets'])).toThrow(UnknownObjectTypeError);
    expect(() => scopePlanFor(['widgets'])).toThrow(/"widgets"/);
  });
});

describe('missingScopes', () => {
  const plan = scopePlanFor(['contacts', 'companies', 'tickets', 'line_items']);

  it('names every required scope that was not granted', () => {
    expect(missingScopes(plan, ['crm.objects.contacts.read', 'crm.objects.owners.read'])).toEqual([
      'crm.objects.companies.read',
      'tickets',
      'e-commerce',
    ]);
  });

  it('accepts an alternative scope that grants the same access', () => {
    const granted = ['crm.objects.contacts.read', 'crm.objects.companies.read', 'tickets', 'crm.objects.line_items.read', 'crm.objects.owners.read'];
    expect(missingScopes(plan, granted)).toEqual([]);
  });

  it('never reports optional scopes as missing', () => {
    const granted = requestedScopes(plan);
    expect(missingScopes(plan, granted)).toEqual([]);
  });
});

describe('parseObjectTypeList', () => {
  it('trims, drops empties and de-duplicates', () => {
    expect(parseObjectTypeList(' contacts,companies,, contacts ')).toEqual(['contacts', 'companies']);
  });
});
