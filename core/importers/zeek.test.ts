// Zeek importer on real public Zeek logs (TSV and JSON, network and ICS): small ones and excerpts
// kept as fixtures (fixtures/zeek/SOURCES.md), all of them in the corpus; plus inline fixtures for
// the header edge cases. Expected values are read from the source lines themselves.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusCapture, corpusPresent, describeCorpus, fixture } from '../testing/corpus.ts';
import { makeDetectSample } from './registry.ts';
import { zeekImporter } from './zeek.ts';
import { accounted, runFile, runText } from '../testing/collecting-sink.ts';
import { epochTextToUs } from './zeek-testkit.ts';

const FIXTURES = fixture('zeek');
const ZEEK = corpusCapture('public/zeek');

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

function sample(text: string, fileName = 'x.log') {
  return makeDetectSample(fileName, new TextEncoder().encode(text));
}

/** Every line accounted for, one event per data line, no rejects. */
function expectWholeLog(file: string): void {
  const run = runFile(zeekImporter, file);
  // A data line is any non-blank line that is not a '#' header/comment line.
  const dataLines = run.lines.filter((l) => l.trim() !== '' && !l.startsWith('#')).length;
  expect(run.rejects).toEqual([]);
  expect(run.events).toHaveLength(dataLines);
  expect(accounted(run)).toBe(run.lines.length);
}

describe('zeek importer on every Zeek log fixture', () => {
  for (const file of allFiles(FIXTURES).filter((f) => f.endsWith('.log'))) {
    it(`accounts for every line of ${file.slice(FIXTURES.length + 1)} with no rejects`, () => expectWholeLog(file));
  }
});

describeCorpus('zeek importer on every public Zeek log (corpus)', () => {
  for (const file of corpusPresent ? allFiles(ZEEK) : []) {
    it(`accounts for every line of ${file.slice(ZEEK.length + 1)} with no rejects`, () => expectWholeLog(file));
  }
});

describe('zeek TSV (OTRF LSASS campaign)', () => {
  const run = runFile(zeekImporter, join(FIXTURES, 'otrf_lsass_campaign_06/conn.lines138-158.log'));

  it('maps the C2 connection 192.168.56.30:56448 → 10.0.5.14:6666 with its exact time', () => {
    const index = run.lines.findIndex((l) => l.includes('CCFaKz4K05Z2KxgQA2') && l.includes('6666'));
    expect(index).toBeGreaterThan(0);
    const cells = (run.lines[index] ?? '').split('\t');
    const event = run.events.find((e) => e.source_line === index + 1);
    expect(event).toMatchObject({
      kind: 'network',
      category: 'network',
      op: 'conn',
      target: '10.0.5.14:6666',
      ts_us: epochTextToUs(cells[0] ?? ''),
    });
    expect(event?.args).toContain('192.168.56.30:56448 → 10.0.5.14:6666');
    expect(event?.args).toContain('tcp');
    expect(event?.fields).toMatchObject({ uid: 'CCFaKz4K05Z2KxgQA2', zeek_path: 'conn', 'id.resp_p': 6666 });
    expect(event?.fields?.['ts']).toBe(cells[0]);
  });

  it('turns duration into dur_us and keeps conn_state as ret', () => {
    const first = run.events[0];
    const cells = (run.lines[(first?.source_line ?? 1) - 1] ?? '').split('\t');
    expect(first?.dur_us).toBe(Math.round(Number(cells[8]) * 1e6));
    expect(first?.ret).toBe(cells[11]);
  });

  it('maps dns, http, kerberos and x509 logs to their kinds and targets', () => {
    const dns = runFile(zeekImporter, join(FIXTURES, 'otrf_lsass_campaign_06/dns.lines126-155.log'));
    const withQuery = dns.events.find((e) => e.target !== null && e.target !== undefined);
    const line = (dns.lines[(withQuery?.source_line ?? 1) - 1] ?? '').split('\t');
    expect(withQuery).toMatchObject({ op: 'dns', kind: 'network', target: line[9] });

    const http = runFile(zeekImporter, join(FIXTURES, 'otrf_lsass_campaign_06/http.log'));
    expect(http.events.every((e) => e.op === 'http' && e.kind === 'network')).toBe(true);

    const krb = runFile(zeekImporter, join(FIXTURES, 'otrf_lsass_campaign_06/kerberos.log'));
    expect(krb.events[0]).toMatchObject({ kind: 'auth', op: 'kerberos', target: 'krbtgt/PANDALAB.COM', error: 'KDC_ERR_PREAUTH_REQUIRED' });

    const x509 = runFile(zeekImporter, join(FIXTURES, 'otrf_lsass_campaign_06/x509.log'));
    expect(x509.events[0]?.op).toBe('x509');
    expect(x509.events[0]?.target).toContain('CN=leuschke.koepp.co');
  });
});

