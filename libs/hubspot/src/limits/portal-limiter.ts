import { ProviderError, RateLimitPolicy } from '../errors/provider-error';
import { RateLimitProfile } from './rate-limit-profile';
import { SlidingWindowLog } from './sliding-window-log';
import { LocalDayClock } from './time-zone';

/** `general`: every non-search call (the burst + daily budget); `search`: the Search API's own 5/s. */
export type LimiterBucket = 'general' | 'search';

export interface PortalLimiterOptions {
  profile: RateLimitProfile;
  /** Fraction of the portal's limits we may use (Weld throttles at 80%, seed 003). */
  share?: number;
  /** Share of the search limit; defaults to `share`. */
  searchShare?: number;
  /**
   * Widening of the enforced burst window beyond HubSpot's. Slots are held from send until one window
   * after the response, which already covers any send→arrival delay; the margin is extra safety.
   */
  windowMarginMs?: number;
  searchWindowMarginMs?: number;
  /** IANA zone of the account; the daily budget resets at its midnight (`/account-info/v3/details`). */
  timeZone?: string;
  /**
   * Weights of the lanes sharing a bucket (the per-portal search scheduler: backfill scans, edge and
   * lagging sweeps). Work-conserving: an idle lane's share goes to the others.
   */
  laneWeights?: Record<string, number>;
  /**
   * Lanes served before every weighted lane of their bucket, FIFO among themselves (re-reads of
   * records a webhook named: small, latency-bound). Still inside the bucket's capacity.
   */
  priorityLanes?: string[];
  /**
   * General-bucket slots per burst window only priority lanes may take, so a priority request finds
   * a free slot even when sweeps keep the window full. Held only while priority lanes were used in the
   * last `priorityReserveHoldMs` (default 60 s), so a portal without such traffic keeps its whole
   * budget for sweeps. 0 (default) reserves nothing.
   */
  priorityReserve?: number;
  priorityReserveHoldMs?: number;
  now?: () => number;
}

/**
 * Returned by `acquire`: call it exactly once when the request's response or error arrives (also after
 * a timeout or abort). The slot stays occupied until then and for one window after (`SlidingWindowLog`
 * explains why that bounds HubSpot's count of arrivals). Later calls are ignored.
 */
export type ReleaseSlot = (at?: number) => void;

export interface LimiterSnapshot {
  general: number[];
  search: number[];
  dayKey: string;
  dailyUsed: number;
  dailyPausedUntil: number | null;
}

export interface LimiterStats {
  share: number;
  burstMax: number;
  burstIntervalMs: number;
  burstCapacity: number;
  burstUsed: number;
  searchCapacity: number;
  searchUsed: number;
  dailyMax: number;
  dailyCapacity: number;
  dailyUsed: number;
  http429: number;
  /** Until when the portal is paused by the DAILY limit (epoch ms), if it is. */
  dailyPausedUntil: number | null;
  granted: Record<LimiterBucket, number>;
  /** Slots granted whose answer has not arrived yet (they hold their window until then). */
  inFlight: Record<LimiterBucket, number>;
}

interface Waiter {
  bucket: LimiterBucket;
  lane: string;
  resolve: (release: ReleaseSlot) => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface LaneState {
  pass: number;
  waiting: number;
}

const DEFAULT_LANE_WEIGHT = 1;

/**
 * Per-portal budget (DESIGN §5 "Budget arithmetic"): a rolling burst window and a daily budget at a
 * configurable share of the portal's limits, plus the Search API's separate per-second budget, with
 * lanes scheduled by weight inside each bucket. Every HubSpot request of the portal passes here first.
 */
export class PortalLimiter {
  private readonly share: number;
  private readonly searchShare: number;
  private burstMax: number;
  private dailyMax: number;
  private readonly burst: SlidingWindowLog;
  private readonly search: SlidingWindowLog;
  private readonly searchMax: number;
  private readonly waiters: Waiter[] = [];
  private readonly lanes = new Map<string, LaneState>();
  private readonly pausedUntil: Record<LimiterBucket, number> = { general: 0, search: 0 };
  private dayKey: string;
  private dailyUsed = 0;
  private dailyPausedUntil: number | null = null;
  private http429 = 0;
  private readonly granted: Record<LimiterBucket, number> = { general: 0, search: 0 };
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = 0;
  private readonly localDay: LocalDayClock;
  private readonly now: () => number;
  private closed = false;
  private lastPriorityAt = -Infinity;

