import { catalogDisplayName, mapCompanyToParty, mapContactToExanteContact, mapDealToDocument } from './exante-mapping';
import { dealInScope, exanteScopeFromJob } from './exante-scope';

describe('exante scope (seed 000: mode and deal_stages)', () => {
  it('reads a job row', () => {
    expect(exanteScopeFromJob('catalog_only', { dealStages: ['closedwon'] })).toEqual({ mode: 'catalog_only', dealStages: ['closedwon'] });
    expect(exanteScopeFromJob('full', {})).toEqual({ mode: 'full', dealStages: null });
    expect(exanteScopeFromJob(null, {})).toBeNull();
  });

  it('keeps only deals in the requested stages', () => {
    expect(dealInScope('closedwon', { mode: 'full', dealStages: ['closedwon'] })).toBe(true);
    expect(dealInScope('appointmentscheduled', { mode: 'full', dealStages: ['closedwon'] })).toBe(false);
    expect(dealInScope(null, { mode: 'full', dealStages: null })).toBe(true);
  });
});

describe('exante mapping', () => {
  it('maps deals, companies and contacts', () => {
    expect(mapDealToDocument('1', { dealname: 'Deal', amount: '10', deal_currency_code: 'eur', dealstage: 'closedwon', pipeline: 'default', closedate: '2025-01-01' }, [])).toEqual({
      deal_id: '1', title: 'Deal', amount: 10, currency: 'EUR', pipeline_id: 'default', stage_id: 'closedwon', close_date: '2025-01-01T00:00:00.000Z', custom_fields: {},
    });
    expect(mapCompanyToParty('2', { name: 'Acme', domain: 'WWW.acme.io', industry: 'SOFTWARE' }, []).domain).toBe('acme.io');
    expect(mapContactToExanteContact('3', { email: 'A@B.io', firstname: 'A', lastname: 'B' }, [{ targetEntity: 'exante.contact', targetField: 'job_title', source: { literal: 'Buyer' } }])).toMatchObject({
      email: 'a@b.io', first_name: 'A', last_name: 'B', job_title: 'Buyer',
    });
  });

  it('names catalog entries', () => {
    expect(catalogDisplayName('deals', '1', { dealname: 'Big deal' })).toBe('Big deal');
    expect(catalogDisplayName('companies', '2', { domain: 'acme.io' })).toBe('acme.io');
    expect(catalogDisplayName('contacts', '3', { firstname: 'Ada', lastname: 'L' })).toBe('Ada L');
    expect(catalogDisplayName('contacts', '4', {})).toBe('Contact 4');
  });
});
