import { BadRequestException, Inject, Injectable, NotFoundException, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { API_KEY_CACHE_OPTIONS, ApiKeyCacheOptions, DEFAULT_API_KEY_CACHE_MAX_ENTRIES } from './api-key-cache.options';
import { Principal } from './principal';
import { TtlCache } from './ttl-cache';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Turns the optional `organization_uid` of a request into the organization it acts on (seed 000:
 * "Falls back to the current user's default organization"). An organization the caller's user is not
 * a member of answers 404, exactly like one that does not exist, so ids of other tenants leak nothing.
 */
@Injectable()
export class OrganizationResolver {
  /** Confirmed memberships (`user|org` → org) and default organizations (`user|keyOrg` → org); see ApiKeyCacheOptions. */
  private readonly resolved: TtlCache<string>;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() @Inject(API_KEY_CACHE_OPTIONS) cache?: ApiKeyCacheOptions,
  ) {
    this.resolved = new TtlCache(cache?.ttlMs ?? 0, cache?.maxEntries ?? DEFAULT_API_KEY_CACHE_MAX_ENTRIES);
  }

  async resolve(principal: Principal, organizationUid?: string | null): Promise<string> {
    const given = organizationUid !== undefined && organizationUid !== null && organizationUid !== '';
    const cacheKey = `${given ? 'member' : 'default'}|${principal.userUid}|${given ? String(organizationUid).toLowerCase() : principal.keyOrganizationUid}`;
    const cached = this.resolved.get(cacheKey);
    if (cached) return cached;
    const resolved = await this.lookUp(principal, organizationUid);
    // Only successes reach here (failures throw), so a new membership is never hidden by the cache.
    this.resolved.set(cacheKey, resolved);
    return resolved;
  }

  private async lookUp(principal: Principal, organizationUid?: string | null): Promise<string> {
    if (organizationUid !== undefined && organizationUid !== null && organizationUid !== '') {
      if (typeof organizationUid !== 'string' || !UUID.test(organizationUid)) {
        throw new BadRequestException({
          message: 'organization_uid must be a UUID',
          details: [{ field: 'organization_uid', message: 'must be a UUID' }],
        });
      }
      const rows = await this.dataSource.query(
        `SELECT 1 FROM core.memberships WHERE organization_uid = $1 AND user_uid = $2`,
        [organizationUid, principal.userUid],
      );
      if (rows.length === 0) throw new NotFoundException(`Organization ${organizationUid} not found`);
      return organizationUid.toLowerCase();
    }
    const rows: { organization_uid: string }[] = await this.dataSource.query(
      `SELECT organization_uid FROM core.memberships
        WHERE user_uid = $1 AND (is_default OR organization_uid = $2)
        ORDER BY is_default DESC LIMIT 1`,
      [principal.userUid, principal.keyOrganizationUid],
    );
    if (rows.length === 0) throw new NotFoundException('The API key owner has no organization');
    return rows[0].organization_uid;
  }

  /** Every organization the caller may act on (for resources addressed by their own id). */
  async accessible(principal: Principal): Promise<string[]> {
    const rows: { organization_uid: string }[] = await this.dataSource.query(
      `SELECT organization_uid FROM core.memberships WHERE user_uid = $1`,
      [principal.userUid],
    );
    return rows.map((r) => r.organization_uid);
  }
}
