import type { ReleaseSlot } from '../src/limits/portal-limiter';

/** The fake clock's start in the limiter specs. */
export const T0 = Date.parse('2025-03-05T15:00:00Z');

/** Lets resolved promise callbacks run between fake-timer steps. */
export const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

/** A grant whose request is answered at once (the slot then leaves one window later). */
export const answered =
  (then: () => unknown) =>
  (release: ReleaseSlot): void => {
    release();
    then();
  };
