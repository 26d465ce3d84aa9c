import { DEFAULT_SEARCH_LIMITS, SearchLimits } from '../crm/search/search-request';
import { validationError } from '../http/hubspot-error';

/**
 * Realism knobs. Global values come from the environment and `/__admin/knobs`; a portal may
 * override any of them (`/__admin/portals/{id}/knobs`).
 */
export interface Knobs {
  /** Rate limits (burst, daily, search 5/s). HubSpot behaviour, so on by default. */
  limitsEnabled: boolean;
  /** A write becomes visible to search after a random delay in [0, N] s; get/list/batch see it at once. */
  searchLagMaxSeconds: number;
  /** Log-normal latency: median and 99th percentile in ms (0 = none). */
  latencyMedianMs: number;
  latencyP99Ms: number;
  /** Probability of each injected status. */
  errorRates: { '500': number; '502': number; '503': number; '504': number };
  /** Probability of destroying the connection without an answer. */
  resetRate: number;
  /** 502/503/504 as HTML (what a gateway in front of HubSpot sends) instead of JSON. */
  htmlGatewayErrors: boolean;
  /** 429 storm: until this epoch ms, answer 429 with this probability. */
  stormUntil: number;
  stormRate: number;
  /** Probability a returned property value has the wrong type (epoch in a date, text in a number). */
  typeGlitchRate: number;
  /** Probability the OAuth token endpoint answers 429. */
  tokenEndpoint429Rate: number;
  /** `/oauth/authorize` approves without the consent page. */
  autoApprove: boolean;
  /** Portal an approved OAuth install is granted to (when the app has no installPortalId). */
  oauthPortalId: number | null;
  /** Overrides of the 10-second burst / daily limits (null = HubSpot's numbers for the app/tier). */
  burstLimit: number | null;
  dailyLimit: number | null;
  searchPerSecond: number;
  search: SearchLimits;
  /** Webhook deliveries: attempts and first retry delay (doubles each time). */
  webhookMaxAttempts: number;
  webhookRetryBaseMs: number;
  /** How long events wait to be batched before delivery. */
  webhookBatchWindowMs: number;
}

export function defaultKnobs(): Knobs {
  return {
    limitsEnabled: true,
    searchLagMaxSeconds: 0,
    latencyMedianMs: 0,
    latencyP99Ms: 0,
    errorRates: { '500': 0, '502': 0, '503': 0, '504': 0 },
    resetRate: 0,
    htmlGatewayErrors: false,
    stormUntil: 0,
    stormRate: 0,
    typeGlitchRate: 0,
    tokenEndpoint429Rate: 0,
    autoApprove: false,
    oauthPortalId: null,
    burstLimit: null,
    dailyLimit: null,
    // HubSpot search guide: 5 requests per second per account.
    searchPerSecond: 5,
    search: { ...DEFAULT_SEARCH_LIMITS },
    webhookMaxAttempts: 10,
    webhookRetryBaseMs: 1000,
    webhookBatchWindowMs: 200,
  };
}

const NUMBER_KEYS = [
  'searchLagMaxSeconds', 'latencyMedianMs', 'latencyP99Ms', 'resetRate', 'stormUntil', 'stormRate', 'typeGlitchRate',
  'tokenEndpoint429Rate', 'searchPerSecond', 'webhookMaxAttempts', 'webhookRetryBaseMs', 'webhookBatchWindowMs',
] as const;
const PROBABILITY_KEYS = ['resetRate', 'stormRate', 'typeGlitchRate', 'tokenEndpoint429Rate'];
const BOOLEAN_KEYS = ['limitsEnabled', 'htmlGatewayErrors', 'autoApprove'] as const;
const NULLABLE_NUMBER_KEYS = ['oauthPortalId', 'burstLimit', 'dailyLimit'] as const;

/**
 * Validates a partial knob update from the admin API. Also accepts `stormSeconds` (a storm from
 * now for that many seconds) and `errorRate` (spread evenly over 500/502/503/504).
 */
export function parseKnobPatch(input: unknown): Partial<Knobs> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw validationError('knobs must be a JSON object');
  const raw = input as Record<string, unknown>;
  const out: Partial<Knobs> & Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if ((NUMBER_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw validationError(`knob ${key} must be a non-negative number`);
      if (PROBABILITY_KEYS.includes(key) && value > 1) throw validationError(`knob ${key} must be a probability between 0 and 1`);
      out[key] = value;
    } else if ((BOOLEAN_KEYS as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') throw validationError(`knob ${key} must be true or false`);
      out[key] = value;
    } else if ((NULLABLE_NUMBER_KEYS as readonly string[]).includes(key)) {
      if (value !== null && (typeof value !== 'number' || !Number.isInteger(value) || value < 0)) throw validationError(`knob ${key} must be a non-negative integer or null`);
      out[key] = value;
    } else if (key === 'errorRates') {
      if (!value || typeof value !== 'object') throw validationError('knob errorRates must be an object like {"503": 0.05}');
      const rates = { '500': 0, '502': 0, '503': 0, '504': 0 };
      for (const [code, p] of Object.entries(value as Record<string, unknown>)) {
        if (!(code in rates)) throw validationError(`knob errorRates: status ${code} is not one of 500, 502, 503, 504`);
        if (typeof p !== 'number' || p < 0 || p > 1) throw validationError(`knob errorRates.${code} must be a probability between 0 and 1`);
        rates[code as keyof typeof rates] = p;
      }
      out.errorRates = rates;
    } else if (key === 'errorRate') {
      if (typeof value !== 'number' || value < 0 || value > 1) throw validationError('knob errorRate must be a probability between 0 and 1');
      out.errorRates = { '500': value / 4, '502': value / 4, '503': value / 4, '504': value / 4 };
    } else if (key === 'stormSeconds') {
      if (typeof value !== 'number' || value < 0) throw validationError('knob stormSeconds must be a non-negative number');
      out.stormUntil = Date.now() + value * 1000;
      if (raw['stormRate'] === undefined) out.stormRate = 1;
    } else if (key === 'search') {
      if (!value || typeof value !== 'object') throw validationError('knob search must be an object');
      const s: Partial<typeof DEFAULT_SEARCH_LIMITS> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (!(k in DEFAULT_SEARCH_LIMITS)) throw validationError(`knob search.${k} is unknown (known: ${Object.keys(DEFAULT_SEARCH_LIMITS).join(', ')})`);
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw validationError(`knob search.${k} must be a positive integer`);
        s[k as keyof SearchLimits] = v;
      }
      out.search = s as SearchLimits;
    } else {
      throw validationError(`unknown knob "${key}"`);
    }
  }
  return out;
}

export function mergeKnobs(base: Knobs, patch: Partial<Knobs>): Knobs {
  return { ...base, ...patch, errorRates: { ...base.errorRates, ...(patch.errorRates ?? {}) }, search: { ...base.search, ...(patch.search ?? {}) } };
}
