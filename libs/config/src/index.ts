export * from './load-config';
export * from './env-decorators';
export * from './base-service.config';
export * from './app-config.module';
