import { MigrationClass } from '../migration-class';
// Migrations of the `stanna` schema, registered by its owner (DESIGN §6).
export const STANNA_MIGRATIONS: MigrationClass[] = [];
