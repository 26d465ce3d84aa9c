import { MigrationClass } from '../migration-class';
import { CreateSyncSchema1763830100000 } from './1763830100000-CreateSyncSchema';
import { CreateSyncApiTables1763830400000 } from './1763830400000-CreateSyncApiTables';

export const SYNC_MIGRATIONS: MigrationClass[] = [CreateSyncSchema1763830100000, CreateSyncApiTables1763830400000];
