/** A payload above MAX_MESSAGE_BYTES would approach NATS's 1 MB max_payload: the caller must split it. */
export class MessageTooLargeError extends Error {
  override readonly name = 'MessageTooLargeError';

  constructor(readonly subject: string, readonly bytes: number, readonly limitBytes: number) {
    super(
      `Message for subject ${subject} is ${bytes} bytes, above MAX_MESSAGE_BYTES (${limitBytes}); ` +
        'split the batch into smaller messages',
    );
  }
}
