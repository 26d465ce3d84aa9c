import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AccountController } from './account/account.controller';
import { AdminTokenGuard } from './admin/admin-token.guard';
import { AdminController } from './admin/admin.controller';
import { AdminService } from './admin/admin.service';
import { OAuthController } from './auth/oauth.controller';
import { OAuthService } from './auth/oauth.service';
import { SandboxConfig } from './config/sandbox.config';
import { AssociationsController } from './crm/associations.controller';
import { AssociationsService } from './crm/associations.service';
import { CrmEvents } from './crm/crm-events';
import { CrmWriter } from './crm/crm-writer.service';
import { MetadataController } from './crm/metadata.controller';
import { MetadataService } from './crm/metadata.service';
import { ObjectsController } from './crm/objects.controller';
import { ObjectsService } from './crm/objects.service';
import { GeneratorService } from './generator/generator.service';
import { LiveModeService } from './generator/live-mode.service';
import { GatewayMiddleware } from './gateway/gateway.middleware';
import { HealthController } from './health/health.controller';
import { HubSpotExceptionFilter } from './http/hubspot-exception.filter';
import { SandboxState } from './state/sandbox-state.service';
import { DemoPortalLoader } from './state/demo-portal.loader';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.service';
import { WebhooksController } from './webhooks/webhooks.controller';

@Module({})
export class AppModule implements NestModule {
  static forRoot(config: SandboxConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController, AdminController, OAuthController, ObjectsController, AssociationsController, MetadataController, AccountController, WebhooksController],
      providers: [
        { provide: SandboxConfig, useValue: config },
        { provide: APP_FILTER, useClass: HubSpotExceptionFilter },
        SandboxState,
        CrmEvents,
        CrmWriter,
        ObjectsService,
        AssociationsService,
        MetadataService,
        OAuthService,
        AdminService,
        AdminTokenGuard,
        GeneratorService,
        LiveModeService,
        WebhookDispatcher,
        DemoPortalLoader,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(GatewayMiddleware)
      .exclude({ path: '__admin/{*rest}', method: RequestMethod.ALL }, { path: 'health/{*rest}', method: RequestMethod.ALL })
      .forRoutes({ path: '*', method: RequestMethod.ALL });
  }
}
