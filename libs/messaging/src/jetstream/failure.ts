import { isPermanentMessageError } from '../errors/permanent-message.error';

export interface HandlerFailure {
  permanent: boolean;
  message: string;
}

/**
 * Turns whatever a handler threw into a retry decision input and a text for the dead-letter record.
 * Behind Nest's default RPC exception filter the original error arrives as
 * `{ status: 'error', message: 'Internal server error' }`: the text is all we can keep then.
 */
export function describeFailure(error: unknown): HandlerFailure {
  const permanent = isPermanentMessageError(error);
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? ` (cause: ${cause.message})` : '';
    return { permanent, message: `${error.name}: ${error.message}${causeText}` };
  }
  if (typeof error === 'object' && error !== null) {
    const message = (error as Record<string, unknown>)['message'];
    if (typeof message === 'string') return { permanent, message };
    try {
      return { permanent, message: JSON.stringify(error) };
    } catch {
      return { permanent, message: String(error) };
    }
  }
  return { permanent, message: String(error) };
}
