import { DynamicModule, Module } from '@nestjs/common';
import { API_KEY_CACHE_OPTIONS, ApiKeyCacheOptions } from './api-key-cache.options';
import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyService } from './api-key.service';
import { OrganizationResolver } from './organization.resolver';
import { TenancyService } from './tenancy.service';

/**
 * API keys, the guard, org resolution and tenancy. Needs a TypeORM `DataSource` provider visible to
 * it (TypeOrmModule.forRoot registers one globally).
 */
@Module({
  providers: [ApiKeyService, ApiKeyGuard, OrganizationResolver, TenancyService],
  exports: [ApiKeyService, ApiKeyGuard, OrganizationResolver, TenancyService],
})
export class ApiKeysModule {
  /** The same module with key and organization lookups cached per process (see ApiKeyCacheOptions). */
  static withCache(options: ApiKeyCacheOptions): DynamicModule {
    return { module: ApiKeysModule, providers: [{ provide: API_KEY_CACHE_OPTIONS, useValue: options }] };
  }
}
