// The process tree from two views of one container: a tracer inside it (namespace pids, as
// strace -f prints them) and kernel process events outside it (host pids, each record carrying
// the namespace pid too). Rows are written the way the importers store them.
import { describe, expect, it } from 'vitest';
import { buildProcessTree, hostResolver, type PidSpan } from './build-tree.ts';
import { argvOfExecArgs, type LifecycleRow } from './lifecycle.ts';

const S = 1_000_000;
const T0 = 1_800_000_000 * S;
let nextId = 1;

function row(capture: number, atS: number, kind: string, op: string, pid: number, extra: Partial<LifecycleRow> = {}): LifecycleRow {
  return { event_id: nextId++, capture_id: capture, ts_us: T0 + atS * S, kind, op, pid, ppid: null, process: null, target: null, args: null, ret: null, error: null, fields: null, ...extra };
}

function span(capture: number, pid: number, fromS: number, toS: number, api: boolean, process: string | null = null): PidSpan {
  return { capture_id: capture, host: null, pid, first_us: T0 + fromS * S, last_us: T0 + toS * S, events: 10, process, ppid: null, api };
}

const STRACE = 1;
const KERNEL = 2;

// Inside the container: the HMI (1202) clones a thread (1203), vforks a shell (1205) that runs id (1206).
const straceRows: LifecycleRow[] = [
  row(STRACE, 0, 'api', 'execve', 1202, { target: '/usr/bin/python3', args: '"/usr/bin/python3", ["/usr/bin/python3", "/opt/hmi/bin/hmi.py"], 0x7ff /* 7 vars */', ret: '0' }),
  row(STRACE, 1, 'api', 'clone3', 1202, { args: '{flags=CLONE_VM|CLONE_THREAD, …}', ret: '1203' }),
  row(STRACE, 5, 'api', 'vfork', 1202, { ret: '1205' }),
  row(STRACE, 5.1, 'api', 'execve', 1205, { ppid: 1202, target: '/bin/sh', args: '"/bin/sh", ["/bin/sh", "-c", "id; cat \\"/etc/shadow\\""], 0x1 /* 7 vars */', ret: '0' }),
  row(STRACE, 5.2, 'api', 'vfork', 1205, { ret: '1206' }),
  row(STRACE, 5.3, 'api', 'execve', 1206, { ppid: 1205, target: '/usr/bin/id', args: '"/usr/bin/id", ["id"], 0x2 /* 8 vars */', ret: '0' }),
  row(STRACE, 5.4, 'api', 'exit_group', 1206, { args: '0', ret: '?' }),
  row(STRACE, 5.5, 'process', 'exit', 1206, { ret: '0' }),
  row(STRACE, 6, 'api', 'exit_group', 1205, { args: '3', ret: '?' }),
  row(STRACE, 6.1, 'process', 'exit', 1205, { ret: '3' }),
];
// Outside: the same processes under host pids 16622/16659/16660, and the tracer (16613, ns pid 1).
const kernelRows: LifecycleRow[] = [
  row(KERNEL, -1, 'process', 'fork', 16613, { ppid: 16612, fields: { ns_pid: 1 } }),
  row(KERNEL, -0.1, 'process', 'fork', 16622, { ppid: 16613, fields: { ns_pid: 1202, parent_ns_pid: 1 } }),
  row(KERNEL, 0, 'process', 'exec', 16622, { target: '/usr/bin/python3.11', fields: { ns_pid: 1202, cmdline: ['/usr/bin/python3', '/opt/hmi/bin/hmi.py'], exe: '/usr/bin/python3.11', uid: 0 } }),
  // A thread: the importer put the thread group id in the pid column, the thread's own id in fields.
  row(KERNEL, 1, 'process', 'fork', 16622, { ppid: 16613, fields: { pid: 16623, tgid: 16622, thread: true, ns_pid: 1203 } }),
  row(KERNEL, 5, 'process', 'fork', 16659, { ppid: 16622, fields: { ns_pid: 1205, parent_ns_pid: 1202 } }),
  row(KERNEL, 5.1, 'process', 'exec', 16659, { target: '/usr/bin/dash', fields: { ns_pid: 1205, cmdline: ['/bin/sh', '-c', 'id'], exe: '/usr/bin/dash', uid: 0 } }),
  row(KERNEL, 5.2, 'process', 'fork', 16660, { ppid: 16659, fields: { ns_pid: 1206 } }),
  row(KERNEL, 5.5, 'process', 'exit', 16660, { fields: { exit_code: 0, ns_pid: 1206 } }),
  row(KERNEL, 6.1, 'process', 'exit', 16659, { fields: { exit_code: 3, ns_pid: 1205 } }),
];
const spans: PidSpan[] = [
  span(STRACE, 1202, 0, 20, true, 'python3'),
  span(STRACE, 1203, 1, 19, true, 'python3'),
  span(STRACE, 1205, 5, 6.1, true, 'sh'),
  span(STRACE, 1206, 5.2, 5.5, true, 'id'),
  span(KERNEL, 16613, -1, 21, false),
  span(KERNEL, 16622, -0.1, 20, false, 'python3'),
  span(KERNEL, 16659, 5, 6.1, false, 'dash'),
  span(KERNEL, 16660, 5.2, 5.5, false),
];
const hosts = new Map<number, string | null>([
  [STRACE, null],
  [KERNEL, null],
  [3, 'hmi-ws01'],
]);