  constructor(private readonly options: PortalLimiterOptions) {
    this.share = validShare(options.share ?? 0.8, 'share');
    this.searchShare = validShare(options.searchShare ?? this.share, 'searchShare');
    this.burstMax = options.profile.burstMax;
    this.dailyMax = options.profile.dailyMax;
    this.searchMax = options.profile.searchMax;
    this.burst = new SlidingWindowLog(options.profile.burstIntervalMs, options.windowMarginMs ?? 100);
    this.search = new SlidingWindowLog(options.profile.searchIntervalMs, options.searchWindowMarginMs ?? 100);
    this.localDay = new LocalDayClock(options.timeZone ?? 'UTC');
    this.now = options.now ?? (() => Date.now());
    this.dayKey = this.localDay.at(this.now()).key;
  }

  /** Requests we allow ourselves per burst window: floor(max × share), at least 1. */
  get burstCapacity(): number {
    return Math.max(1, Math.floor(this.burstMax * this.share));
  }

  get searchCapacity(): number {
    return Math.max(1, Math.floor(this.searchMax * this.searchShare));
  }

  get dailyCapacity(): number {
    return Math.max(1, Math.floor(this.dailyMax * this.share));
  }

  setTimeZone(timeZone: string): void {
    this.localDay.timeZone = timeZone;
    this.rollDay(this.now());
  }

  /**
   * Waits for a slot in `bucket` and takes it; resolves to the slot's release, which the caller MUST
   * call once the response or error arrives. Rejects with a `rate_limited` DAILY ProviderError when the
   * daily budget is spent (the caller pauses the portal until `retryAt`).
   */
  acquire(bucket: LimiterBucket, options: { lane?: string; signal?: AbortSignal } = {}): Promise<ReleaseSlot> {
    if (this.closed) return Promise.reject(new Error('limiter closed'));
    if (options.signal?.aborted) return Promise.reject(abortError());
    const dailyError = this.dailyExhaustedError(this.now());
    if (dailyError) return Promise.reject(dailyError);
    return new Promise<ReleaseSlot>((resolve, reject) => {
      const waiter: Waiter = { bucket, lane: `${bucket}:${options.lane ?? 'default'}`, resolve, reject, signal: options.signal };
      if (options.signal) {
        waiter.onAbort = () => {
          this.removeWaiter(waiter);
          reject(abortError());
          this.pump();
        };
        options.signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.addWaiter(waiter);
      this.pump();
    });
  }

  /** Learns limits and other consumers' usage from a response's `X-HubSpot-RateLimit-*` headers. */
  observe(headers: Record<string, string>): void {
    const now = this.now();
    // Header names and meaning: HubSpot "API usage guidelines" — Max and Interval-Milliseconds describe
    // the burst window, Remaining what is left in it; Daily / Daily-Remaining only on non-OAuth calls.
    const max = intHeader(headers, 'x-hubspot-ratelimit-max');
    const interval = intHeader(headers, 'x-hubspot-ratelimit-interval-milliseconds');
    if (max !== null && max > 0) this.burstMax = max;
    if (interval !== null && interval > 0 && interval <= 86_400_000) this.burst.intervalMs = interval;
    const remaining = intHeader(headers, 'x-hubspot-ratelimit-remaining');
    if (remaining !== null && max !== null && remaining >= 0) {
      // HubSpot's count includes requests we did not make (another replica before a hand-over, or
      // other apps on a private-app budget): count them as ours so the share holds.
      const serverUsed = max - remaining;
      const localUsed = this.burst.count(now);
      if (serverUsed > localUsed) this.burst.addPhantoms(serverUsed - localUsed, now);
    }
    const daily = intHeader(headers, 'x-hubspot-ratelimit-daily');
    const dailyRemaining = intHeader(headers, 'x-hubspot-ratelimit-daily-remaining');
    if (daily !== null && daily > 0) this.dailyMax = daily;
    if (daily !== null && dailyRemaining !== null && dailyRemaining >= 0) {
      this.rollDay(now);
      this.dailyUsed = Math.max(this.dailyUsed, daily - dailyRemaining);
    }
    this.pump();
  }

  /**
   * A 429 arrived anyway: TEN_SECONDLY_ROLLING (or an unnamed policy) → wait out a whole window;
   * the search throttle → wait one second; DAILY → pause until midnight in the portal's time zone.
   * Returns when the bucket opens again (epoch ms).
   */
  onRateLimited(policy: RateLimitPolicy, bucket: LimiterBucket): number {
    const now = this.now();
    this.http429++;
    let until: number;
    if (policy === 'DAILY') {
      until = this.localDay.at(now).nextMidnightMs;
      this.dailyPausedUntil = until;
      this.failWaitersIfDailyExhausted(now);
    } else if (policy === 'SECONDLY_SEARCH' || (policy === 'UNKNOWN' && bucket === 'search')) {
      until = now + this.search.intervalMs;
      this.pausedUntil.search = Math.max(this.pausedUntil.search, until);
    } else {
      until = now + this.burst.spanMs;
      this.pausedUntil.general = Math.max(this.pausedUntil.general, until);
    }
    this.pump();
    return until;
  }

  stats(): LimiterStats {
    const now = this.now();
    this.rollDay(now);
    return {
      share: this.share,
      burstMax: this.burstMax,
      burstIntervalMs: this.burst.intervalMs,
      burstCapacity: this.burstCapacity,
      burstUsed: this.burst.count(now),
      searchCapacity: this.searchCapacity,
      searchUsed: this.search.count(now),
      dailyMax: this.dailyMax,
      dailyCapacity: this.dailyCapacity,
      dailyUsed: this.dailyUsed,
      http429: this.http429,
      dailyPausedUntil: this.dailyPausedUntil && this.dailyPausedUntil > now ? this.dailyPausedUntil : null,
      granted: { ...this.granted },
      inFlight: { general: this.burst.inFlightCount, search: this.search.inFlightCount },
    };
  }

  /** State handed to the next driver of the portal, so a hand-over does not double the window. */
  snapshot(): LimiterSnapshot {
    const now = this.now();
    this.rollDay(now);
    return {
      general: this.burst.snapshot(now),
      search: this.search.snapshot(now),
      dayKey: this.dayKey,
      dailyUsed: this.dailyUsed,
      dailyPausedUntil: this.dailyPausedUntil,
    };
  }

  restore(snapshot: LimiterSnapshot): void {
    const now = this.now();
    this.burst.restore(snapshot.general ?? [], now);
    this.search.restore(snapshot.search ?? [], now);
    this.rollDay(now);
    if (snapshot.dayKey === this.dayKey) this.dailyUsed = Math.max(this.dailyUsed, snapshot.dailyUsed ?? 0);
    if (snapshot.dailyPausedUntil && snapshot.dailyPausedUntil > now) this.dailyPausedUntil = snapshot.dailyPausedUntil;
    this.pump();
  }

  /** Rejects every waiter and refuses new acquisitions (driver stopping). */
  close(reason = 'limiter closed'): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const w of this.waiters.splice(0)) {
      this.detach(w);
      w.reject(new Error(reason));
    }
  }

