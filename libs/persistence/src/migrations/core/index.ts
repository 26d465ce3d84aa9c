import { MigrationClass } from '../migration-class';
import { CreateCoreSchema1763830000000 } from './1763830000000-CreateCoreSchema';
import { MembershipsByUser1763830040000 } from './1763830040000-MembershipsByUser';

export const CORE_MIGRATIONS: MigrationClass[] = [CreateCoreSchema1763830000000, MembershipsByUser1763830040000];
