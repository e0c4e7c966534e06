// Canonical events from audit records: one event per syscall group (SYSCALL + its EXECVE,
// PATH, CWD, PROCTITLE, SOCKADDR… records, same serial), one per stand-alone record
// (USER_LOGIN, SERVICE_START, AVC, …).
import type { CanonicalEvent, Category, EventKind } from '../model/event.ts';
import type { ImportContext } from './types.ts';
import type { AuditRecord } from './auditd-record.ts';
import { ARCH_NAMES, errnoName, syscallName } from './auditd-syscalls.ts';
import { baseName } from './log-fields.ts';

const MAX_TEXT = 4000;
type Fields = Record<string, string | number | boolean | null>;

const SYSCALL_FAMILIES: [Category, RegExp][] = [
  ['process', /^(execve|execveat|fork|vfork|clone3?|exit|exit_group|wait4|waitid|waitpid|ptrace|prctl|setsid|setpgid|unshare|setns|pidfd_\w+|process_madvise|seccomp|arch_prctl|personality)$/],
  ['signal', /^(kill|tkill|tgkill|rt_sig\w+|sigaction|sigprocmask|signal|sigaltstack|pidfd_send_signal)$/],
  ['credential', /^(set(re|res|fs)?[ug]id(32)?|setgroups(32)?|capset)$/],
  ['network', /^(socket|socketpair|connect|accept4?|bind|listen|sendto|recvfrom|sendm?msg|recvm?msg|shutdown|getsockname|getpeername|[gs]etsockopt|socketcall)$/],
  ['memory', /^(mmap2?|munmap|mprotect|mremap|brk|madvise|mlock\w*|munlock\w*|process_vm_(readv|writev)|memfd_create|pkey_mprotect)$/],
  ['module', /^(init_module|finit_module|delete_module|create_module)$/],
  ['time', /^(settimeofday|clock_settime(64)?|adjtimex|clock_adjtime(64)?|stime)$/],
  ['ipc', /^(pipe2?|shm\w+|msg(get|snd|rcv|ctl)|sem\w+|mq_\w+|eventfd2?|ipc)$/],
  ['system', /^(mount|umount2?|reboot|sethostname|setdomainname|swapo(n|ff)|chroot|pivot_root|kexec_\w+|bpf|perf_event_open|iopl|ioperm|syslog|quotactl|acct|fanotify_\w+|inotify_\w+|open_tree|move_mount|fsopen|fsmount|fsconfig)$/],
  ['file', /^(open|openat2?|creat|read|pread64|readv|write|pwrite64|writev|close|unlink(at)?|rename(at2?)?|mkdir(at)?|rmdir|f?chmod(at2?)?|[fl]?chown(at|32)?|link(at)?|symlink(at)?|f?truncate(64)?|(new)?f?stat(at|x|64|fs|fs64)?|lstat(64)?|access|faccessat2?|readlink(at)?|getdents(64)?|[lf]?(set|get|list|remove)xattr|utimes?|utimensat|futimesat|mknod(at)?|f?chdir|f?sync|fdatasync|sendfile(64)?|copy_file_range|splice|name_to_handle_at|open_by_handle_at|ioctl|fcntl(64)?|dup[23]?|lseek|_llseek)$/],
];

export function syscallCategory(name: string): Category {
  for (const [category, re] of SYSCALL_FAMILIES) if (re.test(name)) return category;
  return 'other';
}

