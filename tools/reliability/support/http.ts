/** One HTTP exchange with a service, with the body parsed when it is JSON. */
export interface HttpAnswer {
  status: number;
  /** Parsed JSON, or the text when the body is not JSON, or undefined when empty. */
  body: any;
  text: string;
  headers: Headers;
}

export interface HttpCall {
  method: string;
  /** Path with the query string already in it. */
  path: string;
  apiKey?: string;
  /** JSON-encoded unless it is a string (sent as is) or undefined (no body). */
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** For server-sent events: a 2xx resolves once the head arrived, without reading the endless body. */
  headOnly?: boolean;
}

/** Sends one request and never follows redirects (a 302 is an answer worth asserting on). */
export async function call(baseUrl: string, request: HttpCall): Promise<HttpAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeoutMs ?? 30_000);
  try {
    const hasBody = request.body !== undefined;
    const response = await fetch(`${baseUrl}${request.path}`, {
      method: request.method,
      redirect: 'manual',
      signal: controller.signal,
      headers: {
        ...(request.apiKey !== undefined ? { 'x-api-key': request.apiKey } : {}),
        ...(hasBody ? { 'content-type': 'application/json' } : {}),
        ...request.headers,
      },
      body: !hasBody ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body),
    });
    if (request.headOnly && response.status < 300) {
      controller.abort();
      return { status: response.status, body: undefined, text: '', headers: response.headers };
    }
    const text = await response.text();
    return { status: response.status, body: parseJson(text), text, headers: response.headers };
  } finally {
    clearTimeout(timer);
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `?a=1&b=2` from pairs; a value array repeats the key (how clients send lists). */
export function queryString(query: Record<string, string | string[] | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The message of our error body (`{ statusCode, error, message, details? }`), details included. */
export function errorText(answer: HttpAnswer): string {
  if (answer.body && typeof answer.body === 'object') {
    const b = answer.body as { message?: unknown; details?: unknown; error?: unknown };
    return [typeof b.message === 'string' ? b.message : JSON.stringify(b.message ?? ''), b.details ? JSON.stringify(b.details) : ''].join(' ');
  }
  return answer.text;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
