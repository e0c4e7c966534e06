// tshark/Wireshark importers on the real hmi-dev exports (CSV and -T json of the same pcap) and
// the public Wireshark Modbus CSV, plus inline fixtures for -T ek, full-dissection JSON, GUI
// columns with relative or absolute times, and bad rows. Expected values come from the sources.
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusCapture, describeCorpus } from '../testing/corpus.ts';
import { makeDetectSample } from './registry.ts';
import { tsharkCsvImporter } from './tshark-csv.ts';
import { tsharkJsonImporter } from './tshark-json.ts';
import { wiresharkAbsoluteToUs } from './tshark-packet.ts';
import { accounted, runFile, runText } from '../testing/collecting-sink.ts';
import { epochTextToUs } from './zeek-testkit.ts';

// The hmi-dev exports (test-only, no licence) and the Wireshark Modbus CSV (no licence declared)
// stay in the corpus; the core suite covers both importers with the inline fixtures below.
const NET_CSV = corpusCapture('linux/hmi-dev/net.csv');
const NET_JSON = corpusCapture('linux/hmi-dev/net.json');
const WIRESHARK_MODBUS = corpusCapture('public/ics/wireshark_modbus.csv');

/** The quoted cells of one row of net.csv (tshark -E quote=d: every non-empty cell is quoted). */
function cellsOf(line: string): string[] {
  return line.split(',').map((c) => c.replace(/^"|"$/g, ''));
}

