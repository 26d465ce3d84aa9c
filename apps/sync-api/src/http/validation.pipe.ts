import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { FieldError } from './error-body';
import { invalidInput } from './request-errors';

const PRIMITIVES: unknown[] = [String, Boolean, Number, Array, Object];

/**
 * Validates bodies and queries against their DTO classes. Unknown fields are rejected (a typo like
 * `deal_stage` must not silently mean "all stages"); every error names its field path.
 */
@Injectable()
export class RequestValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype, type } = metadata;
    if (type === 'custom' || type === 'param' || !metatype || PRIMITIVES.includes(metatype)) return value;
    const input = value === undefined || value === null || value === '' ? {} : value;
    if (typeof input !== 'object' || Array.isArray(input)) {
      throw invalidInput([{ field: type === 'body' ? 'body' : 'query', message: `${type === 'body' ? 'body' : 'query'} must be a JSON object` }]);
    }
    const instance = plainToInstance(metatype as new () => object, input, { enableImplicitConversion: false });
    const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
    if (errors.length > 0) throw invalidInput(flatten(errors));
    return instance;
  }
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      if (constraint === 'whitelistValidation') {
        out.push({ field: path, message: `${path} is not a known field` });
        continue;
      }
      // class-validator starts messages with the bare property name; say the full path instead.
      out.push({ field: path, message: message.startsWith(error.property) ? path + message.slice(error.property.length) : `${path}: ${message}` });
    }
    if (error.children?.length) out.push(...flatten(error.children, path));
  }
  return out;
}
