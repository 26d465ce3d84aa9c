import { PipelineDirectory } from './pipeline-stages';
import { mapCompanyToClient, ClientContext } from './client-mapping';
import { mapDeal } from './deal-mapping';
import { mapContactToStakeholder, engagementLevel } from './stakeholder-mapping';
import { clientMrr, dealMrrContribution, isoDurationMonths, lineItemMonthlyValue } from './revenue';
import { DEFAULT_STANNA_CONFIG, resolveStannaConfig } from './stanna-config';

const config = DEFAULT_STANNA_CONFIG;

function ctx(over: Partial<ClientContext> = {}): ClientContext {
  return {
    config,
    statusMap: config.lifecycleStatusMap,
    owners: new Map([['77', { name: 'Cara Smith', email: 'cara@vendor.com' }]]),
    subscriptionDealMrr: [],
    customProperties: new Set(['mrr', 'renewal_date', 'contract_end_date', 'segment', 'is_partner', 'regions']),
    mappings: [],
    ...over,
  };
}

describe('stanna config', () => {
  it('merges org overrides over seed-002 defaults', () => {
    const c = resolveStannaConfig({ orgCurrency: 'EUR', currencyRates: { USD: 0.9 }, lifecycleStatusMap: { customer: 'live' } });
    expect(c.orgCurrency).toBe('EUR');
    expect(c.lifecycleStatusMap['customer']).toBe('live');
    expect(c.lifecycleStatusMap['lead']).toBe('prospect');
    expect(c.renewalDateProperties).toEqual(['renewal_date', 'contract_end_date']);
  });

  it('names the bad field', () => {
    expect(() => resolveStannaConfig({ orgCurrency: 'euro' })).toThrow('stanna config: orgCurrency must be a 3-letter ISO currency code');
    expect(() => resolveStannaConfig({ mrrSources: [{ kind: 'property', property: 'x', divisor: 0 }] })).toThrow('mrrSources[0].divisor');
    expect(() => resolveStannaConfig({ health: { weights: { recency: -1 } } })).toThrow('health.weights.recency');
    expect(() => resolveStannaConfig({ maxMonthlyRevenue: 1e20 })).toThrow('maxMonthlyRevenue must be a positive number up to 1e15');
  });
});

describe('MRR', () => {
  it('prefers mrr, then annual_recurring_revenue / 12, then hs_mrr, hs_arr / 12, hs_acv / 12, then deals', () => {
    expect(clientMrr({ mrr: '500', annual_recurring_revenue: '12000' }, [], config)).toEqual({ mrr: 500, source: 'property:mrr' });
    expect(clientMrr({ annual_recurring_revenue: '12000' }, [], config)).toEqual({ mrr: 1000, source: 'property:annual_recurring_revenue/12' });
    expect(clientMrr({ hs_mrr: '250' }, [], config)).toEqual({ mrr: 250, source: 'property:hs_mrr' });
    expect(clientMrr({ hs_arr: '2400' }, [], config)).toEqual({ mrr: 200, source: 'property:hs_arr/12' });
    expect(clientMrr({ hs_acv: '1200' }, [], config)).toEqual({ mrr: 100, source: 'property:hs_acv/12' });
    expect(clientMrr({}, [100, 50.5], config)).toEqual({ mrr: 150.5, source: 'deals' });
    expect(clientMrr({ mrr: 'n/a' }, [], config)).toEqual({ mrr: null, source: null });
  });

  it('converts company revenue from the portal currency and refuses to guess a missing rate', () => {
    const eur = resolveStannaConfig({ orgCurrency: 'EUR', portalCurrency: 'USD', currencyRates: { USD: 0.5 } });
    expect(clientMrr({ mrr: '100' }, [], eur)).toEqual({ mrr: 50, source: 'property:mrr' });
    const noRate = resolveStannaConfig({ orgCurrency: 'EUR', portalCurrency: 'GBP' });
    expect(clientMrr({ mrr: '100' }, [], noRate)).toEqual({ mrr: null, source: null });
  });

  it('values recurring line items per billing frequency or term', () => {
    expect(isoDurationMonths('P1Y')).toBe(12);
    expect(isoDurationMonths('P18M')).toBe(18);
    expect(isoDurationMonths('12 months')).toBeNull();
    expect(lineItemMonthlyValue({ recurringbillingfrequency: 'annually', price: '1200', quantity: '2' })).toBe(200);
    expect(lineItemMonthlyValue({ recurringbillingfrequency: 'quarterly', price: '300' })).toBe(100);
    expect(lineItemMonthlyValue({ hs_recurring_billing_period: 'P24M', amount: '4800' })).toBe(200);
    expect(lineItemMonthlyValue({ recurringbillingfrequency: 'monthly', hs_mrr: '99', price: '1' })).toBe(99);
    expect(lineItemMonthlyValue({ price: '500', quantity: '1' })).toBeNull();
  });

  it('sums a deal contribution from its recurring line items, else hs_mrr / hs_arr', () => {
    const usd = resolveStannaConfig({ currencyRates: { EUR: 2 } });
    expect(
      dealMrrContribution(
        { properties: { deal_currency_code: 'USD', hs_mrr: '999' }, lineItems: [{ recurringbillingfrequency: 'monthly', price: '10', hs_line_item_currency_code: 'EUR' }, { price: '1000' }] },
        usd,
      ),
    ).toBe(20);
    expect(dealMrrContribution({ properties: { hs_arr: '1200' }, lineItems: [] }, usd)).toBe(100);
    expect(dealMrrContribution({ properties: { amount: '1200' }, lineItems: [] }, usd)).toBeNull();
  });
});

