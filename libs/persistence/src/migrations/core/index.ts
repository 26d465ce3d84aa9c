import { MigrationClass } from '../migration-class';
import { CreateCoreSchema1763830000000 } from './1763830000000-CreateCoreSchema';

export const CORE_MIGRATIONS: MigrationClass[] = [CreateCoreSchema1763830000000];
