// A refused open of a password store is an attempt worth a finding, in the library view (ltrace:
// -1 or NULL, no errno) as in the system-call view (strace: EACCES/EPERM); a successful open
// scores higher (tb-lnx-shadow-read) and the two never double up on one call. Windows: a refused
// SAM hive copy (Procmon's SHARING VIOLATION / ACCESS DENIED), not the event log's Security key
// nor lsass reading its own SAM.
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../ingest/import-file.ts';
import { CaseStore } from '../store/case-store.ts';
import { tempDir } from '../testing/temp.ts';
import { listFindings, runTriage, type StoredFinding } from './findings.ts';
import { loadRules, SHIPPED_RULES_DIR } from './rules-load.ts';
import { addCapture, call } from './testing/build-case.ts';

const RULES = ['tb-lnx-shadow-read', 'tb-lnx-credential-store-attempt', 'tb-win-secret-apis', 'tb-win-credential-store-attempt'];
const pack = () => loadRules([SHIPPED_RULES_DIR]).filter((r) => RULES.includes(r.id));

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

async function findingsOf(text: string, format: 'strace' | 'ltrace' | 'auditd'): Promise<StoredFinding[]> {
  const store = await CaseStore.open(dir.file('c.duckdb'));
  const path = dir.file(`${format}.txt`);
  writeFileSync(path, `${text.trim()}\n`);
  await importFile(store, path, { format, date: '2026-11-26' });
  await runTriage(store, { rules: pack(), noSequenceDiff: true, noBuiltinChecks: true });
  const found = await listFindings(store);
  store.close();
  return found;
}

const byRule = (found: StoredFinding[]) => found.map((f) => [f.rule, f.pids, f.score] as const).sort();

