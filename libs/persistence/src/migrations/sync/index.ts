import { MigrationClass } from '../migration-class';
import { CreateSyncSchema1763830100000 } from './1763830100000-CreateSyncSchema';

export const SYNC_MIGRATIONS: MigrationClass[] = [CreateSyncSchema1763830100000];
