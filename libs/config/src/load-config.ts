import 'reflect-metadata';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';

/** Thrown when the environment does not satisfy a config class; the message names every bad variable. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigValidationError';
  }
}

/**
 * Builds and validates a config class from environment variables. Only the variables the class
 * declares are read; empty strings count as unset so the class's default applies. Messages never
 * contain the values (they may be secrets).
 */
export function loadConfig<T extends object>(configClass: ClassConstructor<T>, env: NodeJS.ProcessEnv = process.env): T {
  const defaults = new configClass() as Record<string, unknown>;
  const plain: Record<string, unknown> = {};
  for (const [name, kind] of declaredVariables(configClass, defaults)) {
    const value = env[name];
    if (value !== undefined && value !== '') plain[name] = coerce(value, kind);
  }
  const config = plainToInstance(configClass, plain, { exposeDefaultValues: true });
  const errors = validateSync(config, { forbidUnknownValues: true, validationError: { target: false, value: false } });
  if (errors.length > 0) throw new ConfigValidationError([...new Set(errors.flatMap(describe))]);
  return config;
}

/**
 * For `main.ts`: loads the config or prints why it is invalid and exits with code 1, before any
 * server starts.
 */
export function loadConfigOrExit<T extends object>(configClass: ClassConstructor<T>, serviceName: string, env: NodeJS.ProcessEnv = process.env): T {
  try {
    return loadConfig(configClass, env);
  } catch (error) {
    const msg = error instanceof Error ? error.message : String(error);
    // Plain JSON line like the pino logs, on stderr: the logger does not exist yet.
    process.stderr.write(`${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), service: serviceName, msg })}\n`);
    process.exit(1);
  }
}

type Kind = 'number' | 'boolean' | 'string';

const NUMERIC_VALIDATORS = new Set(['isInt', 'isNumber', 'isPositive', 'isNegative', 'min', 'max', 'isPort']);

/**
 * Every property with a validator is a variable. Its kind comes from the declared type, the default
 * value's type, or a numeric/boolean validator, so `@IsInt() ACK_WAIT_MS = 30_000` (inferred type,
 * no reflected metadata) still gets a number.
 */
function declaredVariables(configClass: ClassConstructor<object>, defaults: Record<string, unknown>): Map<string, Kind> {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(configClass, '', true, false);
  const kinds = new Map<string, Kind>();
  for (const m of metadatas) {
    const reflected = Reflect.getMetadata('design:type', configClass.prototype, m.propertyName);
    const byDefault = typeof defaults[m.propertyName];
    let kind: Kind = kinds.get(m.propertyName) ?? 'string';
    if (reflected === Number || byDefault === 'number' || NUMERIC_VALIDATORS.has(m.name ?? '')) kind = 'number';
    if (reflected === Boolean || byDefault === 'boolean' || m.name === 'isBoolean') kind = 'boolean';
    kinds.set(m.propertyName, kind);
  }
  return kinds;
}

function coerce(value: string, kind: Kind): unknown {
  const v = value.trim();
  if (kind === 'number') return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : value;
  if (kind === 'boolean') {
    if (['true', '1', 'yes', 'on'].includes(v.toLowerCase())) return true;
    if (['false', '0', 'no', 'off'].includes(v.toLowerCase())) return false;
  }
  return value; // left as given so the validator reports it
}

function describe(error: ValidationError): string[] {
  const own = Object.values(error.constraints ?? {});
  const nested = (error.children ?? []).flatMap(describe);
  return [...own, ...nested];
}
