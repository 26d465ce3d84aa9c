import { MigrationClass } from '../migration-class';
// Migrations of the `integration` schema, registered by its owner (DESIGN §6).
export const INTEGRATION_MIGRATIONS: MigrationClass[] = [];