/** auditd SOCKADDR saddr (hex of struct sockaddr) → "127.0.0.1:502", "[::1]:22", "/run/x.sock". */
export function decodeSockaddr(hex: string): string | null {
  if (!/^(?:[0-9A-Fa-f]{2}){2,}$/.test(hex)) return null;
  const b = Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
  const family = (b[0] ?? 0) | ((b[1] ?? 0) << 8);
  const port = ((b[2] ?? 0) << 8) | (b[3] ?? 0);
  if (family === 2 && b.length >= 8) return `${b[4]}.${b[5]}.${b[6]}.${b[7]}:${port}`;
  if (family === 10 && b.length >= 24) {
    const groups: string[] = [];
    for (let i = 8; i < 24; i += 2) groups.push((((b[i] ?? 0) << 8) | (b[i + 1] ?? 0)).toString(16));
    let ip = groups.join(':');
    try {
      ip = new URL(`http://[${ip}]/`).hostname.replace(/^\[|\]$/g, ''); // canonical short form
    } catch {
      // keep the long form
    }
    return `[${ip}]:${port}`;
  }
  if (family === 1) {
    const rest = b.subarray(2);
    const abstract = rest[0] === 0;
    const body = abstract ? rest.subarray(1) : rest;
    const end = body.indexOf(0);
    const path = new TextDecoder().decode(end >= 0 ? body.subarray(0, end) : body);
    return abstract ? `@${path}` : path || null;
  }
  if (family === 16) return 'netlink';
  if (family === 0) return 'unspec';
  return `family ${family}`;
}

const INT_FIELDS = new Set(['pid', 'ppid', 'uid', 'auid', 'euid', 'suid', 'fsuid', 'gid', 'egid', 'sgid', 'fsgid', 'ses']);

function copyFields(into: Fields, from: Map<string, string>, prefix = ''): void {
  for (const [k, v] of from) {
    const key = `${prefix}${k}`;
    if (key in into) continue;
    into[key] = INT_FIELDS.has(k) && /^\d{1,10}$/.test(v) ? Number(v) : v.slice(0, MAX_TEXT);
  }
}

function int(v: string | undefined): number | null {
  return v !== undefined && /^\d{1,10}$/.test(v) ? Number(v) : null;
}

