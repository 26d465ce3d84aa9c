export * from './api-key-format';
export * from './principal';
export * from './api-key.service';
export * from './api-key.guard';
export * from './current-principal.decorator';
export * from './organization.resolver';
export * from './tenancy.service';
export * from './api-keys.module';
