import { NatsConnection } from 'nats';
import { MessageTooLargeError } from '../errors/message-too-large.error';
import { JetStreamPublisher } from './jetstream-publisher';

describe('JetStreamPublisher', () => {
  const publish = jest.fn(async () => ({ stream: 'S', seq: 7, duplicate: false }));
  const nc = { jetstream: () => ({ publish }) } as unknown as NatsConnection;

  beforeEach(() => publish.mockClear());

  it('refuses payloads above the byte cap without publishing', async () => {
    const publisher = new JetStreamPublisher(nc, 100);
    const error = await publisher.publish('a.b', { text: 'x'.repeat(200) }, { msgId: 'm1' }).catch((e) => e);
    expect(error).toBeInstanceOf(MessageTooLargeError);
    expect(error.message).toMatch(/a\.b is 211 bytes, above MAX_MESSAGE_BYTES \(100\)/);
    expect(publish).not.toHaveBeenCalled();
  });

  it('publishes JSON with the msg id and returns the ack', async () => {
    const publisher = new JetStreamPublisher(nc);
    await expect(publisher.publish('a.b', { n: 1 }, { msgId: 'm2' })).resolves.toEqual({ stream: 'S', seq: 7, duplicate: false });
    expect(publish).toHaveBeenCalledWith('a.b', new TextEncoder().encode('{"n":1}'), expect.objectContaining({ msgID: 'm2' }));
  });

  it('requires a msg id', async () => {
    await expect(new JetStreamPublisher(nc).publish('a.b', {}, { msgId: '' })).rejects.toThrow(/msgId is required/);
  });

  it('measures the encoded size the cap applies to', () => {
    expect(JetStreamPublisher.encodedSize({ s: 'é' })).toBe(10);
  });
});
