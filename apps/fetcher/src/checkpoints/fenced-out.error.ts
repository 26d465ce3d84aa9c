/**
 * A fenced write was refused: a newer driver of the portal (higher lease revision) has written, so
 * this one lost its lease while paused or partitioned and must stop without touching anything else.
 */
export class FencedOutError extends Error {
  override readonly name = 'FencedOutError';

  constructor(what: string, fence: number) {
    super(`${what}: refused for lease revision ${fence}; a newer driver owns the portal`);
  }
}

export function isFencedOut(error: unknown): error is FencedOutError {
  return error instanceof FencedOutError;
}
