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
 * issue 8 §1 `write_only`: the same rows (prepared first, untimed, as COPY text in a temp file: from
 * the full sync's mirror rows when there are, else read from the sandbox) written by ONE `COPY … FROM STDIN` into a fresh table built `LIKE hubspot.objects
 * INCLUDING ALL` — the mirror's columns, primary key and indexes. Timed: from sending the COPY to
 * its completion (autocommit: committed when it returns).
 */
export async function runWriteOnly(config: BaselineConfig): Promise<Omit<BaselineResult, 'peak_rss_mb' | 'cpu_s'>> {
  const organizationUid = randomUUID();
  const file = join(config.tempDir, `write-only-${process.pid}.copy`);
  const client = new Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    const prepStarted = Date.now();
    const prepared = config.mirrorOrganizationUid
      ? await prepareFromMirror(client, config.mirrorOrganizationUid, organizationUid, file)
      : await prepareFromSandbox(config, organizationUid, file);
    const prepSeconds = (Date.now() - prepStarted) / 1000;
    const bytes = statSync(file).size;

    await client.query(`CREATE SCHEMA IF NOT EXISTS bench`);
    await client.query(`DROP TABLE IF EXISTS bench.write_only_objects`);
    await client.query(`CREATE TABLE bench.write_only_objects (LIKE hubspot.objects INCLUDING ALL)`);
    const indexes = await client.query(`SELECT count(*) AS n FROM pg_indexes WHERE schemaname = 'bench' AND tablename = 'write_only_objects'`);
    const started = process.hrtime.bigint();
    const rows = await copyFrom(client, `COPY bench.write_only_objects (${COLUMNS.join(', ')}) FROM STDIN`, createReadStream(file, { highWaterMark: 1 << 20 }));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (rows !== prepared) throw new Error(`COPY wrote ${rows} rows but ${prepared} were prepared`);
    await client.query(`DROP TABLE bench.write_only_objects`);
    return {
      kind: 'write_only',
      records: rows,
      seconds,
      records_per_s: seconds > 0 ? rows / seconds : null,
      method: `measured: one COPY FROM STDIN (text format) into a table LIKE hubspot.objects INCLUDING ALL (same primary key and indexes), autocommit; rows prepared from ${config.mirrorOrganizationUid ? 'the full sync\'s mirror rows' : 'the sandbox (list pages)'}`,
      details: { copy_bytes: bytes, indexes: Number(indexes.rows[0].n), preparation_s: Math.round(prepSeconds * 10) / 10 },
    };
  } finally {
    await client.end().catch(() => undefined);
    rmSync(file, { force: true });
  }
}

/** The portal's records read again from the sandbox (list pages, as fetch_only), as COPY text. */
async function prepareFromSandbox(config: BaselineConfig, organizationUid: string, file: string): Promise<number> {
  const out = createWriteStream(file);
  const counts = await walkAll(config, async (objectType, records) => {
    let text = '';
    for (const r of records) {
      text += line([organizationUid, objectType, r.id, String(config.portalId), JSON.stringify(r.properties), r.createdAt, r.updatedAt, r.archived ? 't' : 'f', r.archivedAt ?? null]);
    }
    if (!out.write(text)) await once(out, 'drain');
  });
  out.end();
  await once(out, 'finish');
  return counts.records;
}

/** The rows the full sync committed for `source`, paged by primary key, as COPY text under a new organization. */
async function prepareFromMirror(client: Client, source: string, organizationUid: string, file: string): Promise<number> {
  const out = createWriteStream(file);
  let after: [string, string] = ['', ''];
  let total = 0;
  for (;;) {
    const page = await client.query<{ object_type: string; id: string; portal_id: string; properties: string; created_at: string | null; updated_at: string; archived: boolean; archived_at: string | null }>(
      `SELECT object_type, id, portal_id, properties::text AS properties, created_at::text, updated_at::text, archived, archived_at::text
         FROM hubspot.objects WHERE organization_uid = $1 AND (object_type, id) > ($2, $3) ORDER BY object_type, id LIMIT 5000`,
      [source, after[0], after[1]],
    );
    if (page.rows.length === 0) break;
    let text = '';
    for (const r of page.rows) text += line([organizationUid, r.object_type, r.id, r.portal_id, r.properties, r.created_at, r.updated_at, r.archived ? 't' : 'f', r.archived_at]);
    if (!out.write(text)) await once(out, 'drain');
    total += page.rows.length;
    const last = page.rows[page.rows.length - 1];
    after = [last.object_type, last.id];
  }
  out.end();
  await once(out, 'finish');
  return total;
}

function line(values: Array<string | null | undefined>): string {
  return `${values.map(copyText).join('\t')}\n`;
}
