import { mapEngagementToActivity } from './activity-mapping';
import { computeHealthScore, HealthActivity } from './health-score';
import { plainText, scoreSentiment } from './sentiment';
import { DEFAULT_STANNA_CONFIG, resolveStannaConfig } from './stanna-config';

const config = DEFAULT_STANNA_CONFIG;
const now = new Date('2025-01-31T12:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe('mapEngagementToActivity', () => {
  it('maps each engagement type with its own properties', () => {
    const call = mapEngagementToActivity('calls', '1', { hs_timestamp: '2025-01-30T10:00:00Z', hs_call_title: 'QBR', hs_call_body: 'Great call, happy customer', hs_call_direction: 'OUTBOUND', hs_call_disposition: 'connected', hs_call_status: 'COMPLETED' }, null, config, []).activity;
    expect(call).toMatchObject({ activity_type: 'calls', occurred_at: '2025-01-30T10:00:00.000Z', subject: 'QBR', direction: 'OUTBOUND', outcome: 'connected', status: 'COMPLETED' });
    expect(call.sentiment_score).toBeGreaterThan(0);

    const email = mapEngagementToActivity('emails', '2', { hs_timestamp: '1738000000000', hs_email_direction: 'INCOMING_EMAIL', hs_email_open_count: '3', hs_email_click_count: '1', hs_email_text: 'This is terrible, we are angry' }, null, config, []).activity;
    expect(email).toMatchObject({ email_opens: 3, email_clicks: 1, email_replies: 1, occurred_at: new Date(1738000000000).toISOString() });
    expect(email.sentiment_score).toBeLessThan(0);

    const meeting = mapEngagementToActivity('meetings', '3', { hs_meeting_start_time: '2025-01-10T09:00:00Z', hs_timestamp: '2025-01-01T00:00:00Z', hs_meeting_outcome: 'NO_SHOW' }, null, config, []).activity;
    expect([meeting.occurred_at, meeting.outcome]).toEqual(['2025-01-10T09:00:00.000Z', 'NO_SHOW']);

    const note = mapEngagementToActivity('notes', '4', { hs_note_body: '<p>Kickoff &amp; plan</p>' }, '2025-01-02T00:00:00Z', config, []).activity;
    expect([note.occurred_at, note.body]).toEqual(['2025-01-02T00:00:00.000Z', '<p>Kickoff &amp; plan</p>']);
  });

  it('applies activity mappings', () => {
    const r = mapEngagementToActivity('tasks', '5', { hs_task_subject: 'Follow up', custom_outcome: 'won' }, null, config, [{ targetEntity: 'stanna.activity', targetField: 'outcome', source: 'custom_outcome' }]);
    expect(r.activity.outcome).toBe('won');
  });
});

describe('sentiment', () => {
  it('scores words with AFINN and ignores markup', () => {
    expect(plainText('<div>Hello&nbsp;<b>world</b></div>')).toBe('Hello world');
    expect(scoreSentiment('<p>We love this product</p>')?.score).toBeGreaterThan(0);
    expect(scoreSentiment('   ')).toBeNull();
  });
});

describe('computeHealthScore', () => {
  const act = (type: string, days: number, extra: Partial<HealthActivity> = {}): HealthActivity => ({ type, occurredAt: daysAgo(days), outcome: null, status: null, sentimentComparative: null, ...extra });

  it('rewards recent, frequent, positive engagement', () => {
    const activities = Array.from({ length: 8 }, (_, i) => act('calls', i * 3, { sentimentComparative: 0.4 }));
    const h = computeHealthScore(activities, [], config, now);
    const byName = Object.fromEntries(h.components.map((c) => [c.name, c.score]));
    expect(byName['recency']).toBe(100);
    expect(byName['frequency']).toBe(100);
    expect(byName['meetings']).toBeNull();
    expect(byName['sentiment']).toBeGreaterThan(80);
    expect(h.score).toBeGreaterThan(90);
  });

  it('lowers the score for missed meetings, overdue tasks, churn risk and silence, and says why', () => {
    const activities = [
      act('meetings', 60, { outcome: 'NO_SHOW' }),
      act('meetings', 70, { outcome: 'CANCELED' }),
      act('meetings', 80, { outcome: 'COMPLETED' }),
      act('tasks', 5, { status: 'NOT_STARTED' }),
      act('tasks', -5, { status: 'NOT_STARTED' }),
      act('notes', 85, { sentimentComparative: -0.5 }),
    ];
    const h = computeHealthScore(activities, [{ isClosed: true, isLost: true, churnRisk: 'high', healthIndicator: null }], config, now);
    const c = Object.fromEntries(h.components.map((x) => [x.name, x]));
    expect(c['recency']).toMatchObject({ score: 11.1, detail: { days_since_last_activity: 80 } });
    expect(c['frequency'].score).toBe(0);
    expect(c['meetings']).toMatchObject({ score: 33.3, detail: { meetings_last_90_days: 3, missed_or_cancelled: 2 } });
    expect(c['tasks']).toMatchObject({ score: 50, detail: { open_tasks: 2, overdue_tasks: 1 } });
    expect(c['deals']).toMatchObject({ score: 0, detail: expect.objectContaining({ churn_risk: 'high' }) });
    expect(c['sentiment'].score).toBeLessThan(50);
    expect(h.score).toBeLessThan(25);
  });

  it('uses configured deal indicators and weights', () => {
    const cfg = resolveStannaConfig({ health: { weights: { recency: 0, frequency: 0, meetings: 0, tasks: 0, deals: 1, sentiment: 0 } } });
    const h = computeHealthScore([], [{ isClosed: false, isLost: false, churnRisk: 'low', healthIndicator: 40 }], cfg, now);
    expect(h.score).toBe(70); // (40 + 100 low churn) / 2
  });
});
