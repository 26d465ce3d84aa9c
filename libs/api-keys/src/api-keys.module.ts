import { Module } from '@nestjs/common';
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
export class ApiKeysModule {}
