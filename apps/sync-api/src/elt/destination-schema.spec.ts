import { defaultDestinationSchemaName, destinationSchemaNameProblem } from './destination-schema';

describe('destination schema names', () => {
  it('accepts plain identifiers', () => {
    expect(destinationSchemaNameProblem('hubspot_acme')).toBeNull();
    expect(destinationSchemaNameProblem('_x1')).toBeNull();
    expect(destinationSchemaNameProblem('a'.repeat(63))).toBeNull();
  });

  it.each(['public', 'hubspot', 'core', 'sync', 'integration', 'stanna', 'exante', 'information_schema', 'pg_catalog', 'pg_anything'])(
    'rejects the reserved name %p',
    (name) => {
      expect(destinationSchemaNameProblem(name)).toMatch(/reserved/);
    },
  );

  it.each(['', 'Hubspot', '1abc', 'a-b', 'a b', 'x"; drop schema core; --', 'a'.repeat(64), 'ünïcode'])('rejects %p', (name) => {
    expect(destinationSchemaNameProblem(name)).not.toBeNull();
  });

  it('rejects non-strings', () => {
    expect(destinationSchemaNameProblem(42)).not.toBeNull();
    expect(destinationSchemaNameProblem(undefined)).not.toBeNull();
  });

  it('derives the default name from the organization uid', () => {
    expect(defaultDestinationSchemaName('0A1B2C3D-0000-0000-0000-000000000000')).toBe('hubspot_0a1b2c3d');
    expect(destinationSchemaNameProblem(defaultDestinationSchemaName('0a1b2c3d-0000-0000-0000-000000000000'))).toBeNull();
  });
});
