import { DynamicModule, Module } from '@nestjs/common';

/**
 * Makes an already-validated config instance injectable everywhere by its class
 * (`constructor(private readonly config: SyncApiConfig)`).
 */
@Module({})
export class AppConfigModule {
  static forRoot(config: object): DynamicModule {
    const provider = { provide: config.constructor, useValue: config };
    return { module: AppConfigModule, global: true, providers: [provider], exports: [provider] };
  }
}
