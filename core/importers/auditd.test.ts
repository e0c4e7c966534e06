import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../testing/corpus.ts';
import { auditdImporter } from './auditd.ts';
import { decodeSockaddr } from './auditd-event.ts';
import { detectFormat, makeDetectSample } from './registry.ts';
import { accounted, runFile, runText } from '../testing/collecting-sink.ts';

const DIR = fixture('auditd');
const auditFiles = ['', 'go-libaudit_auparse', 'go-libaudit_reassembly'].flatMap((sub) =>
  readdirSync(join(DIR, sub))
    .filter((f) => f.endsWith('.log'))
    .map((f) => join(sub, f)),
);
const run = (rel: string) => runFile(auditdImporter, join(DIR, rel));
const bySerial = (r: ReturnType<typeof run>, serial: string) => r.events.find((e) => e.fields?.['serial'] === serial);

describe('auditd on the public samples in fixtures/auditd', () => {
  it('finds all 13 sample files', () => expect(auditFiles).toHaveLength(13));

  it.each(auditFiles)('%s: detected as auditd, every line accounted for, only malformed lines rejected', (rel) => {
    const detection = detectFormat(makeDetectSample(rel, readFileSync(join(DIR, rel))));
    expect(detection.status === 'found' && detection.importer.format).toBe('auditd');
    const r = run(rel);
    expect(accounted(r)).toBe(r.lines.length);
    // The one record without msg=audit(…) in these files is rhel7's "type=UNKNOWN[1329] msg=?".
    const malformed = readFileSync(join(DIR, rel), 'utf8')
      .split('\n')
      .map((l, i) => ({ l, n: i + 1 }))
      .filter(({ l }) => l !== '' && !l.includes('msg=audit('));
    expect(r.rejects.map((x) => x.line)).toEqual(malformed.map((m) => m.n));
  });

  it('OTRF arp sample: 12 records in 2 serials become 2 execve events with argv, path, proctitle', () => {
    const r = run('sh_arp_cache_2020-11-10074812.log');
    expect(r.events).toHaveLength(2);
    expect(r.continuations).toHaveLength(10);
    expect(r.events[0]).toMatchObject({
      ts_us: 1604994496155000,
      op: 'execve',
      kind: 'api',
      category: 'process',
      pid: 1631,
      ppid: 29002,
      process: 'arp',
      target: '/usr/sbin/arp',
      args: 'arp -a',
      ret: '0',
      error: null,
      source_line: 1,
    });
    expect(r.events[0]?.fields).toMatchObject({ proctitle: 'arp -a', cwd: '/home/wardog', uid: 1000, auid: 1000, arch: 'x86_64' });
    expect(r.events[1]).toMatchObject({ pid: 1632, args: 'grep -v ^?', source_line: 7 });
  });

  it('normal and out-of-order reassembly files give the same events; records after their SYSCALL still join it', () => {
    const key = (r: ReturnType<typeof run>) => r.events.map((e) => [e.fields?.['serial'], e.op, e.pid, e.target, e.args, e.error].join('|')).sort();
    const normal = run('go-libaudit_reassembly/normal.log');
    const shuffled = run('go-libaudit_reassembly/out_of_order.log');
    expect(normal.events).toHaveLength(5);
    expect(key(shuffled)).toEqual(key(normal));
    expect(bySerial(normal, '58')).toMatchObject({ op: 'connect', category: 'network', target: '169.254.169.254:80', ret: '-115', error: 'EINPROGRESS' });
    expect(bySerial(normal, '58')?.fields?.['exe']).toBe('/usr/bin/python2.7;58d1ccfb (deleted)'); // hex-decoded
  });

  it('lost messages and 32-bit serial rollover do not merge or drop events', () => {
    expect(run('go-libaudit_reassembly/lost_messages.log').events).toHaveLength(5);
    const roll = run('go-libaudit_reassembly/rollover.log');
    expect(roll.events.map((e) => e.fields?.['serial'])).toEqual(['4294967294', '4294967295', '0', '1', '2']);
  });

  it('test3: interleaved serials get their own PROCTITLE', () => {
    const r = run('go-libaudit_auparse/test3.log');
    expect(bySerial(r, '194433')?.fields?.['proctitle']).toBe('bash');
    expect(bySerial(r, '194435')?.fields?.['proctitle']).toBe('sshd: burn [priv]');
    expect(bySerial(r, '194435')).toMatchObject({ op: 'select', process: 'sshd' }); // x86_64 syscall 23
    expect(bySerial(r, '1865')).toMatchObject({ op: 'execve', kind: 'process', args: 'useradd -u 3005 -m trainer5', fields: { incomplete: true } });
  });

  it('test2: failed open → EACCES with the PATH as target; the AVC is its own event', () => {
    const r = run('go-libaudit_auparse/test2.log');
    const open = r.events.find((e) => e.op === 'open');
    expect(open).toMatchObject({ ret: '-13', error: 'EACCES', target: 'maildrop', pid: 13010, process: 'pickup' });
    expect(r.events.find((e) => e.op === 'AVC')?.fields).toMatchObject({ avc_result: 'denied', avc_permissions: 'read' });
    expect(r.events.find((e) => e.op === 'USER_ACCT')).toMatchObject({ kind: 'auth', ret: 'success' });
  });

  it('user-space records: failed login with hex account, sudo command, service start', () => {
    const login = run('go-libaudit_auparse/audit-ubuntu16.log').events[0];
    expect(login).toMatchObject({ op: 'USER_LOGIN', kind: 'auth', target: '(invalid user)', error: 'failed', process: 'sshd' });
    const rhel7 = run('go-libaudit_auparse/audit-rhel7.log').events;
    expect(rhel7.find((e) => e.op === 'USER_CMD')).toMatchObject({ kind: 'process', args: './metricbeat -c mb.dev.yml' });
    expect(rhel7.find((e) => e.op === 'SERVICE_START')).toMatchObject({ kind: 'process', target: 'auditd' });
    expect(rhel7.find((e) => e.op === 'DAEMON_CONFIG')).toMatchObject({ kind: 'log', ret: 'success' }); // no colon after audit(…)
    const rhel6 = run('go-libaudit_auparse/audit-rhel6.log').events;
    expect(rhel6.find((e) => e.op === 'sendto')?.fields?.['exe']).toBe('/usr/libexec/strongswan/charon (deleted)');
  });
});

