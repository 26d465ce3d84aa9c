import { Client } from '@hubspot/api-client';
import { ProviderErrorKind } from '@hubsync/contracts';
import { CallFailure, CapturedResponse, failureFromThrown, lowerCaseHeaders, normalizeFailure } from '../errors/normalize-error';
import { ProviderError } from '../errors/provider-error';
import { LimiterBucket, PortalLimiter, ReleaseSlot } from '../limits/portal-limiter';
import { RetryPolicy } from '../retry/retry-policy';
import { createSdkClient } from './sdk-client.factory';

/** Where the portal's access token comes from (the fetcher asks auth-gateway over NATS). */
export interface AccessTokenSource {
  get(): Promise<string>;
  /** After a 401: auth.token.invalidate.v1 — refresh once if `accessToken` is still the current one. */
  invalidate(accessToken: string): Promise<void>;
}

export interface AttemptEvent {
  operation: string;
  bucket: LimiterBucket;
  /** HTTP status; absent for network failures. */
  status?: number;
  kind?: ProviderErrorKind;
  durationMs: number;
}

export interface PortalTransportOptions {
  basePath: string;
  tokens: AccessTokenSource;
  limiter: PortalLimiter;
  retry?: RetryPolicy;
  /** Deadline of one attempt; a request still running then counts as a transient timeout. */
  requestTimeoutMs?: number;
  /** Every attempt, successful or not (request and 429 counters). */
  onAttempt?: (event: AttemptEvent) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface CallOptions {
  /** Lane inside the limiter bucket (search scheduler: `backfill`, `edge`, `lag`, …). */
  lane?: string;
  signal?: AbortSignal;
}

export interface CallResult<T> {
  data: T;
  status: number;
  headers: Record<string, string>;
}

/**
 * A raw request through the SDK's `apiRequest`: for endpoints the SDK has no typed method for (e.g.
 * `/account-info/v3/details`), and for the hot record reads, whose typed methods cost more CPU in the
 * SDK's model deserialisation than everything else the fetcher does per record.
 */
export interface RawRequest {
  method: 'GET' | 'POST';
  path: string;
  /** Pairs when a parameter repeats (`properties=a&properties=b`). */
  qs?: Record<string, string> | [string, string][];
  body?: unknown;
}

type SdkCall<T> = (client: Client) => Promise<{ httpStatusCode: number; headers: Record<string, string>; data: T }>;

/**
 * Runs one logical HubSpot call for one portal: limiter slot → SDK request (typed `…WithHttpInfo`
 * method, so headers are readable) → header learning → error normalisation → retry decision.
 */
export class PortalTransport {
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly options: PortalTransportOptions) {
    this.retry = options.retry ?? new RetryPolicy();
    this.timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.sleep = options.sleep ?? abortableSleep;
  }

  get limiter(): PortalLimiter {
    return this.options.limiter;
  }

  call<T>(operation: string, bucket: LimiterBucket, fn: SdkCall<T>, options: CallOptions = {}): Promise<CallResult<T>> {
    return this.run(operation, bucket, options, async (client, onCapture) => {
      const info = await fn(client);
      onCapture({ status: info.httpStatusCode, headers: lowerCaseHeaders(info.headers) });
      return { data: info.data, status: info.httpStatusCode, headers: lowerCaseHeaders(info.headers) };
    });
  }

