import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../model/event.ts';
import { bytesSource, rejectReasons, runBinary, runFile } from '../testing/collecting-sink.ts';
import { corpusCapture, describeCorpus, fixture } from '../testing/corpus.ts';
import { procmonCsvImporter } from './procmon-csv.ts';
import { procmonPmlImporter } from './procmon-pml.ts';
import { readPmlDetail } from './pml/details.ts';
import { readPmlHeader } from './pml/header.ts';
import { pmlResultText } from './pml/operations.ts';
import { formatIp } from './pml/tables.ts';
import { detectFormat, makeDetectSample } from './registry.ts';
import type { ByteSource } from './types.ts';

// The real log, kept gzip-compressed in the repository (fixtures/procmon-pml/SOURCES.md); the first
// 100 rows of its CSV export are a fixture too, the whole export is in the shared corpus.
const PML_GZ = fixture('procmon-pml/CompressedLogFileUTC64ProcessPML.pml.gz');
const CSV_HEAD = fixture('procmon-csv/win10-process.head100.csv');
const CSV = corpusCapture('public/procmon/CompressedLogFileUTC64ProcessCSV.csv');

const CTX = { fileName: 'x', date: '2020-01-01' };

/** Bytes as a ByteSource that records the size of every read. */
function memorySource(bytes: Uint8Array): ByteSource & { reads: number[] } {
  const reads: number[] = [];
  const source = bytesSource(bytes);
  return {
    size: source.size,
    reads,
    read(offset, length) {
      reads.push(length);
      return source.read(offset, length);
    },
  };
}

async function parsePml(bytes: Uint8Array): Promise<{ events: CanonicalEvent[]; rejects: { line: number; reason: string }[]; maxRead: number }> {
  const source = memorySource(bytes);
  const run = await runBinary(procmonPmlImporter, source, CTX);
  return { events: run.events, rejects: rejectReasons(run), maxRead: Math.max(...source.reads) };
}

function parseCsv(path: string): CanonicalEvent[] {
  return runFile(procmonCsvImporter, path, CTX).events;
}

const pmlBytes = new Uint8Array(gunzipSync(readFileSync(PML_GZ)));

/** Record n of the PML is data row n of the CSV (line n + 1, after the header). */
function expectSameEvents(pml: CanonicalEvent[], csv: CanonicalEvent[]): void {
  const key = (e: CanonicalEvent): unknown[] => [e.ts_us, e.pid, e.tid, e.ppid, e.process, e.kind, e.op, e.category, e.target, e.ret, e.error, e.args, e.dur_us];
  for (let i = 0; i < csv.length; i++) {
    const p = pml[i];
    const c = csv[i];
    if (!p || !c) throw new Error('missing event');
    expect(c.source_line).toBe(p.source_line + 1);
    expect(key(p)).toEqual(key(c));
  }
}


describe('procmon-pml on the real log', () => {
  it('reads the header: version 9, 64-bit, 3,400 events, computer DESKTOP-6PCIALL', () => {
    const h = readPmlHeader(pmlBytes.subarray(0, 0x3a8), pmlBytes.length);
    expect(h).toMatchObject({ version: 9, is64bit: true, eventCount: 3400, computerName: 'DESKTOP-6PCIALL', systemRoot: 'C:\\WINDOWS' });
    expect(h.windowsVersion).toBe('10.0.18362.2'); // Win10 1903 per SOURCES.md §1
  });

  it('imports all 3,400 events without rejects, reading the file in bounded chunks', async () => {
    const { events, rejects, maxRead } = await parsePml(pmlBytes);
    expect(rejects).toEqual([]);
    expect(events).toHaveLength(3400);
    expect(maxRead).toBeLessThanOrEqual(1 << 20);
    expect(events[0]).toMatchObject({ source_line: 1, host: 'DESKTOP-6PCIALL', op: 'Thread Create', pid: 3344, tid: 3472, ppid: 3288 });
  });

  it('agrees with the first 100 rows of the CSV export of the same capture on time, pid, tid, ppid, op, target, result, detail and duration', async () => {
    // SOURCES.md §1: the PML and the CSV are the same capture, in the same order.
    const { events: pml } = await parsePml(pmlBytes);
    const csv = parseCsv(CSV_HEAD);
    expect(csv).toHaveLength(100);
    expectSameEvents(pml, csv);
    // Documented differences: the PML knows the computer name, the CSV carries no host.
    expect(csv[0]?.host).toBeNull();
    expect(pml[0]?.fields).toMatchObject({ image_path: 'C:\\WINDOWS\\Explorer.EXE', user: 'DESKTOP-6PCIALL\\test', integrity: 'Medium' });
  });

  it('is detected from its magic and chosen by the registry', () => {
    const sample = makeDetectSample('x.pml', pmlBytes.subarray(0, 65536));
    expect(procmonPmlImporter.detect(sample)).toBeGreaterThanOrEqual(0.8);
    const d = detectFormat(sample);
    expect(d.status === 'found' ? d.importer.format : d.status).toBe('procmon-pml');
  });
});

describeCorpus('procmon-pml against the whole CSV export (corpus)', () => {
  it('agrees with all 3,400 rows of the CSV export of the same capture', async () => {
    const { events: pml } = await parsePml(pmlBytes);
    const csv = parseCsv(CSV);
    expect(pml).toHaveLength(csv.length);
    expectSameEvents(pml, csv);
  });
});

