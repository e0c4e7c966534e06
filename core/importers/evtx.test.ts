// EVTX importer on the real samples (counts from SOURCES.md §2a, checked against evtxexport and
// the chunk headers) and on damaged copies made here. Two small logs are kept in the repository
// (fixtures/evtx); the Sysmon log and the damaged sample are in the shared corpus.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusCapture, describeCorpus, fixture } from '../testing/corpus.ts';
import { evtxImporter } from './evtx.ts';
import { runBinary } from '../testing/collecting-sink.ts';
import { makeDetectSample } from './registry.ts';

const sample = (name: string): Uint8Array => new Uint8Array(readFileSync(corpusCapture(`public/evtx/${name}`)));
const fixtureLog = (name: string): Uint8Array => new Uint8Array(readFileSync(fixture(`evtx/${name}`)));
const CHUNK = 65_536;
const FIRST_CHUNK = 4096;

describeCorpus('evtx importer on the corpus samples', () => {
  it('reads all 358 records of the dirty sysmon.evtx, trusting chunks over the stale header', async () => {
    const out = await runBinary(evtxImporter, sample('sysmon.evtx'));
    expect(out.events).toHaveLength(358);
    expect(out.rejects).toEqual([]);
    const ids = out.events.map((e) => e.source_line);
    // The file header says "next record 1742"; the chunks hold 1742–2099 (SOURCES.md).
    expect(Math.min(...ids)).toBe(1742);
    expect(Math.max(...ids)).toBe(2099);
    expect(new Set(ids).size).toBe(358);
    const byId = new Map<number, number>();
    for (const e of out.events) byId.set(Number(e.fields?.['EventID']), (byId.get(Number(e.fields?.['EventID'])) ?? 0) + 1);
    // SOURCES.md: 1 ×227, 10 ×60, 11 ×34, 13 ×24, 12 ×8, 3 ×2, 15 ×2, 16 ×1.
    expect(Object.fromEntries(byId)).toEqual({ 1: 227, 10: 60, 11: 34, 13: 24, 12: 8, 3: 2, 15: 2, 16: 1 });
    expect(out.warnings.join('\n')).toMatch(/dirty/);
  });

  it('maps the first record (a Sysmon ProcessCreate of PING.EXE) field by field', async () => {
    const out = await runBinary(evtxImporter, sample('sysmon.evtx'));
    const first = out.events.find((e) => e.source_line === 1742);
    // Values as evtxexport prints them for EventRecordID 1742 (derived/sysmon.evtx.evtxexport.xml).
    expect(first).toMatchObject({
      ts_us: Date.UTC(2017, 11, 26, 13, 10, 29, 134) * 1000, // UtcTime 2017-12-26 13:10:29.134
      host: 'DESKTOP-2KGM189',
      pid: 9112,
      ppid: 8392,
      process: 'PING.EXE',
      kind: 'process',
      op: 'ProcessCreate',
      category: 'process',
      target: 'C:\\Windows\\SysWOW64\\PING.EXE',
      args: 'ping  -n 6 127.0.0.1 ',
    });
    expect(first?.fields).toMatchObject({
      EventID: 1,
      Provider: 'Microsoft-Windows-Sysmon',
      TimeCreated: '2017-12-26T13:10:29.1368792Z',
      ProcessGuid: '{94F748D5-4A45-5A42-0000-0010D265F20F}',
      ParentImage: 'C:\\Windows\\SysWOW64\\cmd.exe',
      LogonId: '0x00000000000003e7',
      UserID: 'S-1-5-18',
    });
  });

  it('times Sysmon network events by TimeCreated when their UtcTime is weeks stale', async () => {
    const out = await runBinary(evtxImporter, sample('sysmon.evtx'));
    const connect = out.events.find((e) => e.source_line === 2062);
    // Record 2062: UtcTime 2017-12-18 14:51:29.968, logged 2018-03-06T08:14:06.6384457Z among its neighbours.
    expect(connect).toMatchObject({ kind: 'network', op: 'NetworkConnect', target: '93.184.220.29:80' });
    expect(connect?.ts_us).toBe(Date.UTC(2018, 2, 6, 8, 14, 6, 638) * 1000 + 445);
    expect(connect?.fields?.['UtcTime']).toBe('2017-12-18 14:51:29.968');
    expect(out.warnings.join('\n')).toMatch(/2 Sysmon network event/);
  });

  it('reads the new-user Security log: its UserCreated event is an auth event', async () => {
    const newUser = await runBinary(evtxImporter, sample('new-user-security.evtx'));
    expect(newUser.events).toHaveLength(4); // chunk header: records 1–4
    expect(newUser.rejects).toEqual([]);
    const created = newUser.events.find((e) => e.op === 'UserCreated');
    expect(created).toMatchObject({ kind: 'auth', category: 'auth', target: 'IE8Win7\\IEUser' });
    expect(created?.fields?.['EventID']).toBe(4720);
  });

  it('recovers the 267 readable records of the damaged sample and reports the damage', async () => {
    const out = await runBinary(evtxImporter, sample('sample_with_a_bad_chunk_magic.evtx'));
    expect(out.events).toHaveLength(267); // SOURCES.md: 267 recovered (evtxexport)
    expect(out.rejects.some((r) => /chunk 6 .*skipped/.test(r.reason))).toBe(true);
    expect(out.rejects.every((r) => r.line > 0)).toBe(true);
  });
});

