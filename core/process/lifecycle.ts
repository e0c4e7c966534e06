// What one event says about a process's life: a spawn (the child pid and whether it is a thread),
// an exec (image, command line, user), an exit (code), or nothing. Sources differ only in
// spelling: strace/ltrace calls (clone/fork/vfork return the child pid, execve names the image,
// exit_group carries the code), Sysmon 1 / Security 4688 / Procmon "Process Create" rows (pid,
// ppid, image, command line), auditd EXECVE, and kernel process-event logs (fork/exec/exit records
// whose fields may carry the namespace pid the tracer inside a container saw).

/** The columns of an event the tree reads (from event_rows). */
export interface LifecycleRow {
  event_id: number;
  capture_id: number;
  ts_us: number;
  kind: string;
  op: string;
  pid: number | null;
  ppid: number | null;
  process: string | null;
  target: string | null;
  args: string | null;
  ret: string | null;
  error: string | null;
  fields: Record<string, unknown> | null;
}

export type Lifecycle =
  | { type: 'spawn'; parent: number; child: number; thread: boolean; tgid: number | null; nsPid: number | null; parentNsPid: number | null }
  | { type: 'exec'; pid: number; ppid: number | null; image: string | null; commandLine: string | null; user: string | null; nsPid: number | null }
  | { type: 'exit'; pid: number; code: number | null; nsPid: number | null };

/** API calls that create a task; the call's return value is the child's pid. */
export const SPAWN_CALLS = ['clone', 'clone3', 'fork', 'vfork', '__clone', 'posix_spawn', 'posix_spawnp'] as const;
/** API calls that replace a task's image. */
export const EXEC_CALLS = ['execve', 'execveat', 'execv', 'execvp', 'execvpe', 'execl', 'execlp', 'execle'] as const;
/** API calls that end a task with a code. */
export const EXIT_CALLS = ['exit_group', '_exit', 'ExitProcess'] as const;
// (The `exit` system call ends one thread, not the process: strace's `+++ exited +++` line says that.)
/** Process-kind events (logs, Windows, auditd, kernel events) by what they mean. */
const PROCESS_SPAWN_OPS = new Set(['fork', 'clone', 'spawn']);
const PROCESS_EXEC_OPS = new Set(['exec', 'execve', 'EXECVE', 'ProcessCreate', 'Process Create', 'Process Start', 'process_start']);
const PROCESS_EXIT_OPS = new Set(['exit', 'ProcessExit', 'Process Exit', 'process_exit', 'ProcessTerminate']);

const SPAWN_SET = new Set<string>(SPAWN_CALLS);
const EXEC_SET = new Set<string>(EXEC_CALLS);
const EXIT_SET = new Set<string>(EXIT_CALLS);

/** Every op the tree looks at, for the SQL that selects candidate rows. */
export const LIFECYCLE_OPS: readonly string[] = [...SPAWN_CALLS, ...EXEC_CALLS, ...EXIT_CALLS, ...PROCESS_SPAWN_OPS, ...PROCESS_EXEC_OPS, ...PROCESS_EXIT_OPS];

function int(value: unknown): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  return null;
}

function firstInt(text: string | null): number | null {
  const m = text === null ? null : /^\s*(-?\d+)/.exec(text);
  return m?.[1] === undefined ? null : Number(m[1]);
}

function field(fields: Record<string, unknown> | null, ...names: string[]): unknown {
  if (!fields) return undefined;
  for (const n of names) if (fields[n] !== undefined && fields[n] !== null && fields[n] !== '') return fields[n];
  return undefined;
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (Array.isArray(value)) return value.map(String).join(' ');
  if (typeof value === 'number') return String(value);
  return null;
}

/** `"/bin/sh", ["/bin/sh", "-c", "id"], …` (strace's execve) → `/bin/sh -c id`. */
export function argvOfExecArgs(args: string | null): string | null {
  if (!args) return null;
  const open = args.indexOf('[');
  if (open < 0) return null;
  const argv: string[] = [];
  let i = open + 1;
  while (i < args.length) {
    while (args[i] === ' ' || args[i] === ',') i++;
    if (args[i] !== '"') break;
    let s = '';
    for (i++; i < args.length && args[i] !== '"'; i++) {
      if (args[i] === '\\' && i + 1 < args.length) {
        i++;
        const c = args[i];
        s += c === 'n' ? '\n' : c === 't' ? '\t' : c;
      } else s += args[i];
    }
    argv.push(s);
    i++;
    if (args.startsWith('...', i)) i += 3;
  }
  return argv.length > 0 ? argv.join(' ') : null;
}

function userOf(fields: Record<string, unknown> | null): string | null {
  return text(field(fields, 'User', 'user', 'SubjectUserName', 'TargetUserName', 'auid_name', 'uid', 'UID', 'euid'));
}

function nsPidOf(fields: Record<string, unknown> | null): number | null {
  return int(field(fields, 'ns_pid', 'nspid', 'vpid', 'NSpid'));
}

/** What `row` says about a process's life, or null when it says nothing. */
export function lifecycleOf(row: LifecycleRow): Lifecycle | null {
  const { op, pid, fields } = row;
  if (pid === null) return null;
  if (row.kind === 'api') {
    if (SPAWN_SET.has(op)) {
      const child = row.error === null ? firstInt(row.ret) : null;
      if (child === null || child <= 0) return null;
      return { type: 'spawn', parent: pid, child, thread: row.args?.includes('CLONE_THREAD') ?? false, tgid: null, nsPid: null, parentNsPid: null };
    }
    if (EXEC_SET.has(op)) {
      if (row.error !== null) return null;
      return { type: 'exec', pid, ppid: row.ppid, image: row.target, commandLine: argvOfExecArgs(row.args) ?? row.target, user: null, nsPid: null };
    }
    if (EXIT_SET.has(op)) return { type: 'exit', pid, code: firstInt(row.args), nsPid: null };
    return null;
  }
  if (PROCESS_SPAWN_OPS.has(op)) {
    if (field(fields, 'thread') === true) {
      // A new thread of a process: the record's pid column may already be the thread group's id
      // (importers prefer tgid), the thread's own id then being the `pid`/`tid` field.
      const group = int(field(fields, 'tgid')) ?? pid;
      const tid = int(field(fields, 'tid')) ?? int(field(fields, 'pid')) ?? pid;
      if (tid === group) return null;
      return { type: 'spawn', parent: group, child: tid, thread: true, tgid: group, nsPid: nsPidOf(fields), parentNsPid: null };
    }
    const parent = row.ppid ?? int(field(fields, 'parent_pid', 'ppid', 'ParentProcessId'));
    if (parent === null) return null;
    return { type: 'spawn', parent, child: pid, thread: false, tgid: null, nsPid: nsPidOf(fields), parentNsPid: int(field(fields, 'parent_ns_pid')) };
  }
  if (PROCESS_EXEC_OPS.has(op)) {
    const image = text(field(fields, 'Image', 'exe', 'NewProcessName', 'image')) ?? row.target;
    const commandLine = text(field(fields, 'CommandLine', 'cmdline', 'proctitle', 'command_line')) ?? row.args;
    return { type: 'exec', pid, ppid: row.ppid, image, commandLine, user: userOf(fields), nsPid: nsPidOf(fields) };
  }
  if (PROCESS_EXIT_OPS.has(op)) {
    return { type: 'exit', pid, code: int(field(fields, 'exit_code', 'ExitCode', 'Status', 'code')) ?? firstInt(row.ret), nsPid: nsPidOf(fields) };
  }
  return null;
}
