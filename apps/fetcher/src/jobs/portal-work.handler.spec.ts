import { PermanentMessageError } from '@hubsync/messaging';
import { DriverRegistry } from '../drivers/driver-registry.service';
import { parseNotice, PortalWorkHandler } from './portal-work.handler';

const notice = { organizationUid: '6f1c3a52-1f1e-4a51-8c4e-1c7d2f0f6a10', connectionId: '0b8e1c24-5d7a-4b0f-9a51-2f3c4d5e6f70', portalId: '20000001', jobId: '9d1e2f30-4a5b-4c6d-8e7f-901a2b3c4d5e' };

describe('sync.portal-work.v1 handler', () => {
  it('hands a valid notice to the registry (which acks it whether or not the portal is driven here)', async () => {
    const registry = { onNotice: jest.fn().mockResolvedValue(undefined) } as unknown as DriverRegistry;
    await new PortalWorkHandler(registry).onPortalWork(notice);
    expect(registry.onNotice).toHaveBeenCalledWith('20000001');
  });

  it.each([
    [null, /payload must be an object/],
    [{ ...notice, jobId: 'nope' }, /jobId must be a uuid/],
    [{ ...notice, portalId: 'abc' }, /portalId must be a numeric string/],
    [{ ...notice, organizationUid: undefined }, /organizationUid must be a uuid/],
  ])('dead-letters an invalid notice at once: %j', (payload, message) => {
    expect(() => parseNotice(payload)).toThrow(PermanentMessageError);
    expect(() => parseNotice(payload)).toThrow(message);
  });
});
