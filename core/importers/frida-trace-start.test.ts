// frida-trace logs hold only times since tracing started: without --start the file's modification
// time is assumed, recorded (usedStart → captures.date_basis) and warned about; never refused.
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/corpus.ts';
import { runFile } from '../testing/collecting-sink.ts';
import { fridaTraceImporter } from './frida-trace.ts';

const LOG = fixture('frida-trace/libc-hmi.txt');
const MTIME_US = Date.parse('2026-11-26T06:40:00.250Z') * 1000;
const START_US = Date.parse('2019-07-01T10:00:00Z') * 1000;

describe('frida-trace start', () => {
  it('imports without --start from the file modification time, records it and warns', () => {
    const run = runFile(fridaTraceImporter, LOG, { startUs: null, fileModifiedUs: MTIME_US });
    expect(run.rejects).toEqual([]);
    const byLine = [...run.events].sort((a, b) => a.source_line - b.source_line);
    expect(byLine.map((e) => [e.op, e.ts_us - MTIME_US, e.tid, e.ret])).toEqual([
      ['open', 120_000, 0x4d2, '0x3'],
      ['read', 122_000, 0x4d2, '0x200'],
      ['open', 122_000, 0x4d2, '0x4'],
      ['connect', 1_500_000, 0x4d3, '0x0'],
    ]);
    expect(run.usedStart).toBe(true);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toMatch(/assumed the start 2026-11-26T06:40:00\.250000Z \(file modification time/);
    expect(run.warnings[0]).toMatch(/tracebench align/);
  });

  it('with --start counts from it, as before, and warns of nothing', () => {
    const run = runFile(fridaTraceImporter, LOG, { startUs: START_US, fileModifiedUs: MTIME_US });
    expect(run.events[0]).toMatchObject({ op: 'open', ts_us: START_US + 120_000, target: '/etc/hmi/plc.conf', dur_us: 1000 });
    expect(run.usedStart).toBe(true);
    expect(run.warnings).toEqual([]);
  });
});
