import { describe, expect, it } from 'vitest';
import { parseFdAnnotation, parseHostPort, parseLeadingFd, parseSockaddr, windowsNetworkEnds } from './endpoints.ts';

describe('endpoints as the sources write them', () => {
  it('reads strace -y and -yy fd annotations', () => {
    expect(parseLeadingFd('7<socket:[58594]>, "\\0\\1", 12, 0, NULL, 0')).toEqual({ fd: 7, inode: '58594', ends: null });
    expect(parseLeadingFd('5<TCP:[127.0.0.1:40100->127.0.0.1:502]>, "x", 1')).toEqual({
      fd: 5,
      inode: null,
      ends: { transport: 'tcp', local: { ip: '127.0.0.1', port: 40100 }, remote: { ip: '127.0.0.1', port: 502 } },
    });
    expect(parseFdAnnotation('TCPv6:[[::1]:40100->[::ffff:10.0.0.5]:502]').ends).toEqual({
      transport: 'tcp', local: { ip: '::1', port: 40100 }, remote: { ip: '10.0.0.5', port: 502 },
    });
    expect(parseFdAnnotation('UDP:[0.0.0.0:5353]').ends).toEqual({ transport: 'udp', local: { ip: '0.0.0.0', port: 5353 }, remote: null });
    expect(parseFdAnnotation('TCP:[70001]')).toEqual({ inode: '70001', ends: { transport: 'tcp', local: null, remote: null } });
    expect(parseLeadingFd('AT_FDCWD</opt>, "x"')).toBeNull();
    expect(parseLeadingFd('3</etc/passwd>, "x"')).toEqual({ fd: 3, inode: null, ends: null });
  });

  it('reads IPv4 and IPv6 socket addresses and host:port text', () => {
    expect(parseSockaddr('7<socket:[1]>, {sa_family=AF_INET, sin_port=htons(502), sin_addr=inet_addr("10.0.0.5")}, 16')).toEqual({ ip: '10.0.0.5', port: 502 });
    expect(parseSockaddr('3, {sa_family=AF_INET6, sin6_port=htons(20000), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "fe80::1", &sin6_addr), sin6_scope_id=0}, 28')).toEqual({ ip: 'fe80::1', port: 20000 });
    expect(parseSockaddr('3, {sa_family=AF_UNIX, sun_path="/run/x"}, 110')).toBeNull();
    expect(parseHostPort('[::1]:102')).toEqual({ ip: '::1', port: 102 });
    expect(parseHostPort('10.1.2.3:70000')).toBeNull();
  });

  it('orients Sysmon 3, Security 5156 and Procmon records from the host', () => {
    expect(windowsNetworkEnds({ SourceIp: '10.0.0.2', SourcePort: '50000', DestinationIp: '10.0.0.5', DestinationPort: '502', Protocol: 'tcp', Initiated: 'true' })).toEqual({
      transport: 'tcp', local: { ip: '10.0.0.2', port: 50000 }, remote: { ip: '10.0.0.5', port: 502 },
    });
    // 5156 inbound (%%14592): the source is the peer.
    expect(windowsNetworkEnds({ SourceAddress: '10.0.0.9', SourcePort: '41000', DestAddress: '10.0.0.5', DestPort: '44818', Protocol: '6', Direction: '%%14592' })).toEqual({
      transport: 'tcp', local: { ip: '10.0.0.5', port: 44818 }, remote: { ip: '10.0.0.9', port: 41000 },
    });
    expect(windowsNetworkEnds({ local_addr: '10.0.0.2', local_port: 50001, remote_addr: '10.0.0.5', remote_port: 102, protocol: 'tcp' })?.remote).toEqual({ ip: '10.0.0.5', port: 102 });
    expect(windowsNetworkEnds({ Image: 'C:\\x.exe' })).toBeNull();
  });
});