describeCorpus('tshark CSV field export (hmi-dev net.csv)', () => {
  // Read in beforeAll: a skipped suite's body still runs to collect its tests.
  let run: ReturnType<typeof runFile>;
  let header: string[] = [];
  beforeAll(() => {
    run = runFile(tsharkCsvImporter, NET_CSV);
    header = cellsOf(run.lines[0] ?? '');
  });
  const col = (name: string) => header.indexOf(name);
  const rowOfFrame = (frame: string) => run.lines.findIndex((l) => l.startsWith(`"${frame}",`)) + 1;

  it('makes one event per frame and rejects nothing', () => {
    expect(run.rejects).toEqual([]);
    expect(run.events).toHaveLength(run.lines.length - 1); // every line after the header is one frame
    expect(accounted(run)).toBe(run.lines.length);
  });

  it("maps the HMI's recipe write (FC6, register 1) with exact time, endpoints and write flag", () => {
    const line = rowOfFrame('456');
    const cells = cellsOf(run.lines[line - 1] ?? '');
    expect(cells[col('modbus.func_code')]).toBe('6');
    const e = run.events.find((x) => x.source_line === line);
    expect(e).toMatchObject({
      kind: 'ics',
      category: 'ics',
      op: 'modbus.write_single_register',
      target: `${cells[col('ip.dst')]}:${cells[col('tcp.dstport')]}`,
      ts_us: epochTextToUs(cells[col('frame.time_epoch')] ?? ''),
    });
    expect(e?.args).toContain(`${cells[col('ip.src')]}:${cells[col('tcp.srcport')]} → ${cells[col('ip.dst')]}:502`);
    expect(e?.fields).toMatchObject({ ics_write: true, ics_reply: false, ics_address: 1, ics_unit: 1 });
    // tshark 4.0 does not export the FC6 register value in this field set: nothing is invented.
    expect(cells[col('modbus.regval_uint16')]).toBe('');
    expect(e?.fields).not.toHaveProperty('ics_values');
  });

  it('marks the response to that write as a reply, not a second write', () => {
    const line = run.lines.findIndex((l) => cellsOf(l)[col('modbus.request_frame')] === '456') + 1;
    const e = run.events.find((x) => x.source_line === line);
    expect(e?.op).toBe('modbus.write_single_register');
    expect(e?.fields).toMatchObject({ ics_write: false, ics_reply: true, ics_request_frame: 456 });
  });

  it("maps the intruder's writes: FC6 hr1 from a new connection, FC16 hr2..3 = [100, 0], FC5 coil 3", () => {
    const writes = run.events.filter((e) => e.fields?.['ics_write'] === true);
    // Independent count: Modbus queries (no request_frame) with a write function code.
    const expected = run.lines.slice(1).filter((l) => {
      const c = cellsOf(l);
      return ['5', '6', '15', '16'].includes(c[col('modbus.func_code')] ?? '') && c[col('modbus.request_frame')] === '';
    });
    expect(writes.map((e) => e.source_line)).toEqual(expected.map((l) => run.lines.indexOf(l) + 1));
    const fc6 = writes.filter((e) => e.op === 'modbus.write_single_register');
    expect(fc6.length).toBeGreaterThanOrEqual(2);
    expect(fc6[1]?.args).not.toContain(':38610 →'); // the HMI's own poll connection is port 38610
    expect(fc6[1]?.fields?.['ics_address']).toBe(1);
    const fc16 = writes.find((e) => e.op === 'modbus.write_multiple_registers');
    expect(fc16?.fields).toMatchObject({ ics_address: 2, ics_quantity: 2, ics_values: '100,0' });
    expect(fc16?.args).toContain('values=100,0');
    const fc5 = writes.find((e) => e.op === 'modbus.write_single_coil');
    expect(fc5?.fields?.['ics_address']).toBe(3);
  });

  it('keeps syslog messages in args and names HTTP requests', () => {
    const syslogLine = run.lines.findIndex((l) => cellsOf(l)[col('_ws.col.Protocol')] === 'Syslog') + 1;
    const msg = cellsOf(run.lines[syslogLine - 1] ?? '')[col('syslog.msg')] ?? '';
    const syslog = run.events.find((e) => e.source_line === syslogLine);
    expect(syslog).toMatchObject({ kind: 'network', op: 'syslog', target: '127.0.0.1:514' });
    expect(syslog?.args).toContain(msg);
    const get = run.events.find((e) => e.op === 'http.get');
    expect(get?.args).toMatch(/GET \/fw\//);
  });
});

describeCorpus('tshark -T json (hmi-dev net.json, same pcap as net.csv)', () => {
  let json: ReturnType<typeof runFile>;
  let csv: ReturnType<typeof runFile>;
  beforeAll(() => {
    json = runFile(tsharkJsonImporter, NET_JSON);
    csv = runFile(tsharkCsvImporter, NET_CSV);
  });

  it('buffers pretty-printed packets: one event per frame, other lines continuations', () => {
    expect(json.rejects).toEqual([]);
    expect(json.events).toHaveLength(csv.events.length);
    expect(accounted(json)).toBe(json.lines.length);
    const first = json.events[0];
    expect(json.lines[(first?.source_line ?? 1) - 1]?.trim()).toBe('{');
  });

  it('produces the same events as the CSV export, frame by frame', () => {
    const strip = (e: (typeof json.events)[number]) => ({ ts: e.ts_us, op: e.op, target: e.target, kind: e.kind, args: e.args, write: e.fields?.['ics_write'] });
    expect(json.events.map(strip)).toEqual(csv.events.map(strip));
  });
});

describeCorpus('Wireshark GUI CSV export (public/ics/wireshark_modbus.csv)', () => {
  let run: ReturnType<typeof runFile>;
  beforeAll(() => {
    run = runFile(tsharkCsvImporter, WIRESHARK_MODBUS);
  });

  it('reads every packet with the epoch Time column and splits queries from responses via Info', () => {
    expect(run.rejects).toEqual([]);
    expect(run.events).toHaveLength(run.lines.length - 1);
    const cells = cellsOf(run.lines[1] ?? '');
    expect(run.events[0]).toMatchObject({ ts_us: epochTextToUs(cells[1] ?? ''), target: cells[3], op: 'modbus.write_single_coil' });
    const queries = run.lines.filter((l) => l.includes('Query: Trans:')).length;
    expect(run.events.filter((e) => e.fields?.['ics_write'] === true)).toHaveLength(queries);
    expect(run.events.filter((e) => e.fields?.['ics_reply'] === true)).toHaveLength(run.events.length - queries);
  });
});

describe('tshark edge cases (inline fixtures)', () => {
  it('reads -T ek index/document pairs with nested, prefixed field names', () => {
    const ek = [
      '{"index":{"_index":"packets-2026-11-26","_type":"doc"}}',
      '{"timestamp":"1795673637618","layers":{"frame":{"frame_frame_time_epoch":"1795673637.618980000","frame_frame_len":"78"},"ip":{"ip_ip_src":"127.0.0.1","ip_ip_dst":"127.0.0.1"},"tcp":{"tcp_tcp_srcport":"38610","tcp_tcp_dstport":"502"},"mbtcp":{"mbtcp_mbtcp_unit_id":"1"},"modbus":{"modbus_modbus_func_code":"6","modbus_modbus_reference_num":"1","modbus_modbus_regval_uint16":"550"}}}',
    ].join('\n');
    expect(tsharkJsonImporter.detect(makeDetectSample('x.json', new TextEncoder().encode(ek)))).toBeGreaterThanOrEqual(0.9);
    const run = runText(tsharkJsonImporter, ek);
    expect(run.skips.length).toBe(1);
    expect(run.events[0]).toMatchObject({ ts_us: 1_795_673_637_618_980, op: 'modbus.write_single_register', target: '127.0.0.1:502', source_line: 2 });
    expect(run.events[0]?.fields).toMatchObject({ ics_write: true, ics_address: 1, ics_values: '550' });
  });

  it('reads full-dissection -T json (no -e): nested layers, register value inside a subtree', () => {
    const text = `[
  {
    "_index": "packets-2026-11-26",
    "_source": {
      "layers": {
        "frame": { "frame.time_epoch": "1795673764.596826000", "frame.len": "78", "frame.protocols": "eth:ethertype:ip:tcp:mbtcp:modbus" },
        "ip": { "ip.src": "127.0.0.1", "ip.dst": "127.0.0.1" },
        "tcp": { "tcp.srcport": "43406", "tcp.dstport": "502" },
        "modbus": {
          "modbus.func_code": "6",
          "modbus.reference_num": "1",
          "Register 1 (UINT16): 950": { "modbus.regnum16": "1", "modbus.regval_uint16": "950" }
        }
      }
    }
  }
]
`;
    const run = runText(tsharkJsonImporter, text);
    expect(run.rejects).toEqual([]);
    expect(run.events).toHaveLength(1);
    expect(run.events[0]).toMatchObject({ source_line: 2, op: 'modbus.write_single_register', ts_us: 1_795_673_764_596_826 });
    expect(run.events[0]?.fields).toMatchObject({ ics_write: true, ics_values: '950' });
    expect(accounted(run)).toBe(run.lines.length);
  });

  it('rejects a truncated JSON export at the line where the packet began', () => {
    const run = runText(tsharkJsonImporter, '[\n  {\n    "_source": {\n      "layers": {\n');
    expect(run.rejects).toHaveLength(1);
    expect(run.rejects[0]?.line).toBe(2);
    expect(accounted(run)).toBe(run.lines.length);
  });

  it('anchors relative GUI times at --start (or the date) and warns once', () => {
    const text = '"No.","Time","Source","Destination","Protocol","Length","Info"\n"1","0.000000","10.0.0.1","10.0.0.2","DNP 3.0","80","Direct Operate"\n"2","1.250000","10.0.0.2","10.0.0.1","TCP","60","ack"\n';
    const run = runText(tsharkCsvImporter, text, { startUs: 1_700_000_000_000_000 });
    expect(run.events.map((e) => e.ts_us)).toEqual([1_700_000_000_000_000, 1_700_000_001_250_000]);
    expect(run.warnings).toHaveLength(1);
    expect(run.events[1]).toMatchObject({ kind: 'network', op: 'tcp', target: '10.0.0.1' });
  });

  it('reads frame.time in Wireshark absolute format and tab-separated exports', () => {
    expect(wiresharkAbsoluteToUs('Nov 26, 2026 06:13:22.613126000 UTC', 'UTC')).toBe(1_795_673_602_613_126);
    expect(wiresharkAbsoluteToUs('Jun 27, 2020 15:27:29.419685000 CEST', '+02:00')).toBe(1_593_264_449_419_685);
    const text = 'frame.number\tframe.time\tip.src\tip.dst\tudp.srcport\tudp.dstport\t_ws.col.Protocol\n1\tNov 26, 2026 06:13:22.613126000 UTC\t10.0.0.1\t10.0.0.2\t5000\t514\tSyslog\n';
    const run = runText(tsharkCsvImporter, text);
    expect(run.events[0]).toMatchObject({ ts_us: 1_795_673_602_613_126, target: '10.0.0.2:514' });
  });

  it('rejects rows with a wrong column count or no time, by line; refuses a non-tshark file', () => {
    const text = 'frame.number,frame.time_epoch,ip.src,ip.dst\n"1","1700000000.1","a","b"\n"2","1700000000.2","a"\n"3","","a","b"\n';
    const run = runText(tsharkCsvImporter, text);
    expect(run.events).toHaveLength(1);
    expect(run.rejects.map((r) => r.line)).toEqual([3, 4]);
    expect(run.rejects[0]?.reason).toContain('expected 4 columns');
    expect(() => runText(tsharkCsvImporter, 'date,level,message\n2024-01-01,INFO,hi\n')).toThrow(/not a tshark/);
  });

  it('detects field exports and GUI exports above the generic CSV level', () => {
    const detect = (t: string) => tsharkCsvImporter.detect(makeDetectSample('x.csv', new TextEncoder().encode(t)));
    expect(detect('frame.number,frame.time_epoch,ip.src,ip.dst,_ws.col.Protocol\n')).toBeGreaterThanOrEqual(0.8);
    expect(detect('"No.","Time","Source","Destination","Protocol","Length","Info"\n')).toBeGreaterThanOrEqual(0.8);
    expect(detect('time,source,message\n')).toBe(0);
  });
});
