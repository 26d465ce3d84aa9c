import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/**
 * Validates a REST body/query against its DTO class; unknown fields are rejected and the 400 names
 * every bad field in one `message` string (`{ statusCode, error, message }`).
 */
export function strictValidation(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors: ValidationError[]) => new BadRequestException(errors.flatMap((e) => describe(e)).join('; ')),
  });
}

function describe(error: ValidationError, parent = ''): string[] {
  const path = parent ? `${parent}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((m) => (m.startsWith(error.property) ? `${path}${m.slice(error.property.length)}` : m));
  return [...own, ...(error.children ?? []).flatMap((c) => describe(c, path))];
}
