// The Markdown report stays inert whatever a capture holds: a bare CR cannot end a table row,
// and URLs or e-mail addresses from captures are not turned into links by GitHub (GFM).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnnotation } from '../annotations/annotations.ts';
import { addCapture } from '../api/testing-case.ts';
import { CaseStore } from '../store/case-store.ts';
import { tempDir } from '../testing/temp.ts';
import { buildReport } from './build.ts';
import { escapeMarkdown } from './escape.ts';

/** CommonMark's line endings: LF, CR and CRLF all end a line (and so a table row). */
const lines = (text: string): string[] => text.split(/\r\n|\r|\n/);

/** What GFM's autolink extension turns into a link: a scheme URL, a www. domain, an e-mail address. */
const AUTOLINK_TRIGGERS = [/(https?|ftp):\/\//i, /www\./i, /[\w.+-]@[\w-]+\.[\w.-]/, /(mailto|xmpp):[\w.+-]+@/i];

let dir: ReturnType<typeof tempDir>;
let store: CaseStore;
beforeEach(async () => {
  dir = tempDir();
  store = await CaseStore.open(dir.file('case.duckdb'));
});
afterEach(() => {
  store.close();
  dir.remove();
});

describe('Markdown report of hostile capture text', () => {
  it('keeps a bare CR (and CRLF, LF) inside its table row', async () => {
    const target = 'TARGETSTART\r| 9 | forged | row |\r\nTARGETMID\nTARGETEND';
    await addCapture(store, 'strace.txt', [{ ts_us: 1_795_673_602_000_000, pid: 7, op: 'openat', target, process: 'hmi\rproc' }]);
    // The same text in another source nearby: it is a row of the note's context table.
    await addCapture(store, 'other.txt', [{ ts_us: 1_795_673_602_500_000, pid: 8, op: 'openat', target, process: 'hmi\rproc' }]);
    await createAnnotation(store, { event_id: 1, tag: 'suspicious', note: 'note line 1\rnote line 2' });
    const md = (await buildReport(store, { format: 'md' })).content;
    const withTarget = lines(md).filter((l) => l.includes('TARGETSTART'));
    // The annotated event's detail line and the context row: each whole on its one line.
    expect(withTarget).toHaveLength(2);
    for (const l of withTarget) expect(l).toContain('TARGETEND');
    const row = withTarget.filter((l) => l.startsWith('|'));
    expect(row).toHaveLength(1);
    expect(row[0]).toMatch(/^\| .* \|$/);
    expect(lines(md).some((l) => l.startsWith('| 9 | forged'))).toBe(false);
    expect(lines(md).filter((l) => l.includes('note line 1'))[0]).toContain('note line 2');
  });

  it('leaves no bare URL or e-mail address for GitHub to autolink, and the text reads the same', async () => {
    const target = 'GET http://evil.example/p?q=1 then HTTPS://x.example and www.evil.example via ftp://f.example';
    await addCapture(store, 'proxy.log', [{ ts_us: 1_795_673_602_000_000, pid: 7, op: 'connect', target, process: 'ops@evil.example' }]);
    await createAnnotation(store, { event_id: 1, tag: 'suspicious', note: 'mail mailto:root@plant.example or visit WWW.plant.example' });
    const md = (await buildReport(store, { format: 'md' })).content;
    for (const trigger of AUTOLINK_TRIGGERS) expect(md, String(trigger)).not.toMatch(trigger);
    // A backslash before ASCII punctuation renders as the character: drop them and the text is back.
    const rendered = (s: string) => s.replace(/\\([!-/:-@[-`{-~])/g, '$1');
    expect(rendered(escapeMarkdown(target))).toBe(target);
    expect(md).toContain('http\\://evil.example/p?q=1');
    expect(md).toContain('www\\.evil.example');
    expect(md).toContain('ops\\@evil.example');
  });
});

describe('Markdown report text', () => {
  it('writes quotes and apostrophes as themselves, no entity twice escaped, & < > once', async () => {
    const target = `C:\\Users\\op\\"plan" it's <b>&amp; x</b> #39`;
    await addCapture(store, 'proc.csv', [{ ts_us: 1_795_673_602_000_000, pid: 7, op: 'CreateFile', target }]);
    await createAnnotation(store, { event_id: 1, tag: 'suspicious', note: `the operator's "plan"` });
    const md = (await buildReport(store, { format: 'md' })).content;
    expect(md).toContain(`> the operator's "plan"`);
    expect(md).not.toMatch(/&quot;|&#39;|&\\#39;|&#96;/);
    expect(md).toContain(`op\\\\"plan" it's &lt;b&gt;&amp;amp; x&lt;/b&gt; \\#39`);
    // Rendered (backslash escapes dropped, the three entities read), the text is the capture's.
    const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };
    const rendered = (s: string) => s.replace(/\\([!-/:-@[-`{-~])|&(amp|lt|gt);/g, (m: string, p: string | undefined) => p ?? entities[m] ?? m);
    expect(rendered(escapeMarkdown(target))).toBe(target);
    // Still no raw HTML from the capture: its < is an entity.
    expect(md).not.toContain('<b>');
  });
});
