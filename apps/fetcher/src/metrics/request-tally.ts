import { AsyncLocalStorage } from 'node:async_hooks';

/** Requests and 429s made on behalf of one object run, between two progress writes. */
export interface RequestTally {
  requests: number;
  http429: number;
}

const storage = new AsyncLocalStorage<RequestTally>();

/** Runs `fn` so that every HubSpot attempt made inside it (however deep) counts toward `tally`. */
export function withTally<T>(tally: RequestTally, fn: () => Promise<T>): Promise<T> {
  return storage.run(tally, fn);
}

/** Called by the transport for every attempt. */
export function countAttempt(status: number | undefined): void {
  const tally = storage.getStore();
  if (!tally) return;
  tally.requests++;
  if (status === 429) tally.http429++;
}

/** Takes the counts so far and resets them (they are added to `sync.object_runs`). */
export function drainTally(tally: RequestTally): RequestTally {
  const out = { ...tally };
  tally.requests = 0;
  tally.http429 = 0;
  return out;
}
