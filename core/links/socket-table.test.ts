// The fd table replay: -y (inode only) captures need socket + connect + getsockname; dup'd fds
// and accepted sockets keep their connection; calls on other fds are not attached.
import { describe, expect, it } from 'vitest';
import { hostConnections, type HostCallRow } from './socket-table.ts';

let nextId = 1;
function call(ts: number, pid: number, op: string, args: string | null, ret: string | null, extra: Partial<HostCallRow> = {}): HostCallRow {
  return { event_id: nextId++, capture_id: 1, ts_us: ts, dur_us: 100, pid, kind: 'api', op, target: null, args, ret, error: null, fields: null, ...extra };
}

describe('host connections from an fd table', () => {
  it('follows a -y socket through connect, getsockname, dup and close', () => {
    const rows = [
      call(1, 10, 'socket', 'AF_INET, SOCK_STREAM, IPPROTO_TCP', '7', { target: 'socket:[900]' }),
      call(2, 10, 'connect', '7<socket:[900]>, {sa_family=AF_INET, sin_port=htons(502), sin_addr=inet_addr("10.0.0.5")}, 16', '-1', { error: 'EINPROGRESS' }),
      call(3, 10, 'getsockname', '7<socket:[900]>, {sa_family=AF_INET, sin_port=htons(40200), sin_addr=inet_addr("10.0.0.2")}, [16]', '0'),
      call(4, 10, 'dup', '7<socket:[900]>', '9', { target: 'socket:[900]' }),
      call(5, 11, 'write', '9<socket:[900]>, "x", 1', '1'), // another thread, the dup'd fd
      call(6, 10, 'write', '3</var/log/x>, "y", 1', '1'),
      call(7, 10, 'close', '7<socket:[900]>', '0'),
      call(8, 10, 'socket', 'AF_UNIX, SOCK_STREAM, 0', '7'),
      call(9, 10, 'write', '7, "z", 1', '1'), // fd 7 is now a unix socket: not the TCP connection
    ];
    const [c, ...rest] = hostConnections(rows);
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ anchor_event_id: rows[1]?.event_id, role: 'client', transport: 'tcp', local: { ip: '10.0.0.2', port: 40200 }, remote: { ip: '10.0.0.5', port: 502 }, source: 'fd table' });
    expect(c?.calls).toEqual([rows[2], rows[3], rows[4], rows[6]].map((r) => r?.event_id));
  });

  it('opens a server connection per accept, with the listener\'s local end', () => {
    const rows = [
      call(1, 20, 'socket', 'AF_INET, SOCK_STREAM, IPPROTO_IP', '6', { target: 'socket:[1]' }),
      call(2, 20, 'bind', '6<socket:[1]>, {sa_family=AF_INET, sin_port=htons(20222), sin_addr=inet_addr("127.0.0.1")}, 16', '0'),
      call(3, 21, 'accept4', '6<socket:[1]>, {sa_family=AF_INET, sin_port=htons(59278), sin_addr=inet_addr("127.0.0.1")}, [16], SOCK_CLOEXEC', '8', { target: 'socket:[2]' }),
      call(4, 21, 'recvfrom', '8<socket:[2]>, "STATUS", 64, 0, NULL, NULL', '6'),
    ];
    const [c] = hostConnections(rows);
    expect(c).toMatchObject({ role: 'server', local: { ip: '127.0.0.1', port: 20222 }, remote: { ip: '127.0.0.1', port: 59278 }, calls: [rows[3]?.event_id] });
  });

  it('takes a Windows network record as one connection and skips failed sockets', () => {
    const record = call(5, 30, 'NetworkConnect', null, null, { kind: 'network', fields: { SourceIp: '10.0.0.2', SourcePort: '50000', DestinationIp: '10.0.0.5', DestinationPort: '502', Protocol: 'tcp' } });
    const failed = call(6, 30, 'socket', 'AF_INET, SOCK_STREAM, 0', '-1', { error: 'EMFILE' });
    const conns = hostConnections([record, failed]);
    expect(conns).toHaveLength(1);
    expect(conns[0]).toMatchObject({ anchor_event_id: record.event_id, source: 'record fields', role: null, remote: { ip: '10.0.0.5', port: 502 } });
  });
});
