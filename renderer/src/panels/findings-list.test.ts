import { describe, expect, it } from 'vitest';
import type { Finding, Incident } from '../../../core/api.ts';
import { MIN_PAD_US, listFindings, membershipsOf, paddedView, stepWalk } from './findings-list.ts';

const finding = (finding_id: number, score: number, state: 'open' | 'confirmed' = 'open'): Finding => ({
  finding_id, rule: 'r', title: `f${finding_id}`, score, explanation: '', event_ids: [finding_id * 10], attack: [], first_us: finding_id * 1000, last_us: finding_id * 1000 + 15,
  check_next: [], workflow: { state, note: null, author: null, updated_at: null },
});
const incident = (id: number, findingIds: number[], score: number): Incident => ({
  id, key: `k${id}`, title: `i${id}`, score, start: '', end: '', start_us: 0, end_us: 1, root_pid: 1, root: { proc_id: 1, pid: 1, image: null },
  entry: { ts: '', ts_us: 0, finding_id: findingIds[0] ?? 0, event_ids: [], text: '' }, tactics: [],
  steps: findingIds.map((f) => ({ ts: '', ts_us: f, finding_id: f, event_ids: [f * 10], text: '' })),
  touched: { files: [], endpoints: [], controller_writes: 0, alarms: 0 }, finding_ids: findingIds, workflow: { state: 'open', note: null, author: null, updated_at: null },
});

describe('findings listing', () => {
  it('lists incidents then the findings no incident holds, and walks them in that order', () => {
    const l = listFindings([finding(1, 90), finding(2, 40), finding(3, 60), finding(4, 20, 'confirmed')], [incident(1, [2, 1], 95)], { minScore: 0, state: 'all' });
    expect(l.incidents.map((i) => i.id)).toEqual([1]);
    expect(l.loose.map((f) => f.finding_id)).toEqual([3, 4]);
    expect(l.walk).toEqual([2, 1, 3, 4]);
    expect(stepWalk(l.walk, null, 1)).toBe(2);
    expect(stepWalk(l.walk, 4, 1)).toBe(2);
    expect(stepWalk(l.walk, 2, -1)).toBe(4);
  });

  it('filters by score and state', () => {
    const l = listFindings([finding(1, 90), finding(3, 60), finding(4, 20, 'confirmed')], [incident(1, [1], 40)], { minScore: 50, state: 'all' });
    expect(l.incidents).toEqual([]);
    expect(l.loose.map((f) => f.finding_id)).toEqual([3]);
    expect(listFindings([finding(3, 60), finding(4, 20, 'confirmed')], [], { minScore: 0, state: 'confirmed' }).loose.map((f) => f.finding_id)).toEqual([4]);
  });

  it('opens a 15 µs finding on a readable span, never narrower than twice the padding', () => {
    const bounds = { from_us: 0, to_us: 100_000_000 };
    const v = paddedView(50_000_000, 50_000_015, bounds);
    expect(v.to_us - v.from_us).toBeGreaterThanOrEqual(2 * MIN_PAD_US);
    expect(v.from_us).toBeLessThanOrEqual(50_000_000 - MIN_PAD_US);
    const wide = paddedView(10_000_000, 50_000_000, bounds);
    expect(wide).toEqual({ from_us: 0, to_us: 60_000_000 });
  });
});

describe('what includes the selected event', () => {
  it('names the findings holding the event, best first, and the incidents holding them or a step naming it', () => {
    const a = { ...finding(1, 40), event_ids: [7, 8] };
    const b = { ...finding(2, 90), event_ids: [8] };
    const c = { ...finding(3, 60), event_ids: [9] };
    const holdsB = incident(1, [2], 95);
    const holdsC = incident(2, [3], 70);
    const shellEnd = { ...incident(3, [3], 50), steps: [{ ts: '', ts_us: 5, finding_id: 0, event_ids: [8], text: 'shell ended', kind: 'shell_end' as const }] };
    const m = membershipsOf(8, [a, b, c], [holdsB, holdsC, shellEnd]);
    expect(m.findings.map((f) => f.finding_id)).toEqual([2, 1]);
    expect(m.incidents.map((i) => i.id)).toEqual([1, 3]);
    expect(membershipsOf(99, [a, b, c], [holdsB, holdsC])).toEqual({ findings: [], incidents: [] });
  });

  it('does not walk to a reverse shell\'s end step, which is no finding', () => {
    const withEnd = { ...incident(1, [1], 90), steps: [{ ts: '', ts_us: 1, finding_id: 1, event_ids: [10], text: '' }, { ts: '', ts_us: 2, finding_id: 0, event_ids: [11], text: '', kind: 'shell_end' as const }] };
    expect(listFindings([finding(1, 90)], [withEnd], { minScore: 0, state: 'all' }).walk).toEqual([1]);
  });
});