describe('zeek JSON (OTRF APT29, RockNSM underscored names)', () => {
  it('reads ts exactly and finds conn from @stream', () => {
    const run = runFile(zeekImporter, join(FIXTURES, 'otrf_apt29_day1_json/SCRANTON_conn.head10.log'));
    const first = JSON.parse(run.lines[0] ?? '{}') as Record<string, unknown>;
    const rawTs = /"ts":([0-9.]+)/.exec(run.lines[0] ?? '')?.[1] ?? '';
    expect(run.events[0]).toMatchObject({
      op: 'conn',
      ts_us: epochTextToUs(rawTs),
      target: `${String(first['id_resp_h'])}:${String(first['id_resp_p'])}`,
    });
    expect(run.events[0]?.fields?.['uid']).toBe(first['uid']);
  });

  it('maps http with host + uri as target', () => {
    const run = runFile(zeekImporter, join(FIXTURES, 'otrf_apt29_day1_json/SCRANTON_http.head10.log'));
    const first = JSON.parse(run.lines[0] ?? '{}') as Record<string, unknown>;
    expect(run.events[0]?.target).toBe(`${String(first['host'])}${String(first['uri'])}`);
    expect(run.events[0]?.args).toContain(String(first['method']));
  });
});

describeCorpus('zeek ICS logs with real times (pcap-share, no licence: corpus only)', () => {
  it('flags every Modbus write in the real pcap-share modbus.log', () => {
    const run = runFile(zeekImporter, join(ZEEK, 'pcap-share_modbus/modbus.log'));
    const first = run.events[0];
    const cells = (run.lines[(first?.source_line ?? 1) - 1] ?? '').split('\t');
    expect(first).toMatchObject({
      kind: 'ics',
      category: 'ics',
      op: 'modbus.write_single_coil',
      target: `${cells[4]}:${cells[5]}`,
      ts_us: epochTextToUs(cells[0] ?? ''),
    });
    expect(first?.fields).toMatchObject({ ics_write: true, ics_protocol: 'modbus' });
    const writeRows = run.lines.filter((l) => /\tWRITE_(SINGLE|MULTIPLE)_(COIL|REGISTER)S?\t/.test(l)).length;
    expect(run.events.filter((e) => e.fields?.['ics_write'] === true)).toHaveLength(writeRows);
  });

  it('reads modbus_detailed without #close: address, quantity and value in args and fields', () => {
    const run = runFile(zeekImporter, join(ZEEK, 'pcap-share_modbus/modbus_detailed.head12000.log'));
    expect(run.lines.some((l) => l.startsWith('#close'))).toBe(false);
    const e = run.events[0];
    const cells = (run.lines[(e?.source_line ?? 1) - 1] ?? '').split('\t');
    expect(e?.args).toContain(`address=${cells[9]} quantity=${cells[10]} values=${cells[11]}`);
    expect(e?.fields).toMatchObject({ ics_address: Number(cells[9]), ics_values: cells[11], ics_write: cells[8] === 'request' });
  });
});

