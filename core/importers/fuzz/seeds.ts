// Seed inputs for the importer fuzz suite: every fixture file kept for a format under
// core/importers/fixtures/ (see its SOURCES.md), plus inline text for the formats whose real
// samples cannot be kept (fixtures/README.md). Test and fuzz support only.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');

export interface Seed {
  /** Where the bytes came from: a path under fixtures/ or "inline:<what>". */
  name: string;
  bytes: Uint8Array;
}

/** Fixture files or folders (under fixtures/) that hold each format's captures. */
const FIXTURE_PATHS: Record<string, string[]> = {
  jsonl: ['jsonl', 'logs/hmi-levels.jsonl'],
  csv: ['logs/levels.csv'],
  textlog: ['logs/levels-syslog.log', 'logs/flowview-stacktraces.log'],
  'access-log': ['access-log'],
  auditd: ['auditd'],
  'procmon-csv': ['procmon-csv'],
  'procmon-pml': ['procmon-pml'],
  cape: ['cape'],
  zeek: ['zeek'],
  'ics-probe-csv': ['ics-probe-csv'],
  evtx: ['evtx'],
  'winevent-xml': ['winevent-xml'],
  'winevent-jsonl': ['winevent-jsonl'],
  strace: ['strace'],
  ltrace: ['ltrace'],
  'frida-trace': ['frida-trace'],
};

/** Documentation and the scripts that made the fixtures are not captures. */
const NOT_A_CAPTURE = /(\.md|\.sh|capture-date\.txt)$/;

/** Inline samples for formats without a fixture file (shapes from tshark.test.ts). */
const INLINE: Record<string, Record<string, string>> = {
  'tshark-csv': {
    'fields-export':
      'frame.number,frame.time_epoch,ip.src,ip.dst,tcp.srcport,tcp.dstport,_ws.col.Protocol,modbus.func_code,modbus.reference_num\n' +
      '"1","1795673637.618980000","10.0.0.5","10.0.0.9","38610","502","Modbus/TCP","6","1"\n' +
      '"2","1795673637.619310000","10.0.0.9","10.0.0.5","502","38610","Modbus/TCP","6","1"\n' +
      '"3","1795673638.001000000","10.0.0.5","10.0.0.9","38610","502","TCP","",""\n',
    'gui-export': '"No.","Time","Source","Destination","Protocol","Length","Info"\n"1","0.000000","10.0.0.1","10.0.0.2","DNP 3.0","80","Direct Operate"\n"2","1.250000","10.0.0.2","10.0.0.1","TCP","60","ack"\n',
    'tab-absolute':
      'frame.number\tframe.time\tip.src\tip.dst\tudp.srcport\tudp.dstport\t_ws.col.Protocol\n1\tNov 26, 2026 06:13:22.613126000 UTC\t10.0.0.1\t10.0.0.2\t5000\t514\tSyslog\n2\tNov 26, 2026 06:13:23.000001000 UTC\t10.0.0.2\t10.0.0.1\t514\t5000\tSyslog\n',
  },
  'tshark-json': {
    ek: [
      '{"index":{"_index":"packets-2026-11-26","_type":"doc"}}',
      '{"timestamp":"1795673637618","layers":{"frame":{"frame_frame_time_epoch":"1795673637.618980000","frame_frame_len":"78"},"ip":{"ip_ip_src":"127.0.0.1","ip_ip_dst":"127.0.0.1"},"tcp":{"tcp_tcp_srcport":"38610","tcp_tcp_dstport":"502"},"mbtcp":{"mbtcp_mbtcp_unit_id":"1"},"modbus":{"modbus_modbus_func_code":"6","modbus_modbus_reference_num":"1","modbus_modbus_regval_uint16":"550"}}}',
      '',
    ].join('\n'),
    'full-dissection': `[
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
  },
  {
    "_index": "packets-2026-11-26",
    "_source": {
      "layers": {
        "frame": { "frame.time_epoch": "1795673764.597000000", "frame.len": "66" },
        "ip": { "ip.src": "127.0.0.1", "ip.dst": "127.0.0.1" },
        "tcp": { "tcp.srcport": "502", "tcp.dstport": "43406" }
      }
    }
  }
]
`,
  },
};

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => filesUnder(join(path, entry)));
}

/** A fixture's bytes as an importer would receive them (.gz is how the repository stores a big one). */
function captureBytes(path: string): Uint8Array {
  const raw = readFileSync(path);
  return new Uint8Array(path.endsWith('.gz') ? gunzipSync(raw) : raw);
}

/** The seeds for one format (empty when the format has none: the suite's coverage test fails then). */
export function seedsFor(format: string): Seed[] {
  const files = (FIXTURE_PATHS[format] ?? []).flatMap((p) => filesUnder(join(FIXTURES, p))).filter((f) => !NOT_A_CAPTURE.test(f));
  const seeds = files.map((f) => ({ name: relative(FIXTURES, f), bytes: captureBytes(f) }));
  for (const [what, text] of Object.entries(INLINE[format] ?? {})) seeds.push({ name: `inline:${format}/${what}`, bytes: new TextEncoder().encode(text) });
  return seeds;
}
