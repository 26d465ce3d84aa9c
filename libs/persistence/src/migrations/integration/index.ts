import { MigrationClass } from '../migration-class';
import { CreateIntegrationSchema1763831000000 } from './1763831000000-CreateIntegrationSchema';

// Migrations of the `integration` schema, registered by its owner (DESIGN §6).
export const INTEGRATION_MIGRATIONS: MigrationClass[] = [CreateIntegrationSchema1763831000000];