describe('procmon-pml damaged and foreign input', () => {
  it('throws a clear error for a file without the PML_ magic', async () => {
    await expect(parsePml(new TextEncoder().encode('"Time of Day","Process Name"\n'))).rejects.toThrow(/not a Procmon PML log/);
  });

  it('throws for an unknown format version', async () => {
    const copy = pmlBytes.slice();
    new DataView(copy.buffer).setUint32(4, 8, true);
    await expect(parsePml(copy)).rejects.toThrow(/version 8 is not supported/);
  });

  it('rejects one event whose offset points outside the file and keeps the rest', async () => {
    const copy = pmlBytes.slice();
    const view = new DataView(copy.buffer);
    const offsetsAt = Number(view.getBigUint64(0x248, true));
    view.setUint32(offsetsAt + 5 * 9, copy.length + 100, true); // record 10
    const { events, rejects } = await parsePml(copy);
    expect(rejects).toHaveLength(1);
    expect(rejects[0]).toMatchObject({ line: 10 });
    expect(rejects[0]?.reason).toMatch(/outside the file/);
    expect(events).toHaveLength(3399);
  });

  it('rejects an event naming an unknown event class', async () => {
    const copy = pmlBytes.slice();
    const view = new DataView(copy.buffer);
    const offsetsAt = Number(view.getBigUint64(0x248, true));
    const first = view.getUint32(offsetsAt, true);
    view.setUint32(first + 8, 77, true);
    const { rejects } = await parsePml(copy);
    expect(rejects).toEqual([{ line: 1, reason: 'unknown event class 77' }]);
  });
});

/** Little-endian block builder for detail fixtures laid out as the PML format describes. */
class Block {
  private parts: number[] = [];
  u8(v: number): this {
    this.parts.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v).u8(v >> 8);
  }
  u32(v: number): this {
    return this.u16(v & 0xffff).u16(v >>> 16);
  }
  zeros(n: number): this {
    for (let i = 0; i < n; i++) this.u8(0);
    return this;
  }
  bytes(b: number[]): this {
    b.forEach((x) => this.u8(x));
    return this;
  }
  utf16(s: string): this {
    for (const ch of s) this.u16(ch.charCodeAt(0));
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

const noNames = { hosts: new Map<string, string>(), ports: new Map<string, string>() };

describe('procmon-pml detail structures (inline fixtures)', () => {
  it('decodes a registry path after the RegQueryValue prefix', () => {
    const path = 'HKLM\\SOFTWARE\\Vendor\\PLC';
    const block = new Block().u16(path.length).zeros(2).u32(144).u32(2).utf16(path).done();
    expect(readPmlDetail(block, 'Registry', 'RegQueryValue', { is64bit: true, names: noNames, tid: 1 })).toEqual({
      op: 'RegQueryValue',
      path,
      detail: 'Length: 144',
    });
  });

  it('decodes an ASCII-flagged registry path for RegCloseKey (no prefix)', () => {
    const block = new Block().u16(0x8000 | 4).bytes([0x48, 0x4b, 0x43, 0x55]).done();
    expect(readPmlDetail(block, 'Registry', 'RegCloseKey', { is64bit: false, names: noNames, tid: 1 }).path).toBe('HKCU');
  });

  it('names file sub-operations and appends a QueryDirectory filter to the path', () => {
    const dir = 'C:\\Windows\\';
    const filter = '*.dll';
    const block = new Block()
      .u8(1) // DirectoryControl minor 1 = QueryDirectory
      .zeros(3)
      .zeros(8 * 5 + 0x14)
      .u16(dir.length)
      .zeros(2)
      .utf16(dir)
      .u16(filter.length)
      .utf16(filter)
      .done();
    expect(readPmlDetail(block, 'File System', 'DirectoryControl', { is64bit: true, names: noNames, tid: 1 })).toEqual({
      op: 'QueryDirectory',
      path: 'C:\\Windows\\*.dll',
      detail: 'Filter: *.dll',
    });
  });

  it('prints TCP endpoints with cached host and port names, and numbers otherwise', () => {
    const src = [192, 168, 0, 10, ...new Array<number>(12).fill(0)];
    const dst = [10, 0, 0, 5, ...new Array<number>(12).fill(0)];
    const names = { hosts: new Map([['0a000005' + '00'.repeat(12), 'plc-1.local']]), ports: new Map([['502/tcp', 'mbap']]) };
    const extra = 'seqnum\0' + '7\0' + '\0';
    const block = new Block().u16(1 | 2 | 4).zeros(2).u32(12).bytes(src).bytes(dst).u16(49500).u16(502).utf16(extra).done();
    const d = readPmlDetail(block, 'Network', 'Send', { is64bit: true, names, tid: 1 });
    expect(d).toEqual({ op: 'TCP Send', path: '192.168.0.10:49500 -> plc-1.local:mbap', detail: 'Length: 12, seqnum: 7' });
  });

  it('formats IPv4 and compressed IPv6 addresses', () => {
    expect(formatIp(Uint8Array.from([127, 0, 0, 1, ...new Array<number>(12).fill(0)]), true)).toBe('127.0.0.1');
    const v6 = new Uint8Array(16);
    v6[0] = 0xfe;
    v6[1] = 0x80;
    v6[15] = 1;
    expect(formatIp(v6, false)).toBe('fe80::1');
  });

  it('maps NTSTATUS results to Procmon texts and unknown ones to hex', () => {
    expect(pmlResultText(0)).toBe('SUCCESS');
    expect(pmlResultText(0xc0000034)).toBe('NAME NOT FOUND');
    expect(pmlResultText(0xc0000023)).toBe('BUFFER TOO SMALL');
    expect(pmlResultText(0xc0001234)).toBe('0xC0001234');
  });

  it('reports a detail block too short for its structure as a format error', () => {
    expect(() => readPmlDetail(new Uint8Array(3), 'Network', 'Send', { is64bit: true, names: noNames, tid: 1 })).toThrow(/overruns/);
  });
});
