import { CORE_MIGRATIONS } from './core';
import { INTEGRATION_MIGRATIONS } from './integration';
import { SYNC_MIGRATIONS } from './sync';
import { HUBSPOT_MIGRATIONS } from './hubspot';
import { STANNA_MIGRATIONS } from './stanna';
import { EXANTE_MIGRATIONS } from './exante';

// Each schema's owner registers its migrations in that schema's folder; TypeORM orders them by the
// epoch prefix of the class name, so the order of these arrays does not matter.
export const ALL_MIGRATIONS = [
  ...CORE_MIGRATIONS,
  ...INTEGRATION_MIGRATIONS,
  ...SYNC_MIGRATIONS,
  ...HUBSPOT_MIGRATIONS,
  ...STANNA_MIGRATIONS,
  ...EXANTE_MIGRATIONS,
];