describe('process tree', () => {
  const nodes = buildProcessTree(spans, [...kernelRows, ...straceRows], hosts);
  const byPid = (pid: number) => nodes.find((n) => n.pid === pid);

  it('joins the tracer\'s namespace pids with the kernel\'s host pids, threads included', () => {
    const hmi = byPid(1202);
    expect(hmi).toMatchObject({ host_pid: 16622, ns_pid: 1202, captures: [STRACE, KERNEL], image: '/usr/bin/python3', user: '0' });
    expect(hmi?.members.map((m) => `${m.capture_id}:${m.pid}`).sort()).toEqual(['1:1202', '1:1203', '2:16622', '2:16623']);
    expect(nodes.some((n) => n.pid === 1203 || n.pid === 16623)).toBe(false);
    // /bin/sh in strace, /usr/bin/dash in the kernel's record: one process.
    // The traced exec names it: /bin/sh as the analyst reads it in the trace.
    expect(byPid(1205)).toMatchObject({ host_pid: 16659, captures: [STRACE, KERNEL], exit_code: 3, exited: true, image: '/bin/sh' });
  });

  it('links parents across the join: tracer → HMI → sh → id', () => {
    const tracer = nodes.find((n) => n.pid === 16613);
    const hmi = byPid(1202);
    const sh = byPid(1205);
    const id = byPid(1206);
    expect(hmi?.parent_id).toBe(tracer?.proc_id);
    expect(sh?.parent_id).toBe(hmi?.proc_id);
    expect(id?.parent_id).toBe(sh?.proc_id);
    expect(id).toMatchObject({ image: '/usr/bin/id', command_line: 'id', exit_code: 0 });
  });

  it('reads the command line from strace\'s argv, escapes included', () => {
    expect(argvOfExecArgs('"/bin/sh", ["/bin/sh", "-c", "id; cat \\"/etc/shadow\\""], 0x1 /* 7 vars */')).toBe('/bin/sh -c id; cat "/etc/shadow"');
    expect(argvOfExecArgs('"/x", ["a", "b"...], 0x1')).toBe('a b');
    expect(argvOfExecArgs('no list here')).toBeNull();
  });

  it('keeps processes of different hosts apart and gives host-less captures the case\'s one host', () => {
    expect(hostResolver([null, 'hmi-ws01'])(null)).toBe('hmi-ws01');
    expect(hostResolver([null, 'a', 'b'])(null)).toBe('');
    const twoHosts = buildProcessTree(
      [{ ...span(STRACE, 500, 0, 10, true, 'bash'), host: 'a' }, { ...span(KERNEL, 500, 0, 10, false, 'bash'), host: 'b' }],
      [],
      new Map([
        [STRACE, 'a'],
        [KERNEL, 'b'],
      ]),
    );
    expect(twoHosts).toHaveLength(2);
  });

  it('does not join equal pids that ran different programs or at different times', () => {
    const apart = buildProcessTree([span(STRACE, 700, 0, 1, true, 'curl'), span(KERNEL, 700, 30, 31, false, 'curl'), span(3, 700, 0, 1, true, 'sshd')], [], hosts);
    expect(apart).toHaveLength(3);
  });

  it('cuts a parent loop instead of following it', () => {
    const loop = buildProcessTree(
      [span(STRACE, 10, 0, 5, true), span(STRACE, 11, 0, 5, true)],
      [row(STRACE, 1, 'api', 'fork', 10, { ret: '11' }), row(STRACE, 2, 'api', 'fork', 11, { ret: '10' })],
      hosts,
    );
    const roots = loop.filter((n) => n.parent_id === null);
    expect(roots.length).toBeGreaterThanOrEqual(1);
  });
});
