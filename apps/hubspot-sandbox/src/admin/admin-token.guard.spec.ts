import { ExecutionContext } from '@nestjs/common';
import { SandboxConfig } from '../config/sandbox.config';
import { HubSpotError } from '../http/hubspot-error';
import { AdminTokenGuard } from './admin-token.guard';

describe('AdminTokenGuard', () => {
  const context = (headers: Record<string, string>) =>
    ({ switchToHttp: () => ({ getRequest: () => ({ headers }) }) }) as unknown as ExecutionContext;
  const guard = (token?: string) => new AdminTokenGuard(Object.assign(new SandboxConfig(), { SANDBOX_ADMIN_TOKEN: token }));
  const statusOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      return (e as HubSpotError).status;
    }
    return 200;
  };

  it('refuses everyone (403) when no admin token is configured', () => {
    expect(statusOf(() => guard(undefined).canActivate(context({ 'x-sandbox-admin-token': 'anything' })))).toBe(403);
  });

  it('answers 401 without or with a wrong header and lets the right token through', () => {
    const g = guard('correct-horse');
    expect(statusOf(() => g.canActivate(context({})))).toBe(401);
    expect(statusOf(() => g.canActivate(context({ 'x-sandbox-admin-token': 'correct-hors' })))).toBe(401);
    expect(g.canActivate(context({ 'x-sandbox-admin-token': 'correct-horse' }))).toBe(true);
  });
});
