/** A message that failed on its last allowed delivery, or permanently (DESIGN §3). */
export interface DeadLetter {
  stream: string;
  consumer: string;
  subject: string;
  /** `Nats-Msg-Id` header, when the publisher set one. */
  msgId: string | null;
  deliveries: number;
  error: string;
  /** The raw message bytes (kept even when they are not valid JSON). */
  payload: Uint8Array;
  /** From the JSON payload's `organizationUid`, when present and a UUID. */
  organizationUid: string | null;
}

/** Where the transport writes dead letters; the pg implementation writes `sync.dead_letters`. */
export interface DeadLetterStore {
  record(letter: DeadLetter): Promise<void>;
  /** Releases resources the store owns (a pool it created); never closes a caller's pool. */
  close?(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tenant of a payload, if the payload is a JSON object with a UUID `organizationUid`. */
export function organizationUidOf(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const value = (payload as Record<string, unknown>)['organizationUid'];
  return typeof value === 'string' && UUID.test(value) ? value : null;
}