describe('auditd edge cases', () => {
  it('node= prefix, ausearch separators, EOE, aux records before their SYSCALL, a garbage line', () => {
    const text = [
      '----',
      'time->Thu Mar 28 14:36:03 2013',
      'node=plc-gw type=PATH msg=audit(1364481363.243:24287): item=0 name="/etc/shadow" inode=1 nametype=NORMAL',
      'node=plc-gw type=SYSCALL msg=audit(1364481363.243:24287): arch=c000003e syscall=2 success=no exit=-13 ppid=1 pid=42 uid=1000 comm="cat" exe="/bin/cat" key="shadow"',
      'node=plc-gw type=PROCTITLE msg=audit(1364481363.243:24287): proctitle=636174002F6574632F736861646F77',
      'node=plc-gw type=EOE msg=audit(1364481363.243:24287): ',
      'this is not an audit record',
    ].join('\n');
    const r = runText(auditdImporter, text);
    expect(r.skips).toEqual([1, 2]);
    expect(r.continuations).toEqual([4, 5, 6]);
    expect(r.rejects).toEqual([{ line: 7, reason: expect.stringMatching(/not an audit record/), raw: 'this is not an audit record' }]);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]).toMatchObject({
      ts_us: 1364481363243000,
      host: 'plc-gw',
      op: 'open',
      pid: 42,
      process: 'cat',
      target: '/etc/shadow',
      error: 'EACCES',
      source_line: 3,
      fields: { proctitle: 'cat /etc/shadow', key: 'shadow' },
    });
  });

  it('ausearch -i interpreted records: local time in ctx.tz and named syscall/errno', () => {
    const r = runText(
      auditdImporter,
      'type=SYSCALL msg=audit(03/28/2013 14:36:03.243:24287) : arch=x86_64 syscall=open success=no exit=EACCES(Permission denied) pid=42 comm=cat\n',
      { tz: '+02:00' },
    );
    expect(r.events[0]).toMatchObject({ ts_us: Date.UTC(2013, 2, 28, 12, 36, 3, 243) * 1000, op: 'open', error: 'EACCES' });
  });

  it('long EXECVE arguments split into a1[0], a1[1] are joined', () => {
    const r = runText(auditdImporter, 'type=EXECVE msg=audit(1.000:9): argc=2 a0="sh" a1_len=6 a1[0]=6162 a1[1]="cdef"\n');
    expect(r.events[0]?.args).toBe('sh abcdef');
  });

  it('keeps each record with its own fields in fields.audit_records (argv in EXECVE, syscall name in SYSCALL)', () => {
    const text = [
      'type=SYSCALL msg=audit(1.000:9): arch=c000003e syscall=59 success=yes exit=0 a0=55d1 a1=55d2 pid=7 comm="sh" exe="/bin/sh" key="exec"',
      'type=EXECVE msg=audit(1.000:9): argc=2 a0="sh" a1_len=6 a1[0]=6162 a1[1]="cdef"',
      'type=PROCTITLE msg=audit(1.000:9): proctitle=7368006162636465',
    ].join('\n');
    const e = runText(auditdImporter, text).events[0];
    const records = JSON.parse(String(e?.fields?.['audit_records'])) as Record<string, string>[];
    expect(records.map((r) => r['type'])).toEqual(['SYSCALL', 'EXECVE', 'PROCTITLE']);
    expect(records[0]).toMatchObject({ a0: '55d1', SYSCALL: 'execve', exe: '/bin/sh', key: 'exec' });
    expect(records[1]).toMatchObject({ a0: 'sh', a1: 'abcdef' });
    expect(records[2]).toMatchObject({ proctitle: 'sh abcde' });
    // The merged event is unchanged: what the timeline shows.
    expect(e).toMatchObject({ op: 'execve', args: 'sh abcdef', process: 'sh' });
  });

  it('decodes socket addresses', () => {
    expect(decodeSockaddr('02000050A9FEA9FE0000000000000000')).toBe('169.254.169.254:80');
    expect(decodeSockaddr('0A000016000000000000000000000000000000000000000100000000')).toBe('[::1]:22');
    expect(decodeSockaddr('01002F746D702F78000000')).toBe('/tmp/x');
  });

  it('detection: auditd ≥ 0.9, not claimed for other text', () => {
    const sample = (text: string) => makeDetectSample('x', new TextEncoder().encode(text));
    expect(auditdImporter.detect(sample('type=SYSCALL msg=audit(1.2:3): a=b\ntype=EOE msg=audit(1.2:3): \n'))).toBeGreaterThanOrEqual(0.9);
    expect(auditdImporter.detect(sample('Nov 26 06:13:22 h sshd[1]: x\n'))).toBe(0);
  });
});
