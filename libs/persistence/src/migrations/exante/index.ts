import { MigrationClass } from '../migration-class';
// Migrations of the `exante` schema, registered by its owner (DESIGN §6).
export const EXANTE_MIGRATIONS: MigrationClass[] = [];
