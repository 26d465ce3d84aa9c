import { RpcException } from '@nestjs/microservices';

const PERMANENT_MARKER = 'hubsyncPermanentMessageError';

/**
 * Thrown by a JetStream handler when retrying cannot help (bad payload, rule violation): the
 * transport writes a dead-letter record and `term`s the message at once.
 *
 * It extends Nest's RpcException on purpose: Nest's default RPC exception filter replaces every
 * other error by "Internal server error", but hands an RpcException's error object through, so the
 * marker survives even on controllers without {@link JetStreamExceptionFilter}.
 */
export class PermanentMessageError extends RpcException {
  override readonly name = 'PermanentMessageError';

  constructor(message: string, override readonly cause?: unknown) {
    super({ [PERMANENT_MARKER]: true, name: 'PermanentMessageError', message });
  }
}

/** True for a PermanentMessageError, or for the error object Nest's filter derived from one. */
export function isPermanentMessageError(error: unknown): boolean {
  if (error instanceof PermanentMessageError) return true;
  return typeof error === 'object' && error !== null && (error as Record<string, unknown>)[PERMANENT_MARKER] === true;
}
