/** Opaque association paging cursors (`paging.next.after`), shared by v3 list/get and v4 reads. */
export const encodeAssociationCursor = (toId: number) => Buffer.from(`a:${toId}`).toString('base64url');

export function decodeAssociationCursor(after: string | undefined): number | undefined {
  if (after === undefined || after === '') return undefined;
  const m = /^a:(\d+)$/.exec(Buffer.from(after, 'base64url').toString());
  return m ? Number(m[1]) : NaN;
}
