import { Controller, Logger, Optional } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AUTH_CONNECTION_CHECK_SCOPES_V1,
  AUTH_CONNECTION_GET_V1,
  AUTH_TOKEN_GET_V1,
  AUTH_TOKEN_INVALIDATE_V1,
  AuthConnectionStatusV1,
  AuthTokenGetReplyV1,
  RpcErrorV1,
} from '@hubsync/contracts';
import { MetricsService } from '@hubsync/observability';
import { toStatusView } from '../connections/connection.types';
import { ConnectionsRepository } from '../connections/connections.repository';
import { ConnectionsService } from '../connections/connections.service';
import { UnknownObjectTypeError } from '../scopes/required-scopes';
import { TokenAccessError } from '../tokens/token-access.error';
import { TokenService } from '../tokens/token.service';
import { uuidField, stringArrayField, stringField } from './rpc-payload';

/**
 * `auth.*` request handlers over Nest's NATS transport (core NATS request/reply, one queue group so
 * replicas share the requests). Failures are answered with `RpcErrorV1`, never thrown, so callers
 * get a typed reason instead of a transport error. Payloads are never logged (they carry tokens).
 */
@Controller()
export class AuthRpcController {
  private readonly logger = new Logger(AuthRpcController.name);

  constructor(
    private readonly tokens: TokenService,
    private readonly connections: ConnectionsService,
    private readonly repository: ConnectionsRepository,
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  @MessagePattern(AUTH_TOKEN_GET_V1)
  tokenGet(@Payload() payload: unknown): Promise<AuthTokenGetReplyV1 | RpcErrorV1> {
    return this.answer(AUTH_TOKEN_GET_V1, () => this.tokens.getToken(uuidField(payload, 'connectionId')));
  }

  @MessagePattern(AUTH_TOKEN_INVALIDATE_V1)
  tokenInvalidate(@Payload() payload: unknown): Promise<AuthTokenGetReplyV1 | RpcErrorV1> {
    return this.answer(AUTH_TOKEN_INVALIDATE_V1, () =>
      this.tokens.invalidate(uuidField(payload, 'connectionId'), stringField(payload, 'accessToken', 4096)),
    );
  }

  @MessagePattern(AUTH_CONNECTION_GET_V1)
  connectionGet(@Payload() payload: unknown): Promise<AuthConnectionStatusV1 | RpcErrorV1> {
    return this.answer(AUTH_CONNECTION_GET_V1, async () => {
      const id = uuidField(payload, 'connectionId');
      const row = await this.repository.findById(id);
      if (!row) throw new TokenAccessError('not_found', `Connection ${id} does not exist`);
      return toStatusView(row);
    });
  }

  @MessagePattern(AUTH_CONNECTION_CHECK_SCOPES_V1)
  checkScopes(@Payload() payload: unknown): Promise<AuthConnectionStatusV1 | RpcErrorV1> {
    return this.answer(AUTH_CONNECTION_CHECK_SCOPES_V1, async () => {
      const id = uuidField(payload, 'connectionId');
      const objectTypes = stringArrayField(payload, 'objectTypes');
      let row;
      try {
        row = await this.connections.checkScopes(id, objectTypes);
      } catch (error) {
        if (error instanceof UnknownObjectTypeError) throw new TokenAccessError('invalid_request', `objectTypes: ${error.message}`);
        throw error;
      }
      if (!row) throw new TokenAccessError('not_found', `Connection ${id} does not exist`);
      return toStatusView(row);
    });
  }

  private async answer<T>(subject: string, run: () => Promise<T>): Promise<T | RpcErrorV1> {
    const requests = this.metrics?.counter('auth_rpc_requests_total', 'auth.* requests answered, by subject and outcome', ['subject', 'outcome']);
    try {
      const reply = await run();
      requests?.inc({ subject, outcome: 'ok' });
      return reply;
    } catch (error) {
      requests?.inc({ subject, outcome: error instanceof TokenAccessError ? error.kind : 'internal' });
      if (error instanceof TokenAccessError) return error.toRpcError();
      this.logger.error(`${subject} failed: ${error instanceof Error ? error.message : String(error)}`);
      return { error: { kind: 'internal', message: `${subject} failed; see auth-gateway logs` } };
    }
  }
}
