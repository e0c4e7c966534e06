import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../model/event.ts';
import { tempDir } from '../testing/temp.ts';
import { KB_DIR, loadKnowledgeBase } from './kb.ts';
import { guidanceForEvent } from './lookup.ts';

function ev(partial: Partial<StoredEvent>): StoredEvent {
  return {
    event_id: 1, capture_id: 1, ts_us: 0, ts_raw_us: 0, dur_us: null, host: 'h', pid: 10, tid: null, ppid: null, process: null,
    kind: 'api', op: 'read', category: 'file', target: null, args: null, ret: null, error: null, source_line: 1, fields: null, ...partial,
  };
}

describe('knowledge base', () => {
  const kb = loadKnowledgeBase();
  const count = (kind: string): number => kb.entries.filter((e) => e.source_kind === kind).length;

  it('holds at least 150 validated entries across the required families', () => {
    expect(kb.entries.length).toBeGreaterThanOrEqual(150);
    expect(count('syscall')).toBeGreaterThanOrEqual(60);
    expect(count('api')).toBeGreaterThanOrEqual(40);
    expect(count('procmon')).toBeGreaterThan(0);
    expect(count('sysmon')).toBeGreaterThan(0);
    expect(count('ics')).toBeGreaterThan(0);
    for (const op of ['execve', 'ptrace', 'process_vm_writev', 'memfd_create', 'finit_module', 'bpf', 'keyctl', 'pivot_root', 'utimensat', 'CreateRemoteThread', 'MiniDumpWriteDump', 'LsaRetrievePrivateData', 'modbus.write_single_register', 's7.plc_stop', 'dnp3.cold_restart', 'ProcessAccess']) {
      expect(kb.byOp.has(op.toLowerCase()), op).toBe(true);
    }
  });

  it('cites a public source for every entry and only well-formed ATT&CK ids', () => {
    for (const e of kb.entries) {
      expect(e.references.some((r) => /man7\.org|learn\.microsoft\.com|attack\.mitre\.org|modbus\.org|dnp\.org|wireshark\.org/.test(r)), e.id).toBe(true);
      for (const t of e.attack_enterprise) expect(t, e.id).toMatch(/^T1\d{3}(\.\d{3})?$/);
      for (const t of e.attack_ics) expect(t, e.id).toMatch(/^T0\d{3}$/);
    }
  });

  it('refuses a malformed file with the file and entry named', () => {
    const dir = tempDir();
    mkdirSync(dir.file('kb'));
    writeFileSync(dir.file('kb/bad.yaml'), 'entries:\n  - id: x.y\n    ops: [a]\n    platform: mac\n');
    expect(() => loadKnowledgeBase(dir.file('kb'))).toThrow(/bad\.yaml: entry 1 \(x\.y\): platform/);
    dir.remove();
    expect(KB_DIR).toMatch(/guidance[/\\]kb$/);
  });
});

describe('guidanceForEvent', () => {
  it('explains an /etc/shadow open with the openat entry and a credential-store remark', () => {
    const g = guidanceForEvent(ev({ op: 'openat', target: '/etc/shadow', args: 'AT_FDCWD, "/etc/shadow", O_RDONLY' }));
    expect(g.entry?.id).toBe('linux.openat');
    expect(g.remarks.join(' ')).toMatch(/password-hash store/);
  });
  it('reports a failed PTRACE_ATTACH with the target pid', () => {
    const g = guidanceForEvent(ev({ op: 'ptrace', args: 'PTRACE_ATTACH, 1202', ret: '-1', error: 'EPERM' }));
    expect(g.entry?.attack_enterprise).toContain('T1055.008');
    expect(g.remarks.join(' ')).toMatch(/PTRACE_ATTACH to another process \(pid 1202\); it failed with EPERM/);
  });
  it('separates reading /etc/ld.so.preload (normal) from writing it', () => {
    expect(guidanceForEvent(ev({ op: 'access', target: '/etc/ld.so.preload', args: '"/etc/ld.so.preload", R_OK' })).remarks.join(' ')).toMatch(/normal dynamic-loader/);
    expect(guidanceForEvent(ev({ op: 'openat', target: '/etc/ld.so.preload', args: 'AT_FDCWD, "/etc/ld.so.preload", O_WRONLY|O_CREAT|O_TRUNC, 0666' })).remarks.join(' ')).toMatch(/every program started afterwards/);
  });
  it('remarks on web requests whose decoded URL carries injection or traversal, and on refused requests', () => {
    for (const target of ['/cgi-bin/diag?host=127.0.0.1;id', '/ping?ip=$(id)', '/static/../../etc/passwd', '/search?q=<script>alert(1)</script>', '/p?x=1\\ncat']) {
      expect(guidanceForEvent(ev({ kind: 'network', category: 'network', op: 'http.get', target })).remarks.join(' ')).toMatch(/command-injection, traversal or XSS/);
    }
    expect(guidanceForEvent(ev({ kind: 'network', category: 'network', op: 'http.get', target: '/scada/overview.aspx?tag=PUMP1' })).remarks).toEqual([]);
    expect(guidanceForEvent(ev({ kind: 'network', category: 'network', op: 'http.get', target: '/x', ret: '404', error: '404' })).remarks).toEqual(['the server refused or failed the request (HTTP 404)']);
  });

  it('remarks on LD_PRELOAD, controller writes and ICS ports', () => {
    expect(guidanceForEvent(ev({ op: 'execve', target: '/bin/sh', args: '"/bin/sh", ["sh", "-c", "LD_PRELOAD=/tmp/l.so ls"]' })).remarks.join(' ')).toMatch(/LD_PRELOAD/);
    const w = guidanceForEvent(ev({ kind: 'ics', category: 'ics', op: 'modbus.write_single_register', fields: { ics_write: true, ics_unit: 1, ics_address: 1 } }));
    expect(w.entry?.attack_ics).toContain('T0855');
    expect(w.remarks.join(' ')).toMatch(/write to a controller \(modbus\.write_single_register, unit 1, address 1\)/);
    expect(guidanceForEvent(ev({ op: 'connect', target: '10.0.0.5:502' })).remarks.join(' ')).toMatch(/Modbus\/TCP/);
  });
  it('picks the platform entry for a shared name and gives benign calls guidance without alarm', () => {
    expect(guidanceForEvent(ev({ op: 'connect', target: '10.0.0.5:443' })).entry?.platform).toBe('linux');
    expect(guidanceForEvent(ev({ op: 'connect', target: '10.0.0.5:443', process: 'scada.exe' })).entry?.platform).toBe('windows');
    const benign = guidanceForEvent(ev({ op: 'newfstatat', target: '/opt/app/app.conf' }));
    expect(benign.entry?.benign.length).toBeGreaterThan(0);
    expect(benign.remarks).toEqual([]);
    expect(guidanceForEvent(ev({ op: 'no_such_call' })).entry).toBeNull();
  });
});
