import { Transform } from 'class-transformer';
import { IsIn, ValidationOptions, registerDecorator } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function IsLogLevel(): PropertyDecorator {
  return IsIn(LOG_LEVELS as unknown as string[], { message: `$property must be one of ${LOG_LEVELS.join(', ')}` });
}

function urlWithProtocols(property: string, protocols: string[], description: string, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: property,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be ${description}`, ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string') return false;
          try {
            const url = new URL(value);
            return protocols.includes(url.protocol) && url.hostname !== '';
          } catch {
            return false;
          }
        },
      },
    });
  };
}

export const IsPostgresUrl = (options?: ValidationOptions) =>
  urlWithProtocols('isPostgresUrl', ['postgres:', 'postgresql:'], 'a postgres:// URL', options);

/** One or more comma-separated nats:// URLs (a cluster's seed list). */
export function IsNatsUrl(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isNatsUrl',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a nats:// URL (comma-separated for several servers)', ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string') return false;
          return value.split(',').every((part) => {
            try {
              const url = new URL(part.trim());
              return ['nats:', 'tls:'].includes(url.protocol) && url.hostname !== '';
            } catch {
              return false;
            }
          });
        },
      },
    });
  };
}

export const IsHttpUrl = (options?: ValidationOptions) =>
  urlWithProtocols('isHttpUrl', ['http:', 'https:'], 'an http:// or https:// URL', options);

/** A base64 string that decodes to exactly `bytes` bytes (e.g. a 32-byte AES-256 key). */
export function IsBase64Key(bytes: number, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isBase64Key',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must be ${bytes} bytes encoded as base64 (e.g. \`openssl rand -base64 ${bytes}\`)`, ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
          return Buffer.from(value, 'base64').length === bytes;
        },
      },
    });
  };
}

/** `true/false/1/0/yes/no` → boolean (implicit conversion would turn "false" into true). */
export function EnvBoolean(): PropertyDecorator {
  return Transform(({ value }) => {
    if (typeof value === 'boolean') return value;
    if (typeof value !== 'string') return value;
    const v = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
    return value; // left as a string so @IsBoolean reports it
  });
}
