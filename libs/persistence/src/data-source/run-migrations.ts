import { createDataSource } from './create-data-source';

/**
 * Applies every pending migration; safe to call again (already-applied ones are skipped) and from
 * several processes at once (an advisory lock serialises them).
 */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const ds = createDataSource({ databaseUrl, poolSize: 2, applicationName: 'hubsync-migrate' });
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock(727274)');
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await ds.query('SELECT pg_advisory_unlock(727274)');
    }
  } finally {
    await ds.destroy();
  }
}
