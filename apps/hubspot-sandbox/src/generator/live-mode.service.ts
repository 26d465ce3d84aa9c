import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { CrmWriter } from '../crm/crm-writer.service';
import { ObjectTypeInfo, Portal } from '../crm/portal';
import { enumerationOptions } from '../crm/property-validation';
import { validationError } from '../http/hubspot-error';
import { Random } from '../state/random';
import { SandboxState } from '../state/sandbox-state.service';
import * as W from './word-lists';

type Op = 'create' | 'update' | 'archive' | 'associate' | 'dissociate';
const OPS: Op[] = ['create', 'update', 'archive', 'associate', 'dissociate'];
const DEFAULT_MIX: Record<Op, number> = { create: 0.3, update: 0.5, archive: 0.05, associate: 0.1, dissociate: 0.05 };

interface LiveRun {
  timer: NodeJS.Timeout;
  rng: Random;
  ratePerSecond: number;
  mix: Record<Op, number>;
  types: string[];
  carry: number;
  done: Record<Op, number>;
  startedAt: number;
}

/**
 * Live mode: a portal that keeps changing — creates, updates, archives and association changes at
 * a given rate, through the same writer as API writes (so search lag and webhooks apply).
 */
@Injectable()
export class LiveModeService implements OnModuleDestroy {
  private readonly runs = new Map<number, LiveRun>();
  private serial = 0;

  constructor(private readonly state: SandboxState, private readonly writer: CrmWriter) {}

  configure(portalId: number, raw: unknown) {
    const portal = this.state.requirePortal(portalId);
    const o = (raw ?? {}) as Record<string, unknown>;
    const rate = o['ratePerSecond'];
    if (typeof rate !== 'number' || rate < 0 || rate > 5000) throw validationError('ratePerSecond must be a number between 0 and 5000 (0 stops live mode)');
    this.stop(portalId);
    if (rate === 0) return { portalId, running: false };
    const mix = { ...DEFAULT_MIX };
    if (o['mix'] !== undefined) {
      if (!o['mix'] || typeof o['mix'] !== 'object') throw validationError('mix must be an object like {"update": 0.7}');
      for (const op of OPS) mix[op] = 0;
      for (const [k, v] of Object.entries(o['mix'] as Record<string, unknown>)) {
        if (!OPS.includes(k as Op) || typeof v !== 'number' || v < 0) throw validationError(`mix.${k} must be one of ${OPS.join(', ')} with a non-negative weight`);
        mix[k as Op] = v;
      }
    }
    const types = Array.isArray(o['objectTypes']) ? (o['objectTypes'] as unknown[]).map(String) : ['contacts', 'companies', 'deals'];
    for (const t of types) if (!portal.resolveType(t)) throw validationError(`objectTypes: unknown object type "${t}"`);
    const run: LiveRun = {
      rng: new Random(typeof o['seed'] === 'number' ? (o['seed'] as number) : 7),
      ratePerSecond: rate, mix, types, carry: 0, startedAt: Date.now(),
      done: { create: 0, update: 0, archive: 0, associate: 0, dissociate: 0 },
      timer: setInterval(() => this.tick(portalId), 100),
    };
    run.timer.unref();
    this.runs.set(portalId, run);
    return this.status(portalId);
  }

  status(portalId: number) {
    const run = this.runs.get(portalId);
    if (!run) return { portalId, running: false };
    return { portalId, running: true, ratePerSecond: run.ratePerSecond, mix: run.mix, objectTypes: run.types, done: run.done, startedAt: new Date(run.startedAt).toISOString() };
  }

  stop(portalId: number): void {
    const run = this.runs.get(portalId);
    if (run) clearInterval(run.timer);
    this.runs.delete(portalId);
  }

  stopAll(): void {
    for (const id of [...this.runs.keys()]) this.stop(id);
  }

  onModuleDestroy(): void {
    this.stopAll();
  }

