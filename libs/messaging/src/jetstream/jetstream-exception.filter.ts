import { Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';

/**
 * Hands a JetStream handler's error to the transport unchanged. Without it Nest's default RPC filter
 * logs the error and replaces it by "Internal server error", so the dead-letter record would lose
 * the real reason. Put `@UseFilters(JetStreamExceptionFilter)` on controllers with `@EventPattern`
 * JetStream handlers (or `useGlobalFilters` on a standalone microservice).
 */
@Catch()
export class JetStreamExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