  /** Waiting acquisitions per bucket (for tests and metrics). */
  waiting(bucket: LimiterBucket): number {
    return this.waiters.filter((w) => w.bucket === bucket).length;
  }

  private pump(): void {
    if (this.closed) return;
    const now = this.now();
    this.failWaitersIfDailyExhausted(now);
    let wakeAt = Infinity;
    for (const bucket of ['search', 'general'] as LimiterBucket[]) {
      for (;;) {
        if (!this.waiters.some((w) => w.bucket === bucket)) break;
        const priority = this.waiters.find((w) => w.bucket === bucket && this.isPriority(w.lane));
        // Weighted lanes leave the reserve to priority ones; a waiting priority request may use all.
        const freeAt = this.freeAt(bucket, now, priority ? 0 : this.reserveOf(bucket));
        if (freeAt > now) {
          wakeAt = Math.min(wakeAt, freeAt);
          break;
        }
        const waiter = priority ?? this.nextWaiter(bucket);
        this.grant(waiter, now);
      }
    }
    this.schedule(wakeAt, now);
  }

  private freeAt(bucket: LimiterBucket, now: number, reserve = 0): number {
    let at = Math.max(now, this.pausedUntil[bucket]);
    if (bucket === 'search') {
      // Search has its own per-account limit and is not counted in the burst window (HUBSPOT-FACTS "Limits").
      at = Math.max(at, this.search.nextFreeAt(now, this.searchCapacity));
    } else {
      at = Math.max(at, this.burst.nextFreeAt(now, Math.max(1, this.burstCapacity - reserve)));
    }
    return at;
  }

  private isPriority(lane: string): boolean {
    return this.options.priorityLanes?.includes(lane.slice(lane.indexOf(':') + 1)) ?? false;
  }

  /** Slots kept for priority lanes (general bucket only; at most half the capacity). */
  private reserveOf(bucket: LimiterBucket): number {
    if (bucket !== 'general' || !this.options.priorityLanes?.length) return 0;
    if (this.now() - this.lastPriorityAt > (this.options.priorityReserveHoldMs ?? 60_000)) return 0;
    return Math.min(Math.max(0, Math.floor(this.options.priorityReserve ?? 0)), Math.floor(this.burstCapacity / 2));
  }