  private tick(portalId: number): void {
    const run = this.runs.get(portalId);
    const portal = this.state.portal(portalId);
    if (!run || !portal) return this.stop(portalId);
    run.carry += run.ratePerSecond / 10;
    const total = OPS.reduce((s, op) => s + run.mix[op], 0) || 1;
    while (run.carry >= 1) {
      run.carry -= 1;
      let r = run.rng.next() * total;
      const op = OPS.find((o) => (r -= run.mix[o]) < 0) ?? 'update';
      const info = portal.requireType(run.rng.pick(run.types));
      if (this.apply(portal, info, op, run.rng)) run.done[op]++;
    }
  }

  private randomLiveRow(info: ObjectTypeInfo, rng: Random): number {
    const t = info.table;
    if (t.liveCount === 0) return -1;
    for (let attempt = 0; attempt < 20; attempt++) {
      const row = rng.int(t.size);
      if (t.archivedAt[row] === 0) return row;
    }
    return -1;
  }

  private apply(portal: Portal, info: ObjectTypeInfo, op: Op, rng: Random): boolean {
    const opts = { source: 'CRM_UI' };
    switch (op) {
      case 'create': {
        this.writer.create(portal, info, this.newRecord(info, rng), opts);
        return true;
      }
      case 'update': {
        const row = this.randomLiveRow(info, rng);
        if (row < 0) return false;
        return this.writer.update(portal, info, row, this.change(portal, info, rng), opts).length > 0;
      }
      case 'archive': {
        const row = this.randomLiveRow(info, rng);
        return row >= 0 && this.writer.archive(portal, info, row, opts);
      }
      case 'associate':
      case 'dissociate': {
        const other = portal.requireType(info.objectTypeId === '0-2' ? 'contacts' : 'companies');
        const from = this.randomLiveRow(info, rng);
        const to = this.randomLiveRow(other, rng);
        if (from < 0 || to < 0) return false;
        if (op === 'associate') {
          this.writer.associate(portal, info, from, other, to, [], opts);
          return true;
        }
        const list = portal.associations.list(info.objectTypeId, from, other.objectTypeId);
        if (!list || list.length === 0) return false;
        return this.writer.unassociate(portal, info, from, other, list[2 * rng.int(list.length / 2)], undefined, opts);
      }
    }
  }

  private newRecord(info: ObjectTypeInfo, rng: Random): Record<string, string | null> {
    const n = ++this.serial;
    const first = rng.pick(W.FIRST_NAMES);
    switch (info.name) {
      case 'contacts': return { firstname: first, lastname: rng.pick(W.LAST_NAMES), email: `live${n}.${Date.now().toString(36)}@example.com` };
      case 'companies': return { name: `${rng.pick(W.COMPANY_WORDS)} ${rng.pick(W.COMPANY_KINDS)} live ${n}`, domain: `live${n}-${Date.now().toString(36)}.example.com` };
      case 'deals': return { dealname: `Live deal ${n}`, amount: String(1000 * (1 + rng.int(50))), pipeline: 'default', dealstage: 'appointmentscheduled' };
      default: {
        const primary = info.primaryDisplayProperty;
        const def = info.properties.get(primary);
        return def && !def.readOnlyValue ? { [primary]: `Live ${info.singular} ${n}` } : {};
      }
    }
  }

  /** A plausible single-property change for the type. */
  private change(portal: Portal, info: ObjectTypeInfo, rng: Random): Record<string, string | null> {
    switch (info.name) {
      case 'contacts': return rng.chance(0.5) ? { jobtitle: rng.pick(W.JOB_TITLES) } : { lifecyclestage: rng.pick(['lead', 'opportunity', 'customer']) };
      case 'companies': return rng.chance(0.5) ? { mrr: String(100 * (1 + rng.int(2000))) } : { city: rng.pick(W.CITIES) };
      case 'deals': {
        const stages = enumerationOptions(portal, info, 'dealstage') ?? ['appointmentscheduled'];
        return rng.chance(0.5) ? { dealstage: rng.pick(stages) } : { amount: String(1000 * (1 + rng.int(90))) };
      }
      default: {
        const writable = [...info.properties.values()].filter((p) => !p.readOnlyValue && p.type === 'string');
        if (writable.length === 0) return {};
        return { [rng.pick(writable).name]: `${rng.pick(W.ACTIVITY_NEUTRAL)} (${Date.now()})` };
      }
    }
  }
}
