import { applyMappings } from '../mapping/apply-mappings';
import { PropertyBag } from '../mapping/mapping-expression';
import { PropertyMapping } from '../mapping/property-mapping-validation';
import { isValidEmail, normaliseEmail } from '../validation/formats';
import { SKIP_RULES, SkipReason } from '../validation/skip-rules';
import { StannaConfig } from './stanna-config';

export interface StakeholderFields {
  contact_id: string;
  email: string | null;
  name: string | null;
  title: string | null;
  /** The contact's `company` property: the client association when no associated company is a client. */
  company_name: string | null;
  custom_fields: Record<string, unknown>;
}

export type StakeholderMapping = { ok: true; stakeholder: StakeholderFields; invalidFields: { field: string; reason: string }[] } | { ok: false; skip: SkipReason };

const ENTITY = 'stanna.stakeholder';

/** Contact → Stanna stakeholder (seed 002 "Contact Data": email, firstname + lastname, jobtitle, company). */
export function mapContactToStakeholder(contactId: string, props: PropertyBag, config: StannaConfig, mappings: readonly PropertyMapping[]): StakeholderMapping {
  const mapped = applyMappings(ENTITY, mappings, props);
  const pick = (field: string, fallback: string | null | undefined): string | null => {
    const v = Object.prototype.hasOwnProperty.call(mapped.fields, field) ? (mapped.fields[field] as string | null) : (fallback ?? null);
    return v === null || String(v).trim() === '' ? null : String(v).trim();
  };
  const rawEmail = pick('email', props['email']);
  const email = normaliseEmail(rawEmail);
  if (!email && config.requireStakeholderEmail) return { ok: false, skip: { rule: SKIP_RULES.missingEmail, detail: 'contact has no email' } };
  if (email && !isValidEmail(email)) return { ok: false, skip: { rule: SKIP_RULES.invalidEmail, detail: `email ${JSON.stringify(rawEmail)} is not a valid address` } };
  const fullName = [props['firstname'], props['lastname']].map((p) => (p ?? '').trim()).filter(Boolean).join(' ');
  return {
    ok: true,
    invalidFields: mapped.invalid,
    stakeholder: {
      contact_id: contactId,
      email,
      name: pick('name', fullName || null) ?? email,
      title: pick('title', props['jobtitle']),
      company_name: pick('company_name', props['company']),
      custom_fields: mapped.custom,
    },
  };
}

export interface EngagementCounters {
  activities30d: number;
  activities90d: number;
  emailOpens: number;
  emailClicks: number;
  emailReplies: number;
}

export type EngagementLevel = 'high' | 'medium' | 'low' | 'none';

/** Stakeholder engagement from activity counts and email opens/clicks/replies (seed 002 "Response patterns"). */
export function engagementLevel(c: EngagementCounters, config: StannaConfig): { level: EngagementLevel; score: number } {
  const score = 3 * c.activities30d + c.activities90d + c.emailOpens / 2 + c.emailClicks + 2 * c.emailReplies;
  const level: EngagementLevel = score >= config.engagement.highAtLeast ? 'high' : score >= config.engagement.mediumAtLeast ? 'medium' : score > 0 ? 'low' : 'none';
  return { level, score: Math.round(score * 10) / 10 };
}