describeCorpus('evtx importer on damaged copies of the corpus samples', () => {
  it('skips a chunk whose signature is broken and still reads the chunks after it', async () => {
    const bytes = sample('sysmon.evtx').slice();
    // Chunk 3 holds records 121–163 of the log (chunk header), i.e. 43 records.
    const at = FIRST_CHUNK + 3 * CHUNK;
    bytes.set([0x58, 0x58, 0x58], at);
    const out = await runBinary(evtxImporter, bytes);
    expect(out.events).toHaveLength(358 - 43);
    expect(out.events.some((e) => e.source_line === 1905)).toBe(true); // first record of chunk 4
    expect(out.rejects).toHaveLength(1);
    expect(out.rejects[0]?.reason).toMatch(/chunk 3 .*bad chunk signature/);
    expect(out.rejects[0]?.line).toBe(1862); // the record that would have come next
  });

  it('survives a file cut off in the middle of a chunk', async () => {
    const bytes = sample('sysmon.evtx').subarray(0, FIRST_CHUNK + CHUNK + 30_000);
    const out = await runBinary(evtxImporter, bytes);
    expect(out.events.length).toBeGreaterThanOrEqual(41); // all of chunk 0 (records 1742–1782)
    expect(out.events.length).toBeLessThan(81);
  });
});

describe('evtx importer on the repository fixtures', () => {
  it('reads Security and Application logs, including one written without CRCs', async () => {
    const security = await runBinary(evtxImporter, fixtureLog('Security_short_selected.evtx'));
    const app = await runBinary(evtxImporter, fixtureLog('Application_no_crc32.evtx'));
    // Record counts: the chunk headers (1–7, 1–17) and SOURCES.md agree.
    expect([security.events.length, app.events.length]).toEqual([7, 17]);
    expect([...security.rejects, ...app.rejects]).toEqual([]);
    expect(app.warnings.join('\n')).not.toMatch(/checksum/);
    expect(security.events.some((e) => e.op === 'LogonFailed' && e.kind === 'auth')).toBe(true);
  });

  it('rejects a record whose BinXML is garbage without losing its neighbours', async () => {
    const bytes = fixtureLog('Security_short_selected.evtx').slice();
    const view = new DataView(bytes.buffer);
    // Second record: find it after the first one and overwrite its BinXML with an unknown token.
    const firstSize = view.getUint32(FIRST_CHUNK + 512 + 4, true);
    const second = FIRST_CHUNK + 512 + firstSize;
    bytes.fill(0xee, second + 24, second + 40);
    const out = await runBinary(evtxImporter, bytes);
    expect(out.events).toHaveLength(6);
    expect(out.rejects).toHaveLength(1);
    expect(out.rejects[0]?.reason).toMatch(/unreadable BinXML/);
  });

  it('refuses a file that is not EVTX', async () => {
    await expect(runBinary(evtxImporter, new TextEncoder().encode('hello world, not a log'))).rejects.toThrow(/not an EVTX file/);
  });

  it('claims EVTX files by signature and nothing else', () => {
    expect(evtxImporter.detect(makeDetectSample('x', fixtureLog('Application_no_crc32.evtx').subarray(0, 65_536)))).toBe(1);
    expect(evtxImporter.detect(makeDetectSample('x', new TextEncoder().encode('{"EventID":1}\n')))).toBe(0);
  });
});
