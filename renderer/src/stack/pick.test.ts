import { describe, expect, it } from 'vitest';
import { addPick, withPicks } from './pick.ts';

describe('stack picks', () => {
  it('narrow the table filter field by field, a later pick on a field replacing the earlier', () => {
    let picks = addPick([], { field: 'op', value: 'openat' });
    picks = addPick(picks, { field: 'path_prefix', value: '/etc/' });
    picks = addPick(picks, { field: 'op', value: 'read' });
    expect(picks).toEqual([
      { field: 'path_prefix', value: '/etc/' },
      { field: 'op', value: 'read' },
    ]);
    expect(withPicks({ ops: ['execve'], failed_only: true }, picks)).toEqual({ ops: ['read'], failed_only: true, target_prefix: '/etc/' });
  });

  it('map every field to the filter the server compiles', () => {
    expect(withPicks({}, [{ field: 'process', value: 'sh' }])).toEqual({ processes: ['sh'] });
    expect(withPicks({}, [{ field: 'endpoint', value: '10.0.0.5:502' }])).toEqual({ endpoints: ['10.0.0.5:502'] });
    expect(withPicks({}, [{ field: 'target', value: '/etc/passwd' }])).toEqual({ targets: ['/etc/passwd'] });
  });
});
