import { PropertyBag, toNumber } from '../mapping/mapping-expression';
import { StannaConfig } from './stanna-config';

/** Amount in `currency` → org currency; null when no rate is known (never a guess). */
export function toOrgCurrency(amount: number | null, currency: string | null | undefined, config: StannaConfig): number | null {
  if (amount === null) return null;
  const code = (currency || config.portalCurrency || config.orgCurrency).toUpperCase();
  if (code === config.orgCurrency) return amount;
  const rate = config.currencyRates[code];
  return rate ? amount * rate : null;
}

/** Amount in the portal's home currency → org currency. */
export function homeToOrgCurrency(amount: number | null, config: StannaConfig): number | null {
  return toOrgCurrency(amount, config.portalCurrency ?? config.orgCurrency, config);
}

/** HubSpot `recurringbillingfrequency` values → months per billing period. */
const FREQUENCY_MONTHS: Record<string, number> = {
  weekly: 12 / 52,
  biweekly: 12 / 26,
  monthly: 1,
  quarterly: 3,
  per_six_months: 6,
  semiannually: 6,
  annually: 12,
  per_two_years: 24,
  per_three_years: 36,
  per_four_years: 48,
  per_five_years: 60,
};

/** `hs_recurring_billing_period` is an ISO-8601 duration such as `P12M` or `P1Y` (the term). */
export function isoDurationMonths(value: string | null | undefined): number | null {
  if (!value) return null;
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/i.exec(value.trim());
  if (!m || (!m[1] && !m[2] && !m[3] && !m[4])) return null;
  const months = Number(m[1] ?? 0) * 12 + Number(m[2] ?? 0) + (Number(m[3] ?? 0) * 7 + Number(m[4] ?? 0)) / 30.4375;
  return months > 0 ? months : null;
}

export function isRecurringLineItem(p: PropertyBag): boolean {
  const freq = (p['recurringbillingfrequency'] ?? '').trim().toLowerCase();
  return (freq !== '' && freq !== 'one_time' && freq in FREQUENCY_MONTHS) || isoDurationMonths(p['hs_recurring_billing_period']) !== null;
}

/**
 * A recurring line item's monthly value in its own currency: HubSpot's `hs_mrr` when present, else
 * price × quantity per billing frequency (`recurringbillingfrequency`), else the amount over the term
 * (`hs_recurring_billing_period`). Null for one-time items.
 */
export function lineItemMonthlyValue(p: PropertyBag): number | null {
  if (!isRecurringLineItem(p)) return null;
  const mrr = toNumber(p['hs_mrr'] ?? null);
  if (mrr !== null) return mrr;
  const freqMonths = FREQUENCY_MONTHS[(p['recurringbillingfrequency'] ?? '').trim().toLowerCase()];
  const price = toNumber(p['price'] ?? null);
  const quantity = toNumber(p['quantity'] ?? null) ?? 1;
  if (freqMonths && price !== null) return (price * quantity) / freqMonths;
  const term = isoDurationMonths(p['hs_recurring_billing_period']);
  const amount = toNumber(p['amount'] ?? null);
  if (term && amount !== null) return amount / term;
  return null;
}

export interface DealRevenueInput {
  properties: PropertyBag;
  lineItems: PropertyBag[];
}

/**
 * A deal's monthly recurring contribution in org currency: its recurring line items (each converted
 * from its `hs_line_item_currency_code`), else the deal's `hs_mrr`, else `hs_arr / 12`. Null when the
 * deal carries nothing recurring (it is not a subscription deal).
 */
export function dealMrrContribution(input: DealRevenueInput, config: StannaConfig): number | null {
  const dealCurrency = input.properties['deal_currency_code'] ?? null;
  let sum = 0;
  let any = false;
  for (const li of input.lineItems) {
    const monthly = lineItemMonthlyValue(li);
    if (monthly === null) continue;
    const converted = toOrgCurrency(monthly, li['hs_line_item_currency_code'] ?? dealCurrency, config);
    if (converted === null) continue;
    sum += converted;
    any = true;
  }
  if (any) return round2(sum);
  const hsMrr = toNumber(input.properties['hs_mrr'] ?? null);
  if (hsMrr !== null) return nullableRound(toOrgCurrency(hsMrr, dealCurrency, config));
  const hsArr = toNumber(input.properties['hs_arr'] ?? null);
  if (hsArr !== null) return nullableRound(toOrgCurrency(hsArr / 12, dealCurrency, config));
  return null;
}

export interface ClientMrr {
  mrr: number | null;
  /** Which source gave it, e.g. `property:mrr`, `property:annual_recurring_revenue/12`, `deals`. */
  source: string | null;
}

/**
 * Client MRR (seed 002 "MRR Calculation"): the first usable source of `config.mrrSources` — company
 * properties (in the portal currency, divided as configured) or the sum of the client's active
 * subscription deals' contributions (already in org currency).
 */
export function clientMrr(company: PropertyBag, subscriptionDealMrr: number[], config: StannaConfig): ClientMrr {
  for (const source of config.mrrSources) {
    if (source.kind === 'deals') {
      if (subscriptionDealMrr.length) return { mrr: round2(subscriptionDealMrr.reduce((a, b) => a + b, 0)), source: 'deals' };
      continue;
    }
    const raw = toNumber(company[source.property] ?? null);
    if (raw === null) continue;
    const converted = homeToOrgCurrency(raw / source.divisor, config);
    if (converted === null) continue;
    return { mrr: round2(converted), source: source.divisor === 1 ? `property:${source.property}` : `property:${source.property}/${source.divisor}` };
  }
  return { mrr: null, source: null };
}

export function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function nullableRound(n: number | null): number | null {
  return n === null ? null : round2(n);
}
