import { readSettings } from './stack-settings';

describe('readSettings', () => {
  it('uses the documented default ports and runs the demo', () => {
    const s = readSettings([], {});
    expect(s.ports).toEqual({ 'sync-api': 3000, 'auth-gateway': 3001, fetcher: 3002, mapper: 3003, 'hubspot-sandbox': 4010, postgres: 5433, nats: 4222 });
    expect(s.demo).toBe(true);
    expect(s.rawLogs).toBe(false);
  });

  it('takes port overrides from the environment and --no-demo / --raw-logs from the arguments', () => {
    const s = readSettings(['--no-demo', '--raw-logs'], { SYNC_API_PORT: '4000', SANDBOX_PORT: '4999', STACK_NATS_PORT: '' });
    expect(s.ports['sync-api']).toBe(4000);
    expect(s.ports['hubspot-sandbox']).toBe(4999);
    expect(s.ports.nats).toBe(4222);
    expect(s.demo).toBe(false);
    expect(s.rawLogs).toBe(true);
  });

  it('rejects a bad port naming the variable, and unknown arguments', () => {
    expect(() => readSettings([], { MAPPER_PORT: '70000' })).toThrow(/MAPPER_PORT must be a port number/);
    expect(() => readSettings(['--demo-please'], {})).toThrow(/unknown argument\(s\): --demo-please/);
  });
});
