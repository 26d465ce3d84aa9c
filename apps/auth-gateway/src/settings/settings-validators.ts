import { registerDecorator, ValidationOptions } from 'class-validator';
import { scopePlanFor } from '../scopes/required-scopes';

function custom(name: string, message: string, validate: (value: unknown) => boolean, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message, ...options },
      validator: { validate },
    });
  };
}

/** Comma-separated base64 keys of `bytes` bytes each (old token encryption keys kept for decryption). */
export const IsBase64KeyList = (bytes: number) =>
  custom('isBase64KeyList', `$property must be comma-separated base64 keys of ${bytes} bytes each`, (value) => {
    if (typeof value !== 'string') return false;
    const parts = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    return parts.every((p) => /^[A-Za-z0-9+/]+={0,2}$/.test(p) && Buffer.from(p, 'base64').length === bytes);
  });

/** Comma-separated HubSpot object type names the required scopes are computed from. */
export const IsObjectTypeList = () =>
  custom('isObjectTypeList', '$property must be comma-separated HubSpot object types (e.g. contacts,companies,deals)', (value) => {
    if (typeof value !== 'string') return false;
    const names = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    if (names.length === 0) return false;
    try {
      scopePlanFor(names);
      return true;
    } catch {
      return false;
    }
  });

/** Comma-separated http(s) origins (scheme, host and optional port; no path). */
export const IsOriginList = () =>
  custom('isOriginList', '$property must be comma-separated http(s) origins such as https://app.example.com (no path)', (value) => {
    if (typeof value !== 'string') return false;
    const parts = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    return parts.every((p) => {
      try {
        const url = new URL(p);
        return (url.protocol === 'http:' || url.protocol === 'https:') && (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash && !url.username && !url.password;
      } catch {
        return false;
      }
    });
  });
