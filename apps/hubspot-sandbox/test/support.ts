import { Client } from '@hubspot/api-client';
import { SandboxHandle, startSandbox } from '@hubsync/testing';

/** Every scope the sandbox checks, for tokens that should not hit MISSING_SCOPES. */
export const ALL_SCOPES = [
  'oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.companies.read', 'crm.objects.companies.write',
  'crm.objects.deals.read', 'crm.objects.deals.write', 'tickets', 'e-commerce', 'crm.objects.line_items.read', 'crm.objects.line_items.write',
  'crm.objects.quotes.read', 'crm.objects.quotes.write', 'sales-email-read', 'crm.objects.custom.read', 'crm.objects.custom.write',
  'crm.schemas.custom.read', 'crm.schemas.custom.write', 'crm.schemas.contacts.read', 'crm.schemas.contacts.write', 'crm.schemas.companies.read',
  'crm.schemas.deals.read', 'crm.objects.owners.read',
];

/** An SDK client pointed at the sandbox; no SDK retries or limiter (they are process-global). */
export function sdk(sandbox: SandboxHandle, accessToken?: string): Client {
  return new Client({ basePath: sandbox.url, accessToken, numberOfApiCallRetries: 0 });
}

export async function startContractSandbox(env: Record<string, string> = {}): Promise<SandboxHandle> {
  return startSandbox({ env: { SANDBOX_RANDOM_SEED: '11', ...env } });
}

/** A fresh portal with a private-app token holding all scopes. */
export async function portalWithToken(sandbox: SandboxHandle, scopes = ALL_SCOPES, tier: 'free' | 'starter' | 'professional' | 'enterprise' | 'limit-pack' = 'enterprise') {
  const portal = await sandbox.admin.createPortal({});
  const { token, appId } = await sandbox.admin.createPrivateAppToken(portal.portalId, scopes, tier);
  return { portalId: portal.portalId, token, appId, client: sdk(sandbox, token) };
}

export interface CaughtApiError {
  code: number;
  body: any;
  headers: Record<string, string>;
}

/** Awaits a call that must fail with the SDK's ApiException; returns its status, parsed body and headers. */
export async function apiError(call: Promise<unknown>): Promise<CaughtApiError> {
  try {
    await call;
  } catch (error) {
    const e = error as { code?: unknown; body?: unknown; headers?: Record<string, string> };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, body: e.body, headers: e.headers ?? {} };
  }
  throw new Error('expected the call to fail with an ApiException, but it succeeded');
}

/** Raw HTTP against the sandbox (only where the SDK has no method). */
export async function raw(sandbox: SandboxHandle, path: string, init: RequestInit & { token?: string } = {}) {
  const { token, ...rest } = init;
  const res = await fetch(`${sandbox.url}${path}`, {
    ...rest,
    redirect: 'manual',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(rest.body ? { 'content-type': 'application/json' } : {}), ...(rest.headers as Record<string, string> | undefined) },
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: kept as text */
  }
  return { status: res.status, headers: res.headers, body, text };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The value, or a failed test naming what was missing (instead of a non-null assertion). */
export function must<T>(value: T | null | undefined, what = 'value'): T {
  if (value === null || value === undefined) throw new Error(`expected ${what} to be present`);
  return value;
}
