import { Controller, Get } from '@nestjs/common';
import { dailyLimitFor } from '../gateway/usage-tracker';
import { Caller, HubSpotContext } from '../http/request-context';
import { SandboxState } from '../state/sandbox-state.service';

/** Offset of a time zone at an instant, as "+hh:mm" and milliseconds. */
function utcOffset(timeZone: string, at: number): { text: string; ms: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const ms = Math.round((local - Math.floor(at / 1000) * 1000) / 60_000) * 60_000;
  const sign = ms < 0 ? '-' : '+';
  const abs = Math.abs(ms) / 60_000;
  return { text: `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`, ms };
}

/**
 * Account information API (HubSpot docs "Account information": `GET /account-info/v3/details` →
 * portalId, accountType, timeZone, companyCurrency, additionalCurrencies, utcOffset,
 * utcOffsetMilliseconds, uiDomain, dataHostingLocation; `GET /account-info/v3/api-usage/daily/private-apps`
 * → `{ results: [{ name, usageLimit, currentUsage, collectedAt, fetchStatus, resetsAt }] }`).
 * The SDK has no client for these, so callers use raw HTTP (`client.apiRequest`).
 */
@Controller('account-info/v3')
export class AccountController {
  constructor(private readonly state: SandboxState) {}

  @Get('details')
  details(@Caller() ctx: HubSpotContext) {
    const p = ctx.portal;
    const offset = utcOffset(p.timeZone, Date.now());
    return {
      portalId: p.portalId,
      accountType: 'STANDARD',
      timeZone: p.timeZone,
      companyCurrency: p.currency,
      additionalCurrencies: [],
      utcOffset: offset.text,
      utcOffsetMilliseconds: offset.ms,
      uiDomain: p.uiDomain,
      dataHostingLocation: 'na1',
    };
  }

  @Get('api-usage/daily/private-apps')
  dailyUsage(@Caller() ctx: HubSpotContext) {
    const p = ctx.portal;
    const knobs = this.state.knobs(p.portalId);
    const now = Date.now();
    // Next local midnight: the daily limit resets at midnight in the account's time zone.
    const offset = utcOffset(p.timeZone, now).ms;
    const localNow = now + offset;
    const resetsAt = Math.floor(localNow / 86_400_000 + 1) * 86_400_000 - offset;
    return {
      results: [{
        name: 'private-apps-api-calls-daily',
        usageLimit: knobs.dailyLimit ?? dailyLimitFor(p.tier, p.limitPacks),
        currentUsage: this.state.usageOf(p.portalId).counters.dailyUsed,
        collectedAt: new Date(now).toISOString(),
        fetchStatus: 'SUCCESS',
        resetsAt: new Date(resetsAt).toISOString(),
      }],
    };
  }
}
