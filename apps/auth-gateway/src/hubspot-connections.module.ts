import { DynamicModule, Module } from '@nestjs/common';
import { ApiKeysModule } from '@hubsync/api-keys';
import { BridgesController } from './bridges/bridges.controller';
import { BridgesService } from './bridges/bridges.service';
import { ConnectionsController } from './connections/connections.controller';
import { ConnectionsRepository } from './connections/connections.repository';
import { ConnectionsService } from './connections/connections.service';
import { tokenCipherProvider } from './crypto/token-cipher.provider';
import { HubSpotOAuthClient } from './hubspot-auth/hubspot-oauth.client';
import { ApiKeyUnlessBridgeGuard } from './oauth/api-key-unless-bridge.guard';
import { OAuthStateService } from './oauth/oauth-state.service';
import { OAuthController } from './oauth/oauth.controller';
import { OAuthService } from './oauth/oauth.service';
import { AuthRpcController } from './rpc/auth-rpc.controller';
import { AUTH_SETTINGS, AuthSettings } from './settings/auth-settings';
import { KeyRotationService } from './tokens/key-rotation.service';
import { TokenService } from './tokens/token.service';
import { TokenStore } from './tokens/token-store';

/**
 * HubSpot connections (issue 4): OAuth install, private-app tokens, bridges, the encrypted token
 * store with single-flight refresh, and the `auth.*` NATS request handlers. Needs a TypeORM
 * DataSource (AppModule's TypeOrmModule) and, for the handlers, the NATS microservice from
 * `connectAuthRpc`.
 */
@Module({})
export class HubSpotConnectionsModule {
  static forRoot(settings: AuthSettings): DynamicModule {
    return {
      module: HubSpotConnectionsModule,
      imports: [ApiKeysModule],
      controllers: [OAuthController, ConnectionsController, BridgesController, AuthRpcController],
      providers: [
        { provide: AUTH_SETTINGS, useValue: settings },
        tokenCipherProvider,
        HubSpotOAuthClient,
        ConnectionsRepository,
        TokenStore,
        TokenService,
        KeyRotationService,
        ConnectionsService,
        OAuthStateService,
        OAuthService,
        BridgesService,
        ApiKeyUnlessBridgeGuard,
      ],
      exports: [TokenService, ConnectionsService],
    };
  }
}
