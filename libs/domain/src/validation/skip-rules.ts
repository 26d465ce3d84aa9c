/**
 * Rule names written to `sync.skipped_records.rule`. A record failing a `SKIP_RULES` rule is not mapped
 * and counts in `total_skipped`; `DROPPED_FIELD_RULE` only notes a value that was dropped (the record
 * itself is kept and counts as synced).
 */
export const SKIP_RULES = {
  missingDomain: 'missing_domain',
  invalidDomain: 'invalid_domain',
  duplicateDomain: 'duplicate_domain',
  mrrOutOfRange: 'mrr_out_of_range',
  missingEmail: 'missing_email',
  invalidEmail: 'invalid_email',
  missingName: 'missing_name',
  negativeAmount: 'negative_amount',
  invalidRecord: 'invalid_record',
} as const;

export type SkipRule = (typeof SKIP_RULES)[keyof typeof SKIP_RULES];

export const DROPPED_FIELD_RULE = 'dropped_field';

export interface SkipReason {
  rule: SkipRule;
  detail: string;
}
