import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { NatsHandle, startNats, waitFor } from '@hubsync/testing';
import { JetStreamManager, NatsConnection, connect } from 'nats';
import { JetStreamPublisher } from '../src/jetstream/jetstream-publisher';
import { consumerState, streamMessages, testTopology } from './support/jetstream-test-kit';

const workspaceRoot = join(__dirname, '..', '..', '..');
const childScript = join(__dirname, 'fixtures', 'consumer-child.ts');

interface ChildEvent {
  pid: number;
  event: string;
  deliveryCount?: number;
  data?: unknown;
  message?: string;
}

/** A consumer process running the library's JetStreamServer (TypeScript via ts-node). */
class ConsumerProcess {
  readonly events: ChildEvent[] = [];
  private readonly child: ChildProcess;
  private stderr = '';

  constructor(natsUrl: string, topology: unknown, mode: 'hang' | 'ok') {
    this.child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', childScript], {
      cwd: workspaceRoot,
      env: {
        ...process.env,
        NATS_URL: natsUrl,
        CHILD_TOPOLOGY: JSON.stringify(topology),
        CHILD_MODE: mode,
        TS_NODE_PROJECT: join(workspaceRoot, 'tsconfig.spec.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { stdout, stderr } = this.child;
    if (!stdout || !stderr) throw new Error('consumer child has no stdout/stderr pipes');
    createInterface({ input: stdout }).on('line', (line) => {
      try {
        this.events.push(JSON.parse(line));
      } catch {
        // not one of our reports
      }
    });
    stderr.on('data', (d: Buffer) => (this.stderr = (this.stderr + d.toString()).slice(-4_000)));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async waitFor(event: string, timeoutMs = 60_000): Promise<ChildEvent> {
    return waitFor(`child ${this.pid} to report ${event}`, () => {
      if (this.child.exitCode !== null && !this.events.some((e) => e.event === event)) {
        throw new Error(`child exited with ${this.child.exitCode}: ${this.stderr} ${JSON.stringify(this.events)}`);
      }
      return this.events.find((e) => e.event === event);
    }, timeoutMs, 50);
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill(signal);
    });
  }
}

describe('a consumer process SIGKILLed mid-handler', () => {
  let nats: NatsHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const children: ConsumerProcess[] = [];

  beforeAll(async () => {
    nats = await startNats();
    nc = await connect({ servers: nats.natsUrl });
    jsm = await nc.jetstreamManager();
  });

  afterAll(async () => {
    await Promise.all(children.map((c) => c.kill('SIGKILL')));
    await nc?.close();
    await nats?.stop();
  });

  it('leaves its message to another consumer process', async () => {
    // Short ack wait so the server notices the dead consumer quickly.
    const topology = testTopology('sigkill', { ackWaitMs: 3_000, maxConcurrency: 1 });

    const doomed = new ConsumerProcess(nats.natsUrl, topology, 'hang');
    children.push(doomed);
    await doomed.waitFor('ready');

    await new JetStreamPublisher(nc).publish(`${topology.subject}.portal-7`, { job: 'job-7' }, { msgId: 'sigkill-7' });
    const first = await doomed.waitFor('handling');
    expect(first).toMatchObject({ deliveryCount: 1, data: { job: 'job-7' } });

    await doomed.kill('SIGKILL');

    const survivor = new ConsumerProcess(nats.natsUrl, topology, 'ok');
    children.push(survivor);
    const handled = await survivor.waitFor('handled');
    expect(handled.data).toEqual({ job: 'job-7' });
    const redelivery = survivor.events.find((e) => e.event === 'handling');
    expect(redelivery?.deliveryCount).toBeGreaterThanOrEqual(2);
    expect(redelivery?.pid).not.toBe(first.pid);

    await waitFor('the survivor to ack', async () => (await streamMessages(jsm, topology.stream)) === 0, 20_000);
    expect(await consumerState(jsm, topology.consumer)).toMatchObject({ ackPending: 0, pending: 0 });
    await survivor.kill('SIGTERM');
  });
});
