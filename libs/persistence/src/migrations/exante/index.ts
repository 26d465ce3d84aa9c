import { MigrationClass } from '../migration-class';
import { CreateExanteModel1763834000000 } from './1763834000000-CreateExanteModel';

// Migrations of the `exante` schema, registered by its owner (DESIGN §6).
export const EXANTE_MIGRATIONS: MigrationClass[] = [CreateExanteModel1763834000000];
