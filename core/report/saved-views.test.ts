// A saved view is cited by the report: its link, name, author and what it shows, in every text
// format, with hostile names inert; a state the report cannot read is said to be so, not guessed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCapture } from '../api/testing-case.ts';
import { CaseStore } from '../store/case-store.ts';
import { tempDir } from '../testing/temp.ts';
import { saveView } from '../views/saved-views.ts';
import { buildReport } from './build.ts';
import { describeViewState } from './saved-views.ts';

const dir = tempDir();
let store: CaseStore;
const T0 = Date.UTC(2026, 10, 26, 6, 13, 0) * 1000;

beforeAll(async () => {
  store = await CaseStore.open(dir.file('case.duckdb'), { create: true });
  await addCapture(store, 'strace.txt', [{ ts_us: T0, pid: 5, process: 'sh', op: 'execve', target: '/bin/id' }], 'hmi-01');
  const state = { filters: { op: 'execve', process: '', failedOnly: true }, tag: 'malicious', zoom: { from_us: T0, to_us: T0 + 60_000_000 }, selected: 1, pinned: true };
  await saveView(store, { name: 'first <b>execve</b>', state: JSON.stringify(state) }, 'ana');
});
afterAll(() => {
  store.close();
  dir.remove();
});

describe('saved views in the report', () => {
  it('lists each view with its link and what it shows, in HTML, Markdown and JSON', async () => {
    const json = JSON.parse((await buildReport(store, { format: 'json' })).content) as { views: Array<{ link: string; name: string; shows: string; author: string }> };
    expect(json.views).toEqual([
      expect.objectContaining({
        link: '#saved=1',
        name: 'first <b>execve</b>',
        author: 'ana',
        shows: 'events 2026-11-26T06:13:00.000000Z – 2026-11-26T06:14:00.000000Z; filter op=execve, failedOnly; tag malicious; pinned events only; event #1 selected',
      }),
    ]);
    const html = (await buildReport(store, { format: 'html' })).content;
    expect(html).toContain('#saved=1');
    expect(html).toContain('first &lt;b&gt;execve&lt;/b&gt;');
    expect(html).not.toContain('<b>execve</b>');
    const md = (await buildReport(store, { format: 'md' })).content;
    expect(md).toMatch(/### Saved views[\s\S]*\| #saved=1 \| first/);
  });

  it('says so when a state cannot be read, and calls an empty one the whole case', () => {
    expect(describeViewState('{not json')).toMatch(/could not be read/);
    expect(describeViewState('{}')).toBe('the whole case');
    expect(describeViewState(JSON.stringify({ filters: { text: 'plc' }, zoom: { from_us: 'x' } }))).toBe('filter text=plc');
  });
});
