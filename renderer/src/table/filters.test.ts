import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../core/api.ts';
import { addCellCondition, cellValue, isCellColumn, withTableConditions } from './filters.ts';

describe('cell conditions (right-click filter / exclude)', () => {
  it('never lists a column and value twice; the opposite choice replaces the earlier one', () => {
    let cells = addCellCondition([], { column: 'op', value: 'execve' });
    cells = addCellCondition(cells, { column: 'op', value: 'execve' });
    expect(cells).toEqual([{ column: 'op', value: 'execve' }]);
    cells = addCellCondition(cells, { column: 'op', value: 'execve', exclude: true });
    expect(cells).toEqual([{ column: 'op', value: 'execve', exclude: true }]);
    cells = addCellCondition(cells, { column: 'pid', value: null });
    expect(cells).toHaveLength(2);
  });

  it('adds the conditions and the pinned-only flag to the filter without touching the rest', () => {
    const base = { ops: ['openat'] };
    expect(withTableConditions(base, [], false)).toEqual(base);
    expect(withTableConditions(base, [{ column: 'target', value: '/etc/passwd', exclude: true }], true)).toEqual({
      ops: ['openat'],
      cells: [{ column: 'target', value: '/etc/passwd', exclude: true }],
      pinned_only: true,
    });
  });

  it('reads a cell’s stored value, and knows which columns can be filtered', () => {
    const event = { pid: 42, target: null, op: 'connect' } as unknown as StoredEvent;
    expect(cellValue(event, 'pid')).toBe(42);
    expect(cellValue(event, 'target')).toBeNull();
    expect(isCellColumn('args')).toBe(true);
    expect(isCellColumn('fields')).toBe(false);
    expect(isCellColumn('pin')).toBe(false);
  });
});
