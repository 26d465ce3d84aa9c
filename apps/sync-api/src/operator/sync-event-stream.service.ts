import { Inject, Injectable, MessageEvent } from '@nestjs/common';
import { Observable } from 'rxjs';
import { SYNC_API_SETTINGS, SyncApiSettings } from '../http/settings';
import { RunsReader } from '../runs/runs.reader';
import { runProgress } from '../stanna/stanna.service';
import { SyncEventLevel, SyncEventsService } from '../work/sync-events.service';

/**
 * Live progress as server-sent events: `log` events from `sync.events` (ids are the SSE ids, so a
 * reconnecting client resumes with Last-Event-ID) and a `progress` snapshot of the latest run
 * whenever it changes. Polls PostgreSQL every SSE_POLL_MS per connected client.
 */
@Injectable()
export class SyncEventStreamService {
  constructor(
    private readonly events: SyncEventsService,
    private readonly runs: RunsReader,
    @Inject(SYNC_API_SETTINGS) private readonly settings: SyncApiSettings,
  ) {}

  stream(organizationUid: string, options: { afterId?: string; runId?: string; minLevel?: SyncEventLevel }): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      let closed = false;
      let timer: NodeJS.Timeout | undefined;
      let cursor = options.afterId;
      let lastProgress = '';
      const poll = async () => {
        try {
          if (cursor === undefined) cursor = await this.events.latestId(organizationUid);
          for (;;) {
            const page = await this.events.page(organizationUid, { afterId: cursor, runId: options.runId, limit: 200, minLevel: options.minLevel });
            for (const event of page) subscriber.next({ id: event.id, type: 'log', data: event });
            if (page.length > 0) cursor = page[page.length - 1].id;
            if (page.length < 200 || closed) break;
          }
          const run = options.runId ? await this.runs.byId(organizationUid, options.runId) : await this.runs.latest(organizationUid);
          if (run) {
            const progress = runProgress(run, await this.runs.objectRuns([run.id]));
            const serialised = JSON.stringify(progress);
            if (serialised !== lastProgress) {
              lastProgress = serialised;
              // The id is the log cursor, so a client resuming with Last-Event-ID misses no log event.
              subscriber.next({ id: cursor, type: 'progress', data: progress });
            }
          }
        } catch (error) {
          subscriber.error(error);
          return;
        }
        if (!closed) timer = setTimeout(() => void poll(), this.settings.ssePollMs);
      };
      void poll();
      return () => {
        closed = true;
        if (timer) clearTimeout(timer);
      };
    });
  }
}