describe('zeek ICS logs (btest baselines)', () => {
  it('marks masked btest times, keeps file order and warns once', () => {
    const run = runFile(zeekImporter, join(FIXTURES, 'zeek_btest_baselines_ics/scripts.base.protocols.dnp3.events/dnp3.log'));
    expect(run.events.every((e) => e.fields?.['ts_masked'] === true)).toBe(true);
    expect(run.warnings).toHaveLength(1);
    expect(run.warnings[0]).toContain('masked');
    const byOp = (op: string) => run.events.filter((e) => e.op === op);
    for (const op of ['dnp3.select', 'dnp3.cold_restart', 'dnp3.warm_restart', 'dnp3.stop_application']) {
      expect(byOp(op).length).toBeGreaterThan(0);
      expect(byOp(op).every((e) => e.fields?.['ics_write'] === true)).toBe(true);
    }
    expect(byOp('dnp3.read').every((e) => e.fields?.['ics_write'] === false)).toBe(true);
  });

  it('flags S7 PLC Stop on the job request and marks its ACK-Data as the reply', () => {
    const run = runFile(zeekImporter, join(FIXTURES, 'icsnpp_s7comm_btest_baselines/analyzer.snap7/s7comm.log'));
    const stops = run.events.filter((e) => e.op === 's7.plc_stop');
    const lines = run.lines.map((l, i) => [l, i + 1] as const).filter(([l]) => l.includes('\tPLC Stop\t'));
    expect(stops.map((e) => e.source_line)).toEqual(lines.map(([, n]) => n));
    const request = stops.find((e) => e.fields?.['rosctr_name'] === 'Job-Request');
    const ack = stops.find((e) => e.fields?.['rosctr_name'] === 'ACK-Data');
    expect(request?.fields).toMatchObject({ ics_write: true, ics_reply: false });
    expect(ack?.fields).toMatchObject({ ics_write: false, ics_reply: true });
    expect(request?.target).toBe(`${String(request?.fields?.['destination_h'])}:${String(request?.fields?.['destination_p'])}`);
  });

  it('maps s7comm_plus Set Variable as a write and cotp PDUs by name', () => {
    const plus = runFile(zeekImporter, join(FIXTURES, 'icsnpp_s7comm_btest_baselines/analyzer.s7comm_plus/s7comm_plus.log'));
    const set = plus.events.filter((e) => e.op === 's7plus.set_variable');
    expect(set.length).toBe(plus.lines.filter((l) => l.includes('\tSet Variable')).length);
    expect(set.every((e) => e.fields?.['ics_write'] === true)).toBe(true);
    const cotp = runFile(zeekImporter, join(FIXTURES, 'icsnpp_s7comm_btest_baselines/analyzer.s7ident/cotp.log'));
    expect(cotp.events.map((e) => e.op)).toContain('cotp.cr_connection_request');
  });

  it('maps modbus_register_change with register, old and new value', () => {
    const run = runFile(zeekImporter, join(FIXTURES, 'zeek_btest_baselines_ics/scripts.base.protocols.modbus.policy/modbus_register_change.log'));
    const e = run.events[0];
    const cells = (run.lines[(e?.source_line ?? 1) - 1] ?? '').split('\t');
    expect(e).toMatchObject({ op: 'modbus.register_change', kind: 'ics' });
    expect(e?.args).toContain(`register=${cells[6]} old=${cells[7]} new=${cells[8]}`);
  });

  it('reads Zeek modbus exception names and unknown-N codes', () => {
    const run = runFile(zeekImporter, join(FIXTURES, 'zeek_btest_baselines_ics/scripts.base.protocols.modbus.exception_handling/modbus.log'));
    const first = run.events[0]; // unknown-156 RESP ILLEGAL_FUNCTION: 156 = 0x80 | 28
    expect(first).toMatchObject({ op: 'modbus.function_28', error: 'ILLEGAL_FUNCTION' });
    expect(first?.fields).toMatchObject({ ics_reply: true });
  });
});