  /** Same policy for an untyped request through the SDK's `apiRequest`. */
  raw<T = unknown>(operation: string, bucket: LimiterBucket, request: RawRequest, options: CallOptions = {}): Promise<CallResult<T>> {
    return this.run(operation, bucket, options, async (client) => {
      // The SDK builds the query with `new URLSearchParams(qs)` (src/services/http/Request.ts
      // `generateUrl`), which takes pairs as well as a record.
      const response = await client.apiRequest({ method: request.method, path: request.path, qs: request.qs as Record<string, string>, body: request.body as object });
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        // Non-JSON bodies stay text; a 2xx with one is classified as an unreadable (transient) answer.
        if (response.status < 300) throw { code: response.status, headers, body: text };
      }
      if (response.status >= 300) throw { code: response.status, headers, body };
      return { data: body as T, status: response.status, headers };
    });
  }

  private async run<T>(
    operation: string,
    bucket: LimiterBucket,
    options: CallOptions,
    attempt: (client: Client, onCapture: (c: CapturedResponse) => void) => Promise<CallResult<T>>,
  ): Promise<CallResult<T>> {
    const { limiter, tokens } = this.options;
    let state = RetryPolicy.initialState();
    for (;;) {
      // The token first: a failure to get one must not spend a slot of the portal's budget.
      const accessToken = await tokens.get();
      // The slot is held until the answer arrives (HubSpot counts the request at its arrival, which
      // lies between our send and our answer); released in every outcome below, exactly once.
      const release = await limiter.acquire(bucket, { lane: options.lane, signal: options.signal });
      let captured: CapturedResponse | undefined;
      const started = Date.now();
      let result: CallResult<T> | undefined;
      let failure: CallFailure | undefined;
      const pending = new PendingAttempt(release, this.timeoutMs);
      try {
        const client = createSdkClient({ basePath: this.options.basePath, accessToken, onResponse: (c) => (captured = c) });
        result = await pending.run(attempt(client, (c) => (captured = c)));
      } catch (thrown) {
        failure = thrown instanceof DeadlineExceeded ? { type: 'network', code: 'ETIMEDOUT', message: `no answer within ${this.timeoutMs} ms` } : failureFromThrown(thrown, captured);
      } finally {
        pending.settle();
      }
      if (result) {
        limiter.observe(result.headers);
        this.options.onAttempt?.({ operation, bucket, status: result.status, durationMs: Date.now() - started });
        return result;
      }
      if (!failure) throw new Error(`${operation}: attempt ended without a result or a failure`);
      if (failure.type === 'http') limiter.observe(failure.headers);
      const error = normalizeFailure(failure).withOperation(operation);
      this.options.onAttempt?.({
        operation,
        bucket,
        status: failure.type === 'http' ? failure.status : undefined,
        kind: error.kind,
        durationMs: Date.now() - started,
      });
      const decision = this.retry.decide(error, state);
      state = RetryPolicy.record(state, decision);
      if (error.kind === 'rate_limited') {
        const until = limiter.onRateLimited(error.details.policy ?? 'UNKNOWN', bucket);
        if (error.details.policy === 'DAILY') throw new ProviderError(error.kind, error.message, { ...error.details, retryAt: new Date(until) });
      }
      switch (decision.action) {
        case 'retry':
          await this.sleep(decision.delayMs, options.signal);
          break;
        case 'wait_for_limiter':
          break; // the limiter holds the next acquire until the bucket opens
        case 'refresh_token':
          await tokens.invalidate(accessToken);
          break;
        case 'fail':
          throw error;
      }
    }
  }
}

class DeadlineExceeded extends Error {}

/**
 * One HTTP attempt under a deadline, owning the release of its limiter slot. Answered (success or
 * error) → released at once. Abandoned at the deadline → the request may still reach HubSpot, so the
 * slot stays held until the abandoned call settles, but no longer than one more deadline (a call that
 * never settles must not leak the slot forever).
 */
class PendingAttempt {
  private timedOut = false;
  private abandoned?: Promise<unknown>;

  constructor(
    private readonly release: ReleaseSlot,
    private readonly timeoutMs: number,
  ) {}

  run<T>(promise: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The abandoned attempt may still fail later; that must not become an unhandled rejection.
    promise.catch(() => undefined);
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.timedOut = true;
        this.abandoned = promise;
        reject(new DeadlineExceeded());
      }, this.timeoutMs);
    });
    return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
  }

  /** Called once the attempt ended for the caller (answer, error or deadline). */
  settle(): void {
    if (!this.timedOut || !this.abandoned) {
      this.release();
      return;
    }
    const backstop = setTimeout(() => this.release(), this.timeoutMs);
    backstop.unref?.();
    const late = () => {
      clearTimeout(backstop);
      this.release();
    };
    this.abandoned.then(late, late);
  }
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
