import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { corpusCapture as sharedCapture, describeCorpus } from '../testing/corpus.ts';
import { detectFormat, makeDetectSample } from './registry.ts';
import { fridaTraceImporter } from './frida-trace.ts';
import { fileLines, lineFates, runFile } from '../testing/collecting-sink.ts';

const HEYO = sharedCapture('public/frida_trace/heyocom3');
const BADSSL = sharedCapture('public/frida_trace/badsslcomexpired');
const START = '2019-07-01T10:00:00.000Z';
const startUs = Date.parse(START) * 1000;

describeCorpus('frida-trace importer (corpus: its files carry no licence; inline text in frida-trace-inline.test.ts)', () => {
  it.each([HEYO, BADSSL])('imports %s: one event per call line, details folded, nothing rejected', (path) => {
    const run = runFile(fridaTraceImporter, path, { startUs });
    expect(run.rejects).toEqual([]);
    const fate = lineFates(run);
    for (let n = 1; n <= run.lines.length; n++) expect(fate.get(n)?.length, `line ${n}`).toBe(1);
    const callLines = run.lines.filter((l) => /^\s*\d+ ms {2}[\s|]*(0x[0-9a-f]+ )?\w+\(.*\)$/.test(l)).length;
    expect(run.events.filter((e) => e.kind === 'api')).toHaveLength(callLines);
    const timed = run.lines.filter((l) => /^\s*\d+ ms /.test(l)).length;
    expect(run.events.length + run.continuations.length).toBe(timed);
  });

  it('reads times, threads, nesting and return values of heyocom3', () => {
    const run = runFile(fridaTraceImporter, HEYO, { startUs });
    const at = (n: number) => run.events.find((e) => e.source_line === n);
    // 53: "  2244 ms  0x670f SECKEY_CreateECPrivateKey()"  54: "cx:…"  55-56: nested EC_ValidatePublicKey
    // 57: "  2245 ms  0x670f ret:0x7f0460eed820::7f0460eed820  50 e6 b9 57 …"
    expect(at(53)).toMatchObject({ op: 'SECKEY_CreateECPrivateKey', ts_us: startUs + 2_244_000, tid: 0x670f, ret: '0x7f0460eed820', dur_us: 1000, args: 'cx:0x7f04587a2308' });
    expect(at(55)).toMatchObject({ op: 'EC_ValidatePublicKey', ret: '0x0', ts_us: startUs + 2_244_000 });
    // 63: "  2275 ms  SECKEY_ECParamsToKeySize()" has no thread token: the /* TID */ marker's thread
    expect(at(63)).toMatchObject({ op: 'SECKEY_ECParamsToKeySize', tid: 0x670f, ret: '0xff' });
    const lines = fileLines(HEYO);
    expect(lines[96]).toMatch(/\/\* TID 0x67c6 \*\//);
    expect(at(98)).toMatchObject({ tid: 0x67c6, op: expect.stringMatching(/VerifySignedData/) });
  });

  it('is detected from content', () => {
    for (const path of [HEYO, BADSSL]) {
      const d = detectFormat(makeDetectSample(path, readFileSync(path).subarray(0, 65536)));
      expect(d.status === 'found' ? d.importer.format : d.status).toBe('frida-trace');
    }
  });
});