  private grant(waiter: Waiter, now: number): void {
    this.removeWaiter(waiter);
    this.rollDay(now);
    const log = waiter.bucket === 'search' ? this.search : this.burst;
    const slot = log.start(now);
    this.dailyUsed++;
    this.granted[waiter.bucket]++;
    const lane = this.lanes.get(waiter.lane);
    if (lane) lane.pass += 1 / this.weightOf(waiter.lane);
    waiter.resolve((at?: number) => {
      if (slot.finishedAt !== undefined) return;
      log.finish(slot, at ?? this.now());
      // The slot now leaves one span later: re-plan the wake-up (waiters blocked only by in-flight
      // slots had none).
      this.pump();
    });
  }

  /** Stride scheduling over lanes with waiters: the lane with the lowest pass goes next, FIFO inside. */
  private nextWaiter(bucket: LimiterBucket): Waiter {
    let best: Waiter | undefined;
    let bestPass = Infinity;
    for (const w of this.waiters) {
      if (w.bucket !== bucket) continue;
      const pass = this.lanes.get(w.lane)?.pass ?? 0;
      if (pass < bestPass) {
        best = w;
        bestPass = pass;
      }
    }
    return best as Waiter;
  }

  private addWaiter(waiter: Waiter): void {
    let lane = this.lanes.get(waiter.lane);
    if (!lane) {
      lane = { pass: 0, waiting: 0 };
      this.lanes.set(waiter.lane, lane);
    }
    if (lane.waiting === 0) {
      // A lane coming back from idle starts level with the busy ones instead of cashing in credit.
      const activePasses = [...this.lanes.entries()]
        .filter(([name, l]) => l.waiting > 0 && name.startsWith(`${waiter.bucket}:`))
        .map(([, l]) => l.pass);
      if (activePasses.length) lane.pass = Math.max(lane.pass, Math.min(...activePasses));
    }
    lane.waiting++;
    if (this.isPriority(waiter.lane)) this.lastPriorityAt = this.now();
    this.waiters.push(waiter);
  }

  private removeWaiter(waiter: Waiter): void {
    const i = this.waiters.indexOf(waiter);
    if (i >= 0) this.waiters.splice(i, 1);
    const lane = this.lanes.get(waiter.lane);
    if (lane) lane.waiting = Math.max(0, lane.waiting - 1);
    this.detach(waiter);
  }

  private detach(waiter: Waiter): void {
    if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
  }

  private weightOf(lane: string): number {
    const name = lane.slice(lane.indexOf(':') + 1);
    const w = this.options.laneWeights?.[name];
    return w && w > 0 ? w : DEFAULT_LANE_WEIGHT;
  }

  private schedule(wakeAt: number, now: number): void {
    if (wakeAt === Infinity) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      return;
    }
    if (this.timer && this.timerAt <= wakeAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = wakeAt;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, Math.max(0, wakeAt - now));
  }

  private rollDay(now: number): void {
    const key = this.localDay.at(now).key;
    if (key !== this.dayKey) {
      this.dayKey = key;
      this.dailyUsed = 0;
    }
    if (this.dailyPausedUntil !== null && this.dailyPausedUntil <= now) this.dailyPausedUntil = null;
  }

  private dailyExhaustedError(now: number): ProviderError | undefined {
    this.rollDay(now);
    let until = this.dailyPausedUntil;
    if (until === null && this.dailyUsed >= this.dailyCapacity) until = this.localDay.at(now).nextMidnightMs;
    if (until === null) return undefined;
    return new ProviderError('rate_limited', `daily request budget of the portal is spent; paused until ${new Date(until).toISOString()}`, {
      policy: 'DAILY',
      retryAt: new Date(until),
    });
  }

  private failWaitersIfDailyExhausted(now: number): void {
    const error = this.dailyExhaustedError(now);
    if (!error) return;
    for (const w of [...this.waiters]) {
      this.removeWaiter(w);
      w.reject(error);
    }
  }
}

function intHeader(headers: Record<string, string>, name: string): number | null {
  const raw = headers[name];
  if (raw === undefined || raw === null || raw === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) ? Math.floor(n) : null;
}

function validShare(value: number, name: string): number {
  if (!(value > 0 && value <= 1)) throw new Error(`${name} must be in (0, 1], got ${value}`);
  return value;
}

function abortError(): Error {
  const e = new Error('aborted');
  e.name = 'AbortError';
  return e;
}
