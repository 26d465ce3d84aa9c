import { SyncJobRow } from '@hubsync/contracts';
import { mergeIdJobs } from './id-jobs-merge';

const job = (id: string, connection: string, ids: Record<string, string[]>, runId: string | null = null): SyncJobRow => ({
  id,
  organization_uid: `org-${connection}`,
  connection_id: connection,
  portal_id: '20000001',
  kind: 'fetch_by_ids',
  object_types: Object.keys(ids),
  filters: { ids },
  mode: null,
  status: 'running',
  attempts: 1,
  run_id: runId,
  error_message: null,
  created_at: new Date(),
  started_at: new Date(),
  finished_at: null,
});

describe('mergeIdJobs', () => {
  it('unions ids per connection and object type, keeping first-asked order and the jobs oldest first', () => {
    const { merged, separate } = mergeIdJobs([
      job('j1', 'c1', { contacts: ['1', '2'], deals: ['9'] }),
      job('j2', 'c2', { contacts: ['1'] }),
      job('j3', 'c1', { contacts: ['2', '3'], companies: ['5'] }),
    ]);
    expect(separate).toEqual([]);
    expect(merged).toEqual([
      { organizationUid: 'org-c1', connectionId: 'c1', jobIds: ['j1', 'j3'], ids: { contacts: ['1', '2', '3'], deals: ['9'], companies: ['5'] } },
      { organizationUid: 'org-c2', connectionId: 'c2', jobIds: ['j2'], ids: { contacts: ['1'] } },
    ]);
  });

  it('leaves jobs with a run (counted per run) to run alone, and drops empty id lists', () => {
    const withRun = job('j2', 'c1', { contacts: ['7'] }, 'run-1');
    const { merged, separate } = mergeIdJobs([job('j1', 'c1', { contacts: [], deals: ['4'] }), withRun]);
    expect(separate).toEqual([withRun]);
    expect(merged).toEqual([{ organizationUid: 'org-c1', connectionId: 'c1', jobIds: ['j1'], ids: { deals: ['4'] } }]);
  });
});
