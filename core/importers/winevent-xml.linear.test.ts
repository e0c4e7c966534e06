// The Windows-event XML importer reads in linear time, whatever the input. The reader before this
// rescanned an unfinished tag on every new line (an attribute whose quote never closed: 256 KB took
// 14 s, 1.3 MB 177 s) and its attribute regex backtracked over a long token without "=" (100 KB:
// 67 s); 0.5 % byte flips of a real Sysmon export took 31–36 s against 2.2 s. The inputs here are
// made by the test (seeded, so a failure can be replayed) and each must import within a budget per
// MB that is generous for a loaded 2-core machine and far below what the quadratic reader took.
import { describe, expect, it } from 'vitest';
import { lineFates, runText, textLines } from '../testing/collecting-sink.ts';
import { mulberry32 } from '../testing/prng.ts';
import { windowsEventXmlImporter } from './winevent-xml.ts';

const MB = 1024 * 1024;
/** Wall-clock budget per MB of input (the clean import of 1 MB takes 0.5–1.8 s here at a load average of 20). */
const BUDGET_MS_PER_MB = 15_000;
const NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

/** A Sysmon-like evtxexport XML export of about `bytes`, one element per line as evtxexport writes. */
function sysmonExport(bytes: number, seed: number): string {
  const rand = mulberry32(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const images = ['C:\\Windows\\System32\\cmd.exe', 'C:\\Program Files\\HMI\\runtime.exe', 'C:\\Windows\\System32\\svchost.exe'];
  const out: string[] = ['evtxexport 20181227', ''];
  let size = 0;
  for (let record = 1; size < bytes; record++) {
    const ms = String(record % 1000).padStart(3, '0');
    const event = [
      `<Event xmlns="${NS}">`,
      '  <System>',
      '    <Provider Name="Microsoft-Windows-Sysmon" Guid="{5770385f-c22a-43e0-bf4c-06f5698ffbd9}"/>',
      `    <EventID>${pick([1, 3, 11, 13])}</EventID>`,
      `    <TimeCreated SystemTime="2024-05-01T10:00:${String(record % 60).padStart(2, '0')}.${ms}0000Z"/>`,
      `    <EventRecordID>${record}</EventRecordID>`,
      `    <Execution ProcessID="${1000 + Math.floor(rand() * 9000)}" ThreadID="${Math.floor(rand() * 9000)}"/>`,
      '    <Channel>Microsoft-Windows-Sysmon/Operational</Channel>',
      '    <Computer>plc-eng-01</Computer>',
      '  </System>',
      '  <EventData>',
      `    <Data Name="UtcTime">2024-05-01 10:00:${String(record % 60).padStart(2, '0')}.${ms}</Data>`,
      `    <Data Name="ProcessId">${Math.floor(rand() * 9000)}</Data>`,
      `    <Data Name="Image">${pick(images)}</Data>`,
      `    <Data Name="CommandLine">"${pick(images)}" /c echo &quot;${Math.floor(rand() * 1e6)}&quot; &amp;&amp; exit</Data>`,
      `    <Data Name="TargetFilename">C:\\Temp\\file-${record}.txt</Data>`,
      '  </EventData>',
      '</Event>',
    ].join('\n');
    out.push(event);
    size += event.length + 1;
  }
  return `${out.join('\n')}\n`;
}

/** `text` with `rate` of its characters replaced by characters that matter to XML (or any letter). */
function mutate(text: string, rate: number, seed: number): string {
  const rand = mulberry32(seed);
  const pool = `"'<>/=&;![]-?\nax `;
  const chars = text.split('');
  const flips = Math.round(chars.length * rate);
  for (let k = 0; k < flips; k++) chars[Math.floor(rand() * chars.length)] = pool[Math.floor(rand() * pool.length)] ?? 'x';
  return chars.join('');
}

/** Imports `text`, asserts it took less than the budget for its size, returns the run. */
function importWithinBudget(text: string): ReturnType<typeof runText> {
  const t0 = performance.now();
  const run = runText(windowsEventXmlImporter, text);
  const ms = performance.now() - t0;
  const budget = Math.max(1, text.length / MB) * BUDGET_MS_PER_MB;
  expect(ms, `${(text.length / MB).toFixed(2)} MB took ${ms.toFixed(0)} ms (budget ${budget.toFixed(0)} ms)`).toBeLessThan(budget);
  return run;
}

/** Every line of the input became something: an event, a continuation, a skip or a reject. */
function expectEveryLineAccounted(text: string, run: ReturnType<typeof runText>): void {
  const fates = lineFates(run);
  const missing = textLines(text)
    .map((_, i) => i + 1)
    .filter((n) => !fates.has(n));
  expect(missing.slice(0, 10)).toEqual([]);
}

describe('winevent-xml reads in linear time', () => {
  it('imports a generated 1 MB export whole (the inputs below are mutations of it)', () => {
    const text = sysmonExport(MB, 1);
    const run = importWithinBudget(text);
    expect(run.rejects).toEqual([]);
    expect(run.events.length).toBe((text.match(/<Event /g) ?? []).length);
    expectEveryLineAccounted(text, run);
  });

  it('gives up 1 MB of an attribute whose quote never closes, within the budget', { timeout: 120_000 }, () => {
    const rand = mulberry32(7);
    const filler = Array.from({ length: MB / 64 }, () => Array.from({ length: 63 }, () => 'abcdefghij <>/='[Math.floor(rand() * 15)]).join(''));
    const text = [sysmonExport(4096, 2).trimEnd(), '<Event><System><Provider Name="never closed', ...filler].join('\n');
    const run = importWithinBudget(text);
    expect(run.rejects.map((r) => r.reason)).toEqual(['<Event> element not closed before the end of the file (cut short?)']);
    expect(run.events.length).toBeGreaterThan(0);
    expectEveryLineAccounted(text, run);
  });

  it('reads a start tag holding a 1 MB token without "=" within the budget', { timeout: 120_000 }, () => {
    const good = sysmonExport(2048, 3).split('\n').slice(2).join('\n');
    const long = good.replace('<Event xmlns=', `<Event ${'b'.repeat(MB)} xmlns=`);
    const run = importWithinBudget(long);
    expect(run.rejects).toEqual([]);
    expect(run.events.length).toBe((good.match(/<Event /g) ?? []).length);
  });

  it('imports exports with 0.5 % of their characters flipped within the budget, every line accounted for', { timeout: 300_000 }, () => {
    const clean = sysmonExport(MB, 4);
    for (const seed of [11, 12, 13]) {
      const text = mutate(clean, 0.005, seed);
      const run = importWithinBudget(text);
      expect(run.events.length + run.rejects.length).toBeGreaterThan(0);
      expectEveryLineAccounted(text, run);
    }
  });
});