describe('password store attempts (inline traces)', () => {
  it('strace: a refused open or access is an attempt, a successful open a read scoring higher', async () => {
    const found = await findingsOf(
      `
501   06:20:01.000100 openat(AT_FDCWD</tmp>, "/etc/shadow", O_RDONLY) = -1 EACCES (Permission denied) <0.000047>
501   06:20:01.000300 access("/etc/gshadow", R_OK) = -1 EACCES (Permission denied) <0.000021>
501   06:20:01.000500 open("/etc/security/opasswd", O_RDONLY) = -1 EPERM (Operation not permitted) <0.000019>
501   06:20:01.000700 openat(AT_FDCWD</tmp>, "/etc/passwd", O_RDONLY) = 3</etc/passwd> <0.000030>
501   06:20:01.000900 openat(AT_FDCWD</tmp>, "/etc/ssl/certs/shadow", O_RDONLY) = -1 ENOENT (No such file or directory) <0.000030>
601   06:22:01.000100 openat(AT_FDCWD</opt>, "/etc/shadow", O_RDONLY) = 3</etc/shadow> <0.000047>
601   06:22:01.000200 read(3</etc/shadow>, "root:$6$x:20350:0:99999:7:::\\n", 131072) = 29 <0.000045>
`,
      'strace',
    );
    expect(byRule(found)).toEqual([
      ['tb-lnx-credential-store-attempt', [501], 50],
      ['tb-lnx-shadow-read', [601], 70],
    ]);
    const attempt = found.find((f) => f.rule === 'tb-lnx-credential-store-attempt');
    expect(attempt?.event_ids).toHaveLength(3); // shadow, gshadow, opasswd; not passwd nor the ENOENT look-alike
  });

  it('ltrace: open returning -1 and fopen returning NULL are attempts; a returned FILE* is a read', async () => {
    const found = await findingsOf(
      `
3201 06:17:31.099866 open("/etc/shadow", 0, 037777400000) = -1 <0.000278>
3201 06:17:31.100866 fopen("/etc/gshadow", "r") = 0 <0.000120>
3201 06:17:31.101866 fopen("/etc/shadow", "r") = nil <0.000120>
3202 06:19:31.099866 fopen("/etc/shadow", "r") = 0x55d1e04a12c0 <0.000120>
3202 06:19:31.100866 open("/etc/hosts", 0, 0) = -1 <0.000120>
`,
      'ltrace',
    );
    expect(byRule(found)).toEqual([
      ['tb-lnx-credential-store-attempt', [3201], 50],
      ['tb-lnx-shadow-read', [3202], 70],
    ]);
    expect(found.find((f) => f.rule === 'tb-lnx-credential-store-attempt')?.event_ids).toHaveLength(3);
  });

  it('auditd: a SYSCALL refused with EACCES on /etc/shadow is an attempt, a successful one a read', async () => {
    const found = await findingsOf(
      `
type=SYSCALL msg=audit(1795673700.100:501): arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c a1=7ffd1 a2=0 a3=0 items=1 ppid=700 pid=701 auid=1001 uid=1001 gid=1001 euid=1001 suid=1001 fsuid=1001 egid=1001 sgid=1001 fsgid=1001 tty=pts0 ses=3 comm="cat" exe="/usr/bin/cat" key="shadow"
type=CWD msg=audit(1795673700.100:501): cwd="/tmp"
type=PATH msg=audit(1795673700.100:501): item=0 name="/etc/shadow" inode=1311 dev=08:01 mode=0100640 ouid=0 ogid=42 rdev=00:00 nametype=NORMAL
type=PROCTITLE msg=audit(1795673700.100:501): proctitle=636174002F6574632F736861646F77
type=SYSCALL msg=audit(1795673900.100:502): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7ffd1 a2=0 a3=0 items=1 ppid=800 pid=801 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts1 ses=4 comm="cat" exe="/usr/bin/cat" key="shadow"
type=CWD msg=audit(1795673900.100:502): cwd="/root"
type=PATH msg=audit(1795673900.100:502): item=0 name="/etc/shadow" inode=1311 dev=08:01 mode=0100640 ouid=0 ogid=42 rdev=00:00 nametype=NORMAL
type=PROCTITLE msg=audit(1795673900.100:502): proctitle=636174002F6574632F736861646F77
`,
      'auditd',
    );
    expect(byRule(found)).toEqual([
      ['tb-lnx-credential-store-attempt', [701], 50],
      ['tb-lnx-shadow-read', [801], 70],
    ]);
  });

  it('windows: a refused SAM hive copy is an attempt, a successful hive read a secret access', async () => {
    const store = await CaseStore.open(dir.file('w.duckdb'));
    await addCapture(store, [
      call(0, 700, 'CreateFile', 'C:\\Windows\\System32\\config\\SAM', 'Desired Access: Generic Read', { ret: 'SHARING VIOLATION', error: 'SHARING VIOLATION', process: 'copy.exe', category: 'file' }),
      call(0.1, 700, 'RegOpenKey', 'HKLM\\SAM\\SAM\\Domains', '', { ret: 'ACCESS DENIED', error: 'ACCESS DENIED', process: 'copy.exe', category: 'registry' }),
      call(0.2, 700, 'RegOpenKey', 'HKLM\\SYSTEM\\Setup', '', { ret: 'NAME NOT FOUND', error: 'NAME NOT FOUND', process: 'copy.exe', category: 'registry' }),
      call(200, 800, 'RegSaveKey', 'HKLM\\SAM', '', { ret: 'SUCCESS', process: 'reg.exe', category: 'registry' }),
      // Look-alikes: the event log's "Security" key is no hive; lsass reads its own SAM.
      call(300, 900, 'RegOpenKey', 'HKLM\\System\\CurrentControlSet\\services\\eventlog\\Security', '', { ret: 'SUCCESS', process: 'svchost.exe', category: 'registry' }),
      call(400, 516, 'RegOpenKey', 'HKLM\\SAM\\SAM\\DOMAINS\\Builtin\\Groups', '', { ret: 'NAME NOT FOUND', error: 'NAME NOT FOUND', process: 'lsass.exe', category: 'registry' }),
    ], 'procmon.csv', 'ews-01');
    await runTriage(store, { rules: pack(), noSequenceDiff: true, noBuiltinChecks: true });
    const found = await listFindings(store);
    store.close();
    expect(byRule(found)).toEqual([
      ['tb-win-credential-store-attempt', [700], 45],
      ['tb-win-secret-apis', [800], 50],
    ]);
  });
});
