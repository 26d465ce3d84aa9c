import { StannaConfig } from './stanna-config';

export interface HealthActivity {
  type: string;
  occurredAt: Date | null;
  outcome: string | null;
  status: string | null;
  sentimentComparative: number | null;
}

export interface HealthDeal {
  isClosed: boolean;
  isLost: boolean;
  churnRisk: 'high' | 'medium' | 'low';
  healthIndicator: number | null;
}

export interface HealthComponent {
  name: 'recency' | 'frequency' | 'meetings' | 'tasks' | 'deals' | 'sentiment';
  /** 0..100, or null when there is nothing to judge (then it does not count). */
  score: number | null;
  weight: number;
  detail: Record<string, unknown>;
}

export interface HealthScore {
  score: number | null;
  components: HealthComponent[];
}

const DAY = 86_400_000;
const MISSED_MEETING_OUTCOMES = new Set(['NO_SHOW', 'CANCELED', 'CANCELLED']);
const DONE_TASK_STATUSES = new Set(['COMPLETED']);

/**
 * Client health (seed 002 "Activity-Based Insights"): recency and frequency of activities, missed or
 * cancelled meetings, overdue tasks, deal indicators and churn risk, and the sentiment of activity
 * text. Each component is kept so a user can see why the score is what it is.
 */
export function computeHealthScore(activities: HealthActivity[], deals: HealthDeal[], config: StannaConfig, now: Date): HealthScore {
  const w = config.health.weights;
  const t = now.getTime();
  const past = activities.filter((a) => a.occurredAt && a.occurredAt.getTime() <= t);
  // A task is a to-do, and a meeting nobody attended is not contact: neither counts as a touch.
  const isMissed = (a: HealthActivity) => a.type === 'meetings' && !!a.outcome && MISSED_MEETING_OUTCOMES.has(a.outcome.toUpperCase());
  const touches = past.filter((a) => a.type !== 'tasks' && !isMissed(a));
  const within = (a: HealthActivity, days: number) => (a.occurredAt as Date).getTime() >= t - days * DAY;

  const last = touches.reduce<number | null>((m, a) => Math.max(m ?? 0, (a.occurredAt as Date).getTime()), null);
  const daysSince = last === null ? null : Math.floor((t - last) / DAY);
  const recency = daysSince === null ? 0 : clamp(100 * (1 - daysSince / config.health.recencyZeroAfterDays));

  const count30 = touches.filter((a) => within(a, 30)).length;
  const frequency = clamp((100 * count30) / config.health.frequencyTarget30d);

  const meetings90 = past.filter((a) => a.type === 'meetings' && within(a, 90));
  const missed = meetings90.filter(isMissed).length;
  const meetings = meetings90.length ? clamp(100 * (1 - missed / meetings90.length)) : null;

  const openTasks = activities.filter((a) => a.type === 'tasks' && !(a.status && DONE_TASK_STATUSES.has(a.status.toUpperCase())));
  const overdue = openTasks.filter((a) => a.occurredAt && a.occurredAt.getTime() < t).length;
  const tasks = openTasks.length ? clamp(100 * (1 - overdue / openTasks.length)) : null;

  const relevantDeals = deals.filter((d) => !d.isClosed || d.isLost);
  const indicators = deals.map((d) => d.healthIndicator).filter((x): x is number => x !== null);
  const churn = deals.some((d) => d.churnRisk === 'high') ? 0 : deals.some((d) => d.churnRisk === 'medium') ? 50 : deals.length ? 100 : null;
  const dealParts = [...indicators, ...(churn === null ? [] : [churn])];
  const dealsScore = dealParts.length ? clamp(dealParts.reduce((a, b) => a + b, 0) / dealParts.length) : null;

  const sentiments = past.filter((a) => within(a, 90) && a.sentimentComparative !== null).map((a) => a.sentimentComparative as number);
  const avgSentiment = sentiments.length ? sentiments.reduce((a, b) => a + b, 0) / sentiments.length : null;
  const sentiment = avgSentiment === null ? null : clamp(50 + 50 * Math.tanh(avgSentiment * 2));

  const components: HealthComponent[] = [
    { name: 'recency', score: round(recency), weight: w.recency, detail: { days_since_last_activity: daysSince } },
    { name: 'frequency', score: round(frequency), weight: w.frequency, detail: { activities_last_30_days: count30, target: config.health.frequencyTarget30d } },
    { name: 'meetings', score: round(meetings), weight: w.meetings, detail: { meetings_last_90_days: meetings90.length, missed_or_cancelled: missed } },
    { name: 'tasks', score: round(tasks), weight: w.tasks, detail: { open_tasks: openTasks.length, overdue_tasks: overdue } },
    {
      name: 'deals',
      score: round(dealsScore),
      weight: w.deals,
      detail: { deals: deals.length, open_or_lost: relevantDeals.length, churn_risk: churn === null ? null : churn === 0 ? 'high' : churn === 50 ? 'medium' : 'low', indicators },
    },
    { name: 'sentiment', score: round(sentiment), weight: w.sentiment, detail: { scored_activities: sentiments.length, average_comparative: avgSentiment === null ? null : round4(avgSentiment) } },
  ];
  const counted = components.filter((c) => c.score !== null && c.weight > 0);
  const totalWeight = counted.reduce((a, c) => a + c.weight, 0);
  const score = totalWeight ? Math.round(counted.reduce((a, c) => a + (c.score as number) * c.weight, 0) / totalWeight) : null;
  return { score, components };
}

function clamp(n: number): number {
  return Math.min(100, Math.max(0, n));
}

function round(n: number | null): number | null {
  return n === null ? null : Math.round(n * 10) / 10;
}

function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}
