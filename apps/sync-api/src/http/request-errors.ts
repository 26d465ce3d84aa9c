import { BadRequestException } from '@nestjs/common';
import { FieldError } from './error-body';

/** 400 naming the offending fields; the message lists them too so a client that only reads `message` learns which. */
export function invalidInput(details: FieldError[]): BadRequestException {
  return new BadRequestException({
    message: details.map((d) => (d.message.startsWith(d.field) ? d.message : `${d.field} ${d.message}`)).join('; '),
    details,
  });
}

export function invalidField(field: string, message: string, allowed?: unknown[]): BadRequestException {
  return invalidInput([{ field, message: message.startsWith(field) ? message : `${field} ${message}`, ...(allowed ? { allowed } : {}) }]);
}
