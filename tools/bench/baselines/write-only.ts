import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { Client } from 'pg';
import { copyFrom, copyText } from '../infra/pg-copy';
import { BaselineConfig, BaselineResult } from './baseline-types';
import { walkAll } from './list-walk';

const COLUMNS = ['organization_uid', 'object_type', 'id', 'portal_id', 'properties', 'created_at', 'updated_at', 'archived', 'archived_at'];

/**
 * issue 8 §1 `write_only`: the same rows (read from the sandbox first, untimed, into COPY text in a
 * temp file) written by ONE `COPY … FROM STDIN` into a fresh table built `LIKE hubspot.objects
 * INCLUDING ALL` — the mirror's columns, primary key and indexes. Timed: from sending the COPY to
 * its completion (autocommit: committed when it returns).
 */
export async function runWriteOnly(config: BaselineConfig): Promise<Omit<BaselineResult, 'peak_rss_mb' | 'cpu_s'>> {
  const organizationUid = randomUUID();
  const file = join(config.tempDir, `write-only-${process.pid}.copy`);
  const out = createWriteStream(file);
  const prepStarted = Date.now();
  const counts = await walkAll(config, async (objectType, records) => {
    let text = '';
    for (const r of records) {
      text += [organizationUid, objectType, r.id, String(config.portalId), JSON.stringify(r.properties), r.createdAt, r.updatedAt, r.archived ? 't' : 'f', r.archivedAt ?? null]
        .map(copyText)
        .join('\t');
      text += '\n';
    }
    if (!out.write(text)) await once(out, 'drain');
  });
  out.end();
  await once(out, 'finish');
  const prepSeconds = (Date.now() - prepStarted) / 1000;
  const bytes = statSync(file).size;

  const client = new Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS bench`);
    await client.query(`DROP TABLE IF EXISTS bench.write_only_objects`);
    await client.query(`CREATE TABLE bench.write_only_objects (LIKE hubspot.objects INCLUDING ALL)`);
    const indexes = await client.query(`SELECT count(*) AS n FROM pg_indexes WHERE schemaname = 'bench' AND tablename = 'write_only_objects'`);
    const started = process.hrtime.bigint();
    const rows = await copyFrom(client, `COPY bench.write_only_objects (${COLUMNS.join(', ')}) FROM STDIN`, createReadStream(file, { highWaterMark: 1 << 20 }));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (rows !== counts.records) throw new Error(`COPY wrote ${rows} rows but ${counts.records} were read`);
    await client.query(`DROP TABLE bench.write_only_objects`);
    return {
      kind: 'write_only',
      records: rows,
      seconds,
      records_per_s: seconds > 0 ? rows / seconds : null,
      method: 'measured: one COPY FROM STDIN (text format) into a table LIKE hubspot.objects INCLUDING ALL (same primary key and indexes), autocommit',
      details: { copy_bytes: bytes, indexes: Number(indexes.rows[0].n), preparation_s: Math.round(prepSeconds * 10) / 10 },
    };
  } finally {
    await client.end().catch(() => undefined);
    rmSync(file, { force: true });
  }
}
