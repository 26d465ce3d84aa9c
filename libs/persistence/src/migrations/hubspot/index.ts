import { MigrationClass } from '../migration-class';
import { CreateHubspotMirror1763832000000 } from './1763832000000-CreateHubspotMirror';

// Migrations of the `hubspot` schema, registered by its owner (DESIGN §6).
export const HUBSPOT_MIGRATIONS: MigrationClass[] = [CreateHubspotMirror1763832000000];
