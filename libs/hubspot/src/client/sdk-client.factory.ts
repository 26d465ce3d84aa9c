import { Client } from '@hubspot/api-client';
import { CapturedResponse, lowerCaseHeaders } from '../errors/normalize-error';

export interface SdkClientOptions {
  basePath: string;
  accessToken: string;
  /** Called with every response's status and headers before the SDK parses (or fails to parse) it. */
  onResponse?: (captured: CapturedResponse) => void;
}

/**
 * One `@hubspot/api-client` Client per attempt, pointed at `basePath` (HubSpot or the sandbox).
 *
 * The SDK's retry and limiter decorators are process-global: every `new Client()` replaces them for
 * all clients (src/services/ApiDecoratorService.ts `setDecorators`), and `numberOfApiCallRetries`
 * counts total attempts (src/services/decorators/RetryDecorator.ts). We therefore build every client
 * with neither — `numberOfApiCallRetries: 0` and no `limiterOptions` install no decorator
 * (src/client.ts `getDecorators`) — and apply the per-portal policy ourselves.
 *
 * A client per attempt is what lets the capturing middleware attribute a response to its call even
 * with concurrent calls; construction is cheap (API classes are created lazily).
 */
export function createSdkClient(options: SdkClientOptions): Client {
  const onResponse = options.onResponse;
  return new Client({
    accessToken: options.accessToken,
    basePath: stripTrailingSlash(options.basePath),
    numberOfApiCallRetries: 0,
    middleware: onResponse
      ? [
          {
            pre: (context: unknown) => context,
            post: (context: unknown) => {
              const c = context as { httpStatusCode?: number; headers?: Record<string, string> };
              if (typeof c.httpStatusCode === 'number') onResponse({ status: c.httpStatusCode, headers: lowerCaseHeaders(c.headers) });
              return context;
            },
          },
        ]
      : undefined,
  });
}

export function stripTrailingSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url;
}