describe('mapCompanyToClient', () => {
  it('maps seed-002 standard fields', () => {
    const r = mapCompanyToClient(
      '1',
      {
        name: 'Acme',
        domain: 'https://www.Acme.io/home',
        annual_recurring_revenue: '24000',
        contract_end_date: '2025-06-30',
        hubspot_owner_id: '77',
        lifecyclestage: 'customer',
        segment: 'enterprise',
        is_partner: 'true',
        regions: 'emea;apac',
      },
      ctx(),
    );
    expect(r).toEqual({
      ok: true,
      invalidFields: [],
      client: {
        company_id: '1',
        name: 'Acme',
        domain: 'acme.io',
        mrr: 2000,
        mrr_source: 'property:annual_recurring_revenue/12',
        currency: 'USD',
        renewal_date: '2025-06-30',
        csm_owner_id: '77',
        csm_owner_name: 'Cara Smith',
        csm_owner_email: 'cara@vendor.com',
        lifecycle_stage: 'customer',
        status: 'active',
        tags: ['is_partner', 'regions:apac', 'regions:emea', 'segment:enterprise'],
        custom_fields: {},
      },
    });
  });

  it('prefers renewal_date over contract_end_date and accepts epoch millis', () => {
    const a = mapCompanyToClient('1', { domain: 'a.com', renewal_date: '1735603200000', contract_end_date: '2025-06-30' }, ctx());
    expect(a.ok && a.client.renewal_date).toBe('2024-12-31');
  });

  it('skips companies without a valid domain and absurd MRR, with reasons', () => {
    expect(mapCompanyToClient('1', { name: 'No domain' }, ctx())).toEqual({ ok: false, skip: expect.objectContaining({ rule: 'missing_domain' }) });
    expect(mapCompanyToClient('1', { domain: 'not a domain' }, ctx())).toEqual({ ok: false, skip: expect.objectContaining({ rule: 'invalid_domain' }) });
    expect(mapCompanyToClient('1', { domain: 'a.com', mrr: '-5' }, ctx())).toEqual({ ok: false, skip: expect.objectContaining({ rule: 'mrr_out_of_range' }) });
    expect(mapCompanyToClient('1', { domain: 'a.com', mrr: '99999999999' }, ctx())).toEqual({ ok: false, skip: expect.objectContaining({ rule: 'mrr_out_of_range' }) });
  });

  it('lets a property mapping override a standard field, and the status table override the defaults', () => {
    const r = mapCompanyToClient(
      '1',
      { domain: 'a.com', arr_eur: '1200', lifecyclestage: 'customer' },
      ctx({
        mappings: [{ targetEntity: 'stanna.client', targetField: 'mrr', source: { divide: ['arr_eur', { literal: 12 }] } }],
        statusMap: { ...config.lifecycleStatusMap, customer: 'live' },
      }),
    );
    expect(r.ok && [r.client.mrr, r.client.mrr_source, r.client.status]).toEqual([100, 'mapping', 'live']);
  });

  it('falls back to deals when the company carries no revenue', () => {
    const r = mapCompanyToClient('1', { domain: 'a.com' }, ctx({ subscriptionDealMrr: [40, 60] }));
    expect(r.ok && [r.client.mrr, r.client.mrr_source]).toEqual([100, 'deals']);
  });
});

