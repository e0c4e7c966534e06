// category: network_connection — an outbound (or accepted) connection: Sysmon 3, Security 5156
// (Windows Filtering Platform), Procmon TCP/UDP rows, connect() of syscall tracers and auditd,
// and Zeek conn records.
import { sql } from '../../../store/sql.ts';
import { ACTING_IMAGE, col, PROCMON_FORMATS, PROCMON_IMAGE, procmonOps, SECURITY_AUDITING, src, TRACE_FORMATS, WINDOWS_EVENT_FORMATS, windowsEvents, type Binding } from './types.ts';

/** "10.0.0.5:502" / "[fe80::1]:22" → address and port. */
const TARGET_IP = col("nullif(regexp_extract(e.target, '^\\[?([^\\]]*?)\\]?:([0-9]+)$', 1), '')");
const TARGET_PORT = col("nullif(regexp_extract(e.target, '^\\[?([^\\]]*?)\\]?:([0-9]+)$', 2), '')");

const wfp5156: Binding = {
  source: 'Security 5156',
  formats: WINDOWS_EVENT_FORMATS,
  when: windowsEvents(SECURITY_AUDITING, [5156]),
  fields: {
    Image: src('Application'),
    ProcessId: src('ProcessID'),
    DestinationIp: src('DestAddress'),
    DestinationPort: src('DestPort'),
    SourceIp: src('SourceAddress'),
    SourcePort: src('SourcePort'),
    Protocol: src('Protocol'),
    // %%14593 is "Outbound" in the WFP direction message table.
    Initiated: sql`CASE WHEN ${src('Direction')} IN ('%%14593', 'Outbound') THEN 'true' ELSE 'false' END`,
  },
};

const procmonNet: Binding = {
  source: 'Procmon TCP/UDP',
  formats: PROCMON_FORMATS,
  when: procmonOps(['TCP Connect', 'TCP Send', 'TCP Receive', 'TCP Accept', 'UDP Send', 'UDP Receive', 'TCP Reconnect']),
  fields: {
    Image: PROCMON_IMAGE,
    ProcessId: col('e.pid'),
    User: src('user'),
    DestinationIp: src('remote_addr'),
    DestinationPort: src('remote_port'),
    DestinationHostname: src('remote_addr'),
    SourceIp: src('local_addr'),
    SourcePort: src('local_port'),
    Protocol: src('protocol'),
    Initiated: col("CASE WHEN e.op IN ('TCP Connect', 'UDP Send', 'TCP Reconnect') THEN 'true' ELSE 'false' END"),
  },
};

/** connect() to an IP endpoint (unix sockets are IPC, not network connections). */
const traceConnect: Binding = {
  source: 'connect (strace, ltrace, frida-trace, auditd)',
  formats: TRACE_FORMATS,
  when: sql`(e.op IN ('connect', 'sendto', 'sendmsg') AND regexp_matches(e.target, ':[0-9]+$') AND coalesce(e.error, '') NOT IN ('ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH'))`,
  fields: {
    Image: ACTING_IMAGE,
    ProcessId: col('e.pid'),
    DestinationIp: TARGET_IP,
    DestinationPort: TARGET_PORT,
    Initiated: col("'true'"),
    User: src('uid'),
  },
};

export function networkConnection(product: string | undefined): Binding[] {
  if (product === 'windows') return [wfp5156, procmonNet];
  if (product === 'linux') return [traceConnect];
  return [wfp5156, procmonNet, traceConnect];
}
