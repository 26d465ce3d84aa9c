import type { Client } from 'pg';

/**
 * `COPY … FROM STDIN` over node-postgres without pg-copy-streams (not a dependency here): pg's
 * `client.query()` accepts any object with `submit(connection)` (a "Submittable", the same hook
 * pg-copy-streams and pg-cursor use), and its Connection has `sendCopyFromChunk`, `endCopyFrom` and
 * `sendCopyFail` (pg/lib/connection.js). The server answers the COPY statement with CopyInResponse,
 * the client routes that to `handleCopyInResponse` (pg/lib/client.js `_handleCopyInResponse`), and
 * we stream the chunks, respecting the socket's back-pressure.
 */
interface PgConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
  stream: NodeJS.WritableStream & { writableNeedDrain?: boolean };
}

class CopyFromStdin {
  private resolve!: (rows: number) => void;
  private reject!: (error: Error) => void;
  readonly done = new Promise<number>((resolve, reject) => {
    this.resolve = resolve;
    this.reject = reject;
  });
  private rows = 0;
  private failed = false;

  constructor(private readonly text: string, private readonly chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>) {}

  submit(connection: PgConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: PgConnection): void {
    void this.pump(connection);
  }

  private async pump(connection: PgConnection): Promise<void> {
    try {
      for await (const chunk of this.chunks) {
        connection.sendCopyFromChunk(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
        if (connection.stream.writableNeedDrain) await new Promise((r) => connection.stream.once('drain', r));
      }
      connection.endCopyFrom();
    } catch (error) {
      this.failed = true;
      connection.sendCopyFail(`client failed producing COPY data: ${(error as Error).message}`);
      this.reject(error as Error);
    }
  }

  handleCommandComplete(msg: { text?: string }): void {
    const m = /^COPY (\d+)/.exec(msg.text ?? '');
    if (m) this.rows = Number(m[1]);
  }

  handleReadyForQuery(): void {
    if (!this.failed) this.resolve(this.rows);
  }

  handleError(error: Error): void {
    this.failed = true;
    this.reject(error);
  }

  // Messages a COPY FROM never produces; pg calls them on the active query if they came.
  handleRowDescription(): void {
    // not part of COPY FROM
  }
  handleDataRow(): void {
    // not part of COPY FROM
  }
  handlePortalSuspended(): void {
    // not part of COPY FROM
  }
  handleEmptyQuery(): void {
    // not part of COPY FROM
  }
  handleCopyData(): void {
    // not part of COPY FROM
  }
}

/** Runs `copyStatement` (… FROM STDIN) feeding it `chunks`; resolves with the row count the server reports. */
export async function copyFrom(client: Client, copyStatement: string, chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): Promise<number> {
  const copy = new CopyFromStdin(copyStatement, chunks);
  (client as unknown as { query(q: unknown): unknown }).query(copy);
  return copy.done;
}

/** A value in COPY's text format: backslash, tab, newline and carriage return escaped; null as \N. */
export function copyText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