describe('mapContactToStakeholder', () => {
  it('maps email, name, title and the company property', () => {
    expect(mapContactToStakeholder('9', { email: 'Ada@Acme.io', firstname: 'Ada', lastname: 'Lovelace', jobtitle: 'CTO', company: 'Acme' }, config, [])).toEqual({
      ok: true,
      invalidFields: [],
      stakeholder: { contact_id: '9', email: 'ada@acme.io', name: 'Ada Lovelace', title: 'CTO', company_name: 'Acme', custom_fields: {} },
    });
  });

  it('skips contacts without a valid email', () => {
    expect(mapContactToStakeholder('9', { firstname: 'A' }, config, [])).toEqual({ ok: false, skip: expect.objectContaining({ rule: 'missing_email' }) });
    expect(mapContactToStakeholder('9', { email: 'ada(at)acme' }, config, [])).toEqual({ ok: false, skip: expect.objectContaining({ rule: 'invalid_email' }) });
    const lax = resolveStannaConfig({ requireStakeholderEmail: false });
    expect(mapContactToStakeholder('9', { firstname: 'A' }, lax, []).ok).toBe(true);
  });

  it('grades engagement', () => {
    expect(engagementLevel({ activities30d: 4, activities90d: 6, emailOpens: 0, emailClicks: 0, emailReplies: 0 }, config).level).toBe('high');
    expect(engagementLevel({ activities30d: 0, activities90d: 2, emailOpens: 2, emailClicks: 1, emailReplies: 0 }, config).level).toBe('medium');
    expect(engagementLevel({ activities30d: 0, activities90d: 1, emailOpens: 0, emailClicks: 0, emailReplies: 0 }, config).level).toBe('low');
    expect(engagementLevel({ activities30d: 0, activities90d: 0, emailOpens: 0, emailClicks: 0, emailReplies: 0 }, config).level).toBe('none');
  });
});

describe('mapDeal', () => {
  const stages = (entries: [string, string, number, number, boolean][]) => new Map(entries.map(([id, label, order, p, closed]) => [id, { id, label, displayOrder: order, probability: p, isClosed: closed }]));
  const pipelines: PipelineDirectory = new Map([
    ['default', { id: 'default', label: 'Sales Pipeline', stages: stages([['qualified', 'Qualified', 1, 0.2, false], ['contract', 'Contract Sent', 3, 0.8, false], ['closedwon', 'Closed Won', 5, 1, true], ['closedlost', 'Closed Lost', 6, 0, true]]) }],
    ['renewals', { id: 'renewals', label: 'Renewals Pipeline', stages: stages([['r_open', 'Renewal Due', 0, 0.5, false], ['r_lost', 'Churned', 2, 0, true]]) }],
  ]);
  const base = { config, pipelines, lineItems: [], mappings: [] };

  it('maps pipeline, stage labels, probability from stage metadata, amounts and kinds', () => {
    const r = mapDeal('5', { dealname: 'Upsell', pipeline: 'default', dealstage: 'contract', amount: '1000', deal_currency_code: 'usd', closedate: '2025-01-31T00:00:00Z', dealtype: 'existingbusiness', hs_arr: '12000' }, base);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.deal).toMatchObject({
      pipeline_label: 'Sales Pipeline',
      stage_label: 'Contract Sent',
      probability: 0.8,
      amount: 1000,
      currency: 'USD',
      amount_org: 1000,
      close_date: '2025-01-31T00:00:00.000Z',
      deal_kind: 'expansion',
      mrr_contribution: 1000,
      is_closed: false,
      churn_risk: 'low',
      renewal_probability: null,
    });
  });

  it('treats renewal pipelines as renewals and flags closed-lost renewals as high churn risk', () => {
    const r = mapDeal('6', { pipeline: 'renewals', dealstage: 'r_lost', dealtype: 'newbusiness' }, base);
    expect(r.ok && [r.deal.deal_kind, r.deal.is_lost, r.deal.churn_risk, r.deal.churn_reasons, r.deal.renewal_probability]).toEqual(['renewal', true, 'high', ['closed_lost_renewal'], 0]);
  });

  it('counts stage regressions from the stage history', () => {
    const history = [
      { value: 'qualified', timestamp: '2024-04-01T00:00:00Z' },
      { value: 'contract', timestamp: '2024-03-01T00:00:00Z' },
      { value: 'qualified', timestamp: '2024-02-01T00:00:00Z' },
    ];
    const r = mapDeal('7', { pipeline: 'default', dealstage: 'qualified' }, { ...base, stageHistory: history });
    expect(r.ok && r.deal.stage_history?.map((h) => h.stage_label)).toEqual(['Qualified', 'Contract Sent', 'Qualified']);
    expect(r.ok && [r.deal.stage_regressions, r.deal.churn_risk]).toEqual([1, 'medium']);
  });

  it('falls back to hs_deal_stage_probability, prefers amount_in_home_currency, and skips negative amounts', () => {
    const r = mapDeal('8', { dealstage: 'unknown', hs_deal_stage_probability: '0.3', amount: '100', deal_currency_code: 'EUR', amount_in_home_currency: '110' }, base);
    expect(r.ok && [r.deal.probability, r.deal.amount_org]).toEqual([0.3, 110]);
    expect(mapDeal('9', { amount: '-1' }, base)).toEqual({ ok: false, skip: expect.objectContaining({ rule: 'negative_amount' }) });
  });
});