/** EXECVE a0 a1 … (long arguments split as a2[0] a2[1] …) → one command line. */
function argvOf(rec: AuditRecord): string {
  const argc = Number(rec.fields.get('argc') ?? 0);
  const parts: string[] = [];
  for (let i = 0; i < Math.max(argc, 1) && i < 4096; i++) {
    let arg = rec.fields.get(`a${i}`);
    if (arg === undefined) {
      const chunks: string[] = [];
      for (let j = 0; rec.fields.has(`a${i}[${j}]`); j++) chunks.push(rec.fields.get(`a${i}[${j}]`) ?? '');
      if (chunks.length === 0) break;
      arg = chunks.join('');
    }
    parts.push(/[\s"]/.test(arg) || arg === '' ? JSON.stringify(arg) : arg);
  }
  return parts.join(' ');
}

/** Most text the per-record list of one event keeps (a huge EXECVE is cut, not the event). */
const MAX_RECORDS_TEXT = 16_000;

/**
 * Every record of the event with its own fields, as a JSON list kept in fields.audit_records, so
 * a rule can ask for `type: EXECVE` and `a0: wget` within ONE record (Sigma's auditd logsource;
 * core/triage/sigma/taxonomy/auditd.ts) while the merged event stays what the timeline shows.
 * EXECVE arguments split by auditd (a2[0], a2[1] …) are joined back into a2; a SYSCALL record also
 * carries SYSCALL = the syscall's name (auditd writes its number).
 */
export function auditRecordsJson(records: readonly AuditRecord[]): string {
  const list = records.map((r) => {
    const rec: Record<string, string> = { type: r.type };
    for (const [k, v] of [...r.fields, ...(r.inner ?? [])]) {
      const split = /^(a\d+)\[(\d+)\]$/.exec(k);
      if (split?.[1] !== undefined) rec[split[1]] = (rec[split[1]] ?? '') + v;
      else if (!(k in rec)) rec[k] = v.slice(0, MAX_TEXT);
    }
    if (r.type === 'SYSCALL' && rec['syscall'] !== undefined) rec['SYSCALL'] = syscallName(rec['arch'] ?? null, rec['syscall']);
    return rec;
  });
  let text = JSON.stringify(list);
  while (text.length > MAX_RECORDS_TEXT && list.length > 1) {
    list.pop(); // trailing records (extra PATHs, PROCTITLE) go first; the SYSCALL/EXECVE lead stays
    text = JSON.stringify(list);
  }
  return text.length > MAX_RECORDS_TEXT ? JSON.stringify([{ type: records[0]?.type ?? '' }]) : text;
}

/** The PATH record that names what the call acted on: item 0 for exec, else the first non-PARENT one. */
function mainPath(paths: AuditRecord[], op: string): string | null {
  if (paths.length === 0) return null;
  const byItem = [...paths].sort((a, b) => Number(a.fields.get('item') ?? 0) - Number(b.fields.get('item') ?? 0));
  const pick = op.startsWith('execve') ? byItem[0] : (byItem.find((p) => (p.fields.get('nametype') ?? p.fields.get('objtype')) !== 'PARENT') ?? byItem[0]);
  const name = pick?.fields.get('name');
  return name === undefined || name === '(null)' ? null : name;
}

/** One event for the records of one serial. Without a SYSCALL record (lost records) it is marked incomplete. */
export function buildGroupEvent(records: AuditRecord[], sourceLine: number, ctx: ImportContext): CanonicalEvent {
  const first = records[0];
  if (first === undefined) throw new Error('empty audit group');
  const of = (type: string): AuditRecord[] => records.filter((r) => r.type === type);
  const syscall = of('SYSCALL')[0];
  const execve = of('EXECVE')[0];
  const cwd = of('CWD')[0]?.fields.get('cwd');
  const proctitle = of('PROCTITLE')[0]?.fields.get('proctitle');
  const sockRaw = of('SOCKADDR')[0]?.fields.get('saddr');
  const sockaddr = sockRaw !== undefined ? (decodeSockaddr(sockRaw) ?? sockRaw) : null;
  const fields: Fields = { serial: first.serial, records: records.map((r) => r.type).join(','), audit_records: auditRecordsJson(records) };
  if (cwd !== undefined) fields['cwd'] = cwd;
  if (proctitle !== undefined) fields['proctitle'] = proctitle.slice(0, MAX_TEXT);
  if (sockaddr !== null) fields['sockaddr'] = sockaddr;
  const argv = execve ? argvOf(execve) : null;

  if (syscall === undefined) {
    fields['incomplete'] = true; // the SYSCALL record of this serial never arrived
    const lead = first.type.toLowerCase();
    const isExec = execve !== undefined || first.type === 'PROCTITLE';
    const kind: EventKind = isExec ? 'process' : first.type === 'SOCKADDR' ? 'network' : first.type === 'PATH' || first.type === 'CWD' ? 'file' : 'log';
    const category: Category = isExec ? 'process' : kind === 'network' ? 'network' : kind === 'file' ? 'file' : 'system';
    for (const r of records) copyFields(fields, r.fields);
    const command = argv ?? proctitle ?? null;
    return {
      ts_us: first.tsUs,
      host: first.node ?? ctx.host,
      kind,
      category,
      op: execve ? 'execve' : lead,
      process: command ? baseName(command.split(' ')[0] ?? '') || null : null,
      target: mainPath(of('PATH'), 'execve') ?? sockaddr ?? cwd ?? null,
      args: (command ?? first.text).slice(0, MAX_TEXT),
      source_line: sourceLine,
      fields,
    };
  }

  const f = syscall.fields;
  const arch = f.get('arch') ?? null;
  const op = syscallName(arch, f.get('syscall') ?? '?');
  if (arch !== null) fields['arch'] = ARCH_NAMES[arch.toLowerCase()] ?? arch;
  copyFields(fields, f);
  const exit = f.get('exit') ?? null;
  const failed = f.get('success') === 'no';
  // ausearch -i writes "exit=EACCES(Permission denied)"; raw logs write "exit=-13".
  const error = failed && exit !== null ? (errnoName(exit) ?? /^([A-Z][A-Z0-9]+)\(/.exec(exit)?.[1] ?? 'failed') : null;
  const exe = f.get('exe');
  const comm = f.get('comm');
  const a = ['a0', 'a1', 'a2', 'a3'].map((k) => (f.has(k) ? `${k}=${f.get(k)}` : null)).filter(Boolean);
  return {
    ts_us: syscall.tsUs,
    host: syscall.node ?? ctx.host,
    pid: int(f.get('pid')),
    ppid: int(f.get('ppid')),
    process: comm ?? (exe !== undefined ? baseName(exe) : null),
    kind: 'api',
    category: syscallCategory(op),
    op,
    // A socket call is about the peer address; its PATH record (a unix socket file) is the fallback.
    target: syscallCategory(op) === 'network' ? (sockaddr ?? mainPath(of('PATH'), op)) : (mainPath(of('PATH'), op) ?? sockaddr),
    args: (argv ?? a.join(' ')).slice(0, MAX_TEXT) || null,
    ret: exit,
    error,
    source_line: sourceLine,
    fields,
  };
}

const AUTH_TYPES = /^(USER_(AUTH|ACCT|LOGIN|LOGOUT|START|END|ERR|CHAUTHTOK|MGMT|ROLE_CHANGE)|CRED_\w+|GRP_\w+|ACCT_\w+|ROLE_\w+|(ADD|DEL)_(USER|GROUP)|LOGIN|CHUSER_ID|CHGRP_ID|CRYPTO_KEY_USER|CRYPTO_SESSION|ANOM_LOGIN_\w+)$/;
const PROCESS_TYPES = /^(USER_CMD|SERVICE_START|SERVICE_STOP|ANOM_ABEND|ANOM_EXEC|ANOM_LINK|SECCOMP|ANOM_CREAT|EXECVE)$/;

export function standaloneKind(type: string): { kind: EventKind; category: Category } {
  if (AUTH_TYPES.test(type)) return { kind: 'auth', category: type.startsWith('CRED_') ? 'credential' : 'auth' };
  if (PROCESS_TYPES.test(type)) return { kind: 'process', category: 'process' };
  if (type === 'ANOM_PROMISCUOUS' || type === 'NETFILTER_CFG') return { kind: 'log', category: 'network' };
  if (type === 'TTY' || type === 'USER_TTY') return { kind: 'log', category: 'log' };
  return { kind: 'log', category: 'system' };
}

/** One event for a record that stands alone (user-space messages, daemon records, AVC …). */
export function buildStandaloneEvent(rec: AuditRecord, sourceLine: number, ctx: ImportContext): CanonicalEvent {
  const inner = rec.inner ?? new Map<string, string>();
  const get = (k: string): string | undefined => inner.get(k) ?? rec.fields.get(k);
  const fields: Fields = { serial: rec.serial, audit_records: auditRecordsJson([rec]) };
  copyFields(fields, rec.fields);
  copyFields(fields, inner);
  const avc = /avc:\s+(\w+)\s+\{\s*([^}]*?)\s*\}/.exec(rec.text);
  if (avc) {
    fields['avc_result'] = avc[1] ?? null;
    fields['avc_permissions'] = avc[2] ?? null;
  }
  const res = get('res') ?? get('result') ?? null;
  const failed = res !== null && /^(failed|no|0)$/i.test(res);
  const exe = get('exe');
  const comm = get('comm');
  const acct = get('acct');
  const { kind, category } = standaloneKind(rec.type);
  let args = rec.text;
  if (rec.type === 'USER_CMD' && get('cmd') !== undefined) args = get('cmd') ?? args;
  else if ((rec.type === 'TTY' || rec.type === 'USER_TTY') && get('data') !== undefined) args = get('data') ?? args;
  const target = kind === 'auth' ? (acct ?? get('id') ?? null) : (get('unit') ?? get('name') ?? get('path') ?? exe ?? null);
  return {
    ts_us: rec.tsUs,
    host: rec.node ?? ctx.host,
    pid: int(get('pid')),
    ppid: int(get('ppid')),
    process: comm ?? (exe !== undefined && exe !== '?' ? baseName(exe) : null),
    kind,
    category,
    op: rec.type,
    target: target === '?' ? null : target,
    args: args.slice(0, MAX_TEXT) || null,
    ret: res,
    error: failed ? 'failed' : null,
    source_line: sourceLine,
    fields,
  };
}