describe('zeek edge cases (inline fixtures)', () => {
  const header = (path: string, fields: string[], types: string[]) =>
    ['#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', `#path\t${path}`, '#open\t2024-01-01-00-00-00', `#fields\t${fields.join('\t')}`, `#types\t${types.join('\t')}`].join('\n');

  it('treats - as unset, (empty) as an empty set and splits set fields', () => {
    const text = `${header('conn', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'tunnel_parents'], ['time', 'string', 'addr', 'port', 'addr', 'port', 'enum', 'string', 'set[string]'])}
1700000000.000001\tCx\t10.0.0.1\t1234\t10.0.0.2\t502\ttcp\t-\t(empty)
1700000000.5\tCy\t10.0.0.1\t1235\t10.0.0.2\t102\ttcp\tcotp,s7comm\tCa,Cb
`;
    const run = runText(zeekImporter, text);
    expect(run.rejects).toEqual([]);
    expect(run.events[0]?.ts_us).toBe(1_700_000_000_000_001);
    expect(run.events[0]?.fields).not.toHaveProperty('service');
    expect(run.events[0]?.fields?.['tunnel_parents']).toBe('');
    expect(run.events[1]?.ts_us).toBe(1_700_000_000_500_000);
    expect(run.events[1]?.fields?.['tunnel_parents']).toBe('Ca,Cb');
    expect(run.events[1]?.args).toContain('service=cotp,s7comm');
    expect(accounted(run)).toBe(run.lines.length);
  });

  it('handles several header blocks (different logs) in one file, missing #close included', () => {
    const text = `${header('dnp3', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'fc_request', 'fc_reply', 'iin'], ['time', 'string', 'addr', 'port', 'addr', 'port', 'string', 'string', 'count'])}
1700000000.1\tC1\t10.0.0.5\t40000\t10.0.0.6\t20000\tDIRECT_OPERATE\tRESPONSE\t0
${header('modbus', ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'func', 'exception'], ['time', 'string', 'addr', 'port', 'addr', 'port', 'string', 'string'])}
1700000001.2\tC2\t10.0.0.5\t40001\t10.0.0.6\t502\tWRITE_MULTIPLE_REGISTERS\t-
#close\t2024-01-01-00-10-00
`;
    const run = runText(zeekImporter, text);
    expect(run.events.map((e) => e.op)).toEqual(['dnp3.direct_operate', 'modbus.write_multiple_registers']);
    expect(run.events.every((e) => e.fields?.['ics_write'] === true)).toBe(true);
    expect(accounted(run)).toBe(run.lines.length);
  });

  it('rejects a row with the wrong number of fields, and data before any header, by line', () => {
    const text = `1700000000.1\tstray
${header('conn', ['ts', 'uid'], ['time', 'string'])}
1700000000.1\tC1\textra
1700000000.2\tC2
`;
    const run = runText(zeekImporter, text);
    expect(run.rejects.map((r) => r.line)).toEqual([1, 10]);
    expect(run.rejects[0]?.reason).toContain('#fields');
    expect(run.rejects[1]?.reason).toContain('expected 2');
    expect(run.events).toHaveLength(1);
  });

  it('reads JSON with an ISO ts and dotted names, inferring dns without a path', () => {
    const text = `{"ts":"2024-05-01T10:00:00.123456Z","uid":"Cd","id.orig_h":"10.1.1.1","id.orig_p":5353,"id.resp_h":"10.1.1.53","id.resp_p":53,"proto":"udp","query":"plc.example","qtype_name":"A","rcode_name":"NXDOMAIN"}
{"ts":1714557600.5,"uid":"Ce","id":{"orig_h":"10.1.1.1","orig_p":1,"resp_h":"10.1.1.2","resp_p":20000},"fc_request":"WARM_RESTART","fc_reply":"RESPONSE"}
not json
`;
    const run = runText(zeekImporter, text);
    expect(run.events[0]).toMatchObject({ op: 'dns', target: 'plc.example', error: 'NXDOMAIN', ts_us: 1_714_557_600_123_456 });
    expect(run.events[1]).toMatchObject({ op: 'dnp3.warm_restart', target: '10.1.1.2:20000', ts_us: 1_714_557_600_500_000 });
    expect(run.events[1]?.fields?.['ics_write']).toBe(true);
    expect(run.rejects).toEqual([{ line: 3, reason: expect.stringContaining('#fields') as unknown as string, raw: 'not json' }]);
  });

  it('detects Zeek TSV and JSON clearly above the generic formats, and not plain JSON lines', () => {
    const tsv = `${header('conn', ['ts', 'uid'], ['time', 'string'])}\n1700000000.1\tC1\n`;
    expect(zeekImporter.detect(sample(tsv))).toBeGreaterThanOrEqual(0.9);
    const json = '{"ts":1714557600.5,"uid":"Ce","id_orig_h":"10.1.1.1","id_resp_h":"10.1.1.2"}\n'.repeat(3);
    expect(zeekImporter.detect(sample(json))).toBeGreaterThanOrEqual(0.8);
    expect(zeekImporter.detect(sample('{"time":"2024-01-01T00:00:00Z","msg":"hello"}\n'.repeat(3)))).toBe(0);
  });
});
