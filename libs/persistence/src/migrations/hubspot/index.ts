import { MigrationClass } from '../migration-class';
// Migrations of the `hubspot` schema, registered by its owner (DESIGN §6).
export const HUBSPOT_MIGRATIONS: MigrationClass[] = [];
