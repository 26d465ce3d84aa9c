import { NatsHandle, startNats, waitFor } from '@hubsync/testing';
import { NatsConnection, connect } from 'nats';
import { KvLease, KvLeaseManager } from '../src/kv/kv-lease-manager';

describe('KvLeaseManager against nats-server -js (bucket-level TTL)', () => {
  let nats: NatsHandle;
  let ncA: NatsConnection;
  let ncB: NatsConnection;
  const ttlMs = 1_500;

  beforeAll(async () => {
    nats = await startNats();
    [ncA, ncB] = await Promise.all([connect({ servers: nats.natsUrl }), connect({ servers: nats.natsUrl })]);
  });

  afterAll(async () => {
    await ncA?.close();
    await ncB?.close();
    await nats?.stop();
  });

  async function acquired(manager: KvLeaseManager, key: string): Promise<KvLease> {
    const lease = await manager.acquire(key);
    if (!lease) throw new Error(`expected to acquire ${key}`);
    return lease;
  }

  const managers = (bucket: string) => ({
    a: new KvLeaseManager(ncA, { bucket, ttlMs, holder: 'fetcher-a' }),
    b: new KvLeaseManager(ncB, { bucket, ttlMs, holder: 'fetcher-b' }),
  });

  it('lets only one holder take a key; the other succeeds once the lease expired', async () => {
    const { a, b } = managers('leases_expiry');
    const leaseA = await acquired(a, 'portal.101');
    expect(await b.acquire('portal.101')).toBeNull();
    expect(await b.current('portal.101')).toMatchObject({ holder: 'fetcher-a', revision: leaseA.revision });

    // nobody renews: the bucket's max age removes the key
    const leaseB = await waitFor('the lease to expire and be taken', () => b.acquire('portal.101'), 15_000, 250);
    expect(leaseB.revision).toBeGreaterThan(leaseA.revision);
    // the old holder's renew with its stale revision fails, and its release does not free B's lease
    expect(await leaseA.renew()).toBe(false);
    expect(leaseA.held).toBe(false);
    await leaseA.release();
    expect(await a.acquire('portal.101')).toBeNull();
    expect(await a.current('portal.101')).toMatchObject({ holder: 'fetcher-b' });
  });

  it('keeps a lease alive by renewing, with a growing revision, and refuses a stale revision', async () => {
    const { a, b } = managers('leases_renew');
    const lease = await acquired(a, 'portal.202');
    const first = lease.revision;
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, ttlMs / 2));
      expect(await lease.renew()).toBe(true);
    }
    // held for twice the TTL thanks to the renewals
    expect(await b.acquire('portal.202')).toBeNull();
    expect(lease.revision).toBeGreaterThan(first);

    const kv = await ncB.jetstream().views.kv('leases_renew');
    await expect(kv.update('portal.202', new TextEncoder().encode('{}'), first)).rejects.toThrow(/wrong last sequence/);
  });

  it('releases a held lease so the next acquirer does not wait for the TTL', async () => {
    const { a, b } = managers('leases_release');
    const lease = await acquired(a, 'portal.303');
    await lease.release();
    expect(lease.held).toBe(false);
    const next = await acquired(b, 'portal.303');
    expect(next.revision).toBeGreaterThan(lease.revision);
  });

  it('aligns an existing bucket with the configured TTL', async () => {
    await new KvLeaseManager(ncA, { bucket: 'leases_ttl', ttlMs: 60_000, holder: 'x' }).acquire('k');
    const shorter = new KvLeaseManager(ncA, { bucket: 'leases_ttl', ttlMs: 2_000, holder: 'x' });
    await shorter.acquire('k2');
    const status = await (await ncA.jetstream().views.kv('leases_ttl')).status();
    expect(status.ttl).toBe(2_000);
  });
});
