import { MigrationClass } from '../migration-class';
import { CreateSyncSchema1763830100000 } from './1763830100000-CreateSyncSchema';
import { CreateSyncApiTables1763830400000 } from './1763830400000-CreateSyncApiTables';
import { AddMapperTables1763830300000 } from './1763830300000-AddMapperTables';
import { CreateFetcherState1763830200000 } from './1763830200000-CreateFetcherState';
import { StatusReadIndexes1763830410000 } from './1763830410000-StatusReadIndexes';

export const SYNC_MIGRATIONS: MigrationClass[] = [CreateSyncSchema1763830100000, CreateSyncApiTables1763830400000, AddMapperTables1763830300000, CreateFetcherState1763830200000, StatusReadIndexes1763830410000];
