import { MigrationClass } from '../migration-class';
import { CreateStannaModel1763833000000 } from './1763833000000-CreateStannaModel';
import { GinIndexesWithoutPendingList1763833010000 } from './1763833010000-GinIndexesWithoutPendingList';

// Migrations of the `stanna` schema, registered by its owner (DESIGN §6).
export const STANNA_MIGRATIONS: MigrationClass[] = [CreateStannaModel1763833000000, GinIndexesWithoutPendingList1763833010000];
