import { applyMappings } from '../mapping/apply-mappings';
import { PropertyBag, toNumber } from '../mapping/mapping-expression';
import { PropertyMapping } from '../mapping/property-mapping-validation';
import { toIsoTimestamp } from './dates';
import { scoreSentiment } from './sentiment';
import { StannaConfig } from './stanna-config';

export type ActivityType = 'calls' | 'emails' | 'meetings' | 'notes' | 'tasks';

export interface ActivityFields {
  activity_type: ActivityType;
  activity_id: string;
  occurred_at: string | null;
  direction: string | null;
  outcome: string | null;
  status: string | null;
  subject: string | null;
  body: string | null;
  sentiment_score: number | null;
  sentiment_comparative: number | null;
  email_opens: number;
  email_clicks: number;
  email_replies: number;
  custom_fields: Record<string, unknown>;
}

/** HubSpot engagement properties per type (CRM engagements API: calls, emails, meetings, notes, tasks). */
const FIELDS: Record<ActivityType, { subject?: string; body: string[]; direction?: string; outcome?: string; status?: string; time: string[] }> = {
  calls: { subject: 'hs_call_title', body: ['hs_call_body'], direction: 'hs_call_direction', outcome: 'hs_call_disposition', status: 'hs_call_status', time: ['hs_timestamp'] },
  emails: { subject: 'hs_email_subject', body: ['hs_email_text', 'hs_email_html'], direction: 'hs_email_direction', status: 'hs_email_status', time: ['hs_timestamp'] },
  meetings: { subject: 'hs_meeting_title', body: ['hs_meeting_body', 'hs_internal_meeting_notes'], outcome: 'hs_meeting_outcome', time: ['hs_meeting_start_time', 'hs_timestamp'] },
  notes: { body: ['hs_note_body'], time: ['hs_timestamp'] },
  tasks: { subject: 'hs_task_subject', body: ['hs_task_body'], status: 'hs_task_status', time: ['hs_timestamp'] },
};

export function isActivityType(type: string): type is ActivityType {
  return type in FIELDS;
}

const ENTITY = 'stanna.activity';

/** Engagement → Stanna activity (seed 002 "Supported Activities"), with AFINN sentiment of its text. */
export function mapEngagementToActivity(
  type: ActivityType,
  id: string,
  props: PropertyBag,
  createdAt: string | null,
  config: StannaConfig,
  mappings: readonly PropertyMapping[],
): { activity: ActivityFields; invalidFields: { field: string; reason: string }[] } {
  const f = FIELDS[type];
  const mapped = applyMappings(ENTITY, mappings, props);
  const pick = (field: string, fallback: string | null): string | null => {
    const v = Object.prototype.hasOwnProperty.call(mapped.fields, field) ? (mapped.fields[field] as string | null) : fallback;
    return v === null || v === undefined || String(v).trim() === '' ? null : String(v);
  };
  const prop = (name?: string): string | null => (name ? (props[name] ?? null) : null);
  const firstProp = (names: string[]): string | null => names.map((n) => props[n]).find((v) => v !== undefined && v !== null && v.trim() !== '') ?? null;

  const subject = pick('subject', prop(f.subject));
  const body = pick('body', firstProp(f.body));
  const occurred = pick('occurred_at', toIsoTimestamp(firstProp(f.time)) ?? toIsoTimestamp(createdAt));
  const sentiment = scoreSentiment([subject, body].filter(Boolean).join('. '));
  const direction = pick('direction', prop(f.direction));
  const counter = (name: string) => Math.max(0, Math.trunc(toNumber(props[name] ?? null) ?? 0));
  const isEmail = type === 'emails';
  return {
    invalidFields: mapped.invalid,
    activity: {
      activity_type: type,
      activity_id: id,
      occurred_at: occurred,
      direction,
      outcome: pick('outcome', prop(f.outcome)),
      status: pick('status', prop(f.status)),
      subject,
      body: body && body.length > 100_000 ? body.slice(0, 100_000) : body,
      sentiment_score: sentiment?.score ?? null,
      sentiment_comparative: sentiment?.comparative ?? null,
      email_opens: isEmail ? counter(config.emailCounterProperties.opens) : 0,
      email_clicks: isEmail ? counter(config.emailCounterProperties.clicks) : 0,
      // An incoming email is itself a reply from the stakeholder.
      email_replies: isEmail ? counter(config.emailCounterProperties.replies) + (direction === 'INCOMING_EMAIL' ? 1 : 0) : 0,
      custom_fields: mapped.custom,
    },
  };
}
