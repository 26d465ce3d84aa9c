import { diffShapes, merge, shapeOf } from './shape-diff';

describe('shape diff', () => {
  it('reduces values to keys and JSON types, merging array elements', () => {
    expect(shapeOf({ a: [{ x: 1 }, { y: 'z' }] })).toEqual({ kind: 'object', keys: { a: { kind: 'array', element: { kind: 'object', keys: { x: { kind: 'number' }, y: { kind: 'string' } } } } } });
    expect(merge({ kind: 'null' }, { kind: 'string' })).toEqual({ kind: 'string' });
  });

  it('reports type conflicts, sandbox-only and live-only keys; nulls are not conflicts', () => {
    const live = shapeOf({ id: '1', total: 3, extra: true, maybe: null });
    const sandbox = shapeOf({ id: 1, total: 3, invented: 'x', maybe: 'value' });
    expect(diffShapes(live, sandbox)).toEqual([
      { path: '$.id', kind: 'type', live: 'string', sandbox: 'number' },
      { path: '$.extra', kind: 'live-only', live: 'boolean' },
      { path: '$.invented', kind: 'sandbox-only', sandbox: 'string' },
    ]);
  });

  it('compares value types, not keys, inside data maps such as properties', () => {
    const live = shapeOf({ results: [{ properties: { email: 'a', firstname: null } }] });
    const sandbox = shapeOf({ results: [{ properties: { email: 'b', lastname: 'c' } }] });
    expect(diffShapes(live, sandbox)).toEqual([]);
    expect(diffShapes(live, shapeOf({ results: [{ properties: { email: 5 } }] }))).toEqual([{ path: '$.results[].properties.*', kind: 'type', live: 'string', sandbox: 'number' }]);
  });
});
