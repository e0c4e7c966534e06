// Zeek network and security logs → canonical events: conn, dns, http, files, ssl, x509,
// kerberos, ntlm, smb, dce_rpc, pe, weird, notice, analyzer, … and a generic fallback for any
// other log. Every field goes into `fields` (the importer adds them); here we choose kind, op,
// target and a compact, readable args line.
import type { Category, EventKind } from '../model/event.ts';
import type { MappedEvent, ZeekRecord } from './zeek-record.ts';

type Mapper = (r: ZeekRecord) => MappedEvent;

/** "10.0.0.1:502" from a host and a port field (either may be missing). */
export function hostPort(host: string | null, port: string | null): string | null {
  if (host === null) return null;
  const h = host.includes(':') ? `[${host}]` : host; // IPv6 needs brackets before a port
  return port === null ? host : `${h}:${port}`;
}

export function respEndpoint(r: ZeekRecord): string | null {
  return hostPort(r.get('id.resp_h'), r.get('id.resp_p'));
}

export function origEndpoint(r: ZeekRecord): string | null {
  return hostPort(r.get('id.orig_h'), r.get('id.orig_p'));
}

/** "a:1 → b:2" when the record has the connection 4-tuple. */
export function flow(r: ZeekRecord): string | null {
  const o = origEndpoint(r);
  const d = respEndpoint(r);
  return o && d ? `${o} → ${d}` : null;
}

/** Joins "key=value" parts, dropping unset ones. */
export function kv(parts: [string, string | number | null | undefined][]): string {
  return parts
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => (k === '' ? String(v) : `${k}=${String(v)}`))
    .join(' ');
}

function event(kind: EventKind, category: Category, op: string, target: string | null, args: string, extra: Partial<MappedEvent> = {}): MappedEvent {
  return { kind, category, op, target, args: args || null, ...extra };
}

function secondsToUs(seconds: number | null): number | null {
  return seconds === null ? null : Math.round(seconds * 1_000_000);
}

const conn: Mapper = (r) => {
  const state = r.get('conn_state');
  // REJ = connection refused, S0 = no answer: the attempt failed, which analysts filter on.
  const error = state === 'REJ' || state === 'S0' ? state : null;
  return event(
    'network',
    'network',
    'conn',
    respEndpoint(r),
    kv([
      ['', flow(r)],
      ['', r.get('proto')],
      ['service', r.get('service')],
      ['orig_bytes', r.get('orig_bytes')],
      ['resp_bytes', r.get('resp_bytes')],
      ['state', state],
      ['history', r.get('history')],
    ]),
    { dur_us: secondsToUs(r.num('duration')), ret: state, error },
  );
};

const dns: Mapper = (r) => {
  const rcode = r.get('rcode_name');
  return event(
    'network',
    'network',
    'dns',
    r.get('query'),
    kv([
      ['', flow(r)],
      ['qtype', r.get('qtype_name') ?? r.get('qtype')],
      ['rcode', rcode],
      ['answers', r.list('answers').join(',')],
    ]),
    { ret: rcode, error: rcode !== null && rcode !== 'NOERROR' ? rcode : null, dur_us: secondsToUs(r.num('rtt')) },
  );
};

const http: Mapper = (r) => {
  const host = r.get('host') ?? r.get('id.resp_h');
  const uri = r.get('uri');
  const status = r.get('status_code');
  const code = status === null ? null : Number(status);
  return event(
    'network',
    'network',
    'http',
    host || uri ? `${host ?? ''}${uri ?? ''}` : respEndpoint(r),
    kv([
      ['', r.get('method')],
      ['', flow(r)],
      ['status', status === null ? null : `${status} ${r.get('status_msg') ?? ''}`.trim()],
      ['user_agent', r.get('user_agent')],
      ['resp_mime', r.list('resp_mime_types').join(',')],
      ['response_body_len', r.get('response_body_len')],
    ]),
    { ret: status, error: code !== null && code >= 400 ? status : null },
  );
};

const files: Mapper = (r) =>
  event(
    'network',
    'network',
    'files',
    r.get('filename') ?? r.get('fuid'),
    kv([
      ['source', r.get('source')],
      ['mime', r.get('mime_type')],
      ['bytes', r.get('seen_bytes')],
      ['', flow(r) ?? [r.get('tx_hosts'), r.get('rx_hosts')].filter(Boolean).join(' → ')],
      ['sha256', r.get('sha256')],
      ['md5', r.get('md5')],
    ]),
  );

const ssl: Mapper = (r) =>
  event(
    'network',
    'network',
    'ssl',
    r.get('server_name') ?? respEndpoint(r),
    kv([
      ['', flow(r)],
      ['', r.get('version')],
      ['cipher', r.get('cipher')],
      ['established', r.get('established')],
      ['sni', r.get('server_name')],
      ['ja3', r.get('ja3')],
    ]),
    { ret: r.get('established') },
  );

const x509: Mapper = (r) =>
  event(
    'log',
    'network',
    'x509',
    r.get('certificate.subject'),
    kv([
      ['issuer', r.get('certificate.issuer')],
      ['serial', r.get('certificate.serial')],
      ['key', [r.get('certificate.key_alg'), r.get('certificate.key_length')].filter(Boolean).join('/')],
      ['fingerprint', r.get('fingerprint') ?? r.get('id')],
      ['san_dns', r.list('san.dns').join(',')],
    ]),
  );

const kerberos: Mapper = (r) => {
  const success = r.get('success');
  return event(
    'auth',
    'auth',
    'kerberos',
    r.get('service') ?? respEndpoint(r),
    kv([
      ['', r.get('request_type')],
      ['client', r.get('client')],
      ['', flow(r)],
      ['cipher', r.get('cipher')],
      ['error', r.get('error_msg')],
    ]),
    { ret: success, error: r.get('error_msg') ?? (success === 'false' ? 'failed' : null) },
  );
};

const ntlm: Mapper = (r) =>
  event(
    'auth',
    'auth',
    'ntlm',
    r.get('server_dns_computer_name') ?? r.get('server_nb_computer_name') ?? respEndpoint(r),
    kv([
      ['user', [r.get('domainname'), r.get('username')].filter(Boolean).join('\\')],
      ['host', r.get('hostname')],
      ['', flow(r)],
      ['success', r.get('success')],
    ]),
    { ret: r.get('success'), error: r.get('success') === 'false' ? 'failed' : null },
  );

const smbFiles: Mapper = (r) =>
  event(
    'network',
    'network',
    `smb.${(r.get('action') ?? 'file').replace(/^SMB::FILE_/, '').toLowerCase()}`,
    [r.get('path'), r.get('name')].filter(Boolean).join('\\') || respEndpoint(r),
    kv([
      ['', flow(r)],
      ['size', r.get('size')],
    ]),
  );

const smbMapping: Mapper = (r) =>
  event(
    'network',
    'network',
    'smb.mapping',
    r.get('path') ?? respEndpoint(r),
    kv([
      ['', flow(r)],
      ['share_type', r.get('share_type')],
      ['service', r.get('service')],
    ]),
  );

const dceRpc: Mapper = (r) =>
  event(
    'network',
    'network',
    'dce_rpc',
    [r.get('endpoint'), r.get('operation')].filter(Boolean).join('::') || respEndpoint(r),
    kv([
      ['', flow(r)],
      ['named_pipe', r.get('named_pipe')],
      ['rtt', r.get('rtt')],
    ]),
  );

const pe: Mapper = (r) =>
  event(
    'log',
    'file',
    'pe',
    r.get('id') ?? r.get('fuid'),
    kv([
      ['machine', r.get('machine')],
      ['subsystem', r.get('subsystem')],
      ['is_exe', r.get('is_exe')],
      ['is_64bit', r.get('is_64bit')],
      ['compile_ts', r.get('compile_ts')],
      ['sections', r.list('section_names').join(',')],
    ]),
  );

const weird: Mapper = (r) =>
  event(
    'log',
    'network',
    'weird',
    respEndpoint(r) ?? r.get('name'),
    kv([
      ['', r.get('name')],
      ['', flow(r)],
      ['addl', r.get('addl')],
      ['source', r.get('source')],
    ]),
  );

const notice: Mapper = (r) =>
  event(
    'alarm',
    'alarm',
    'notice',
    r.get('dst') ? hostPort(r.get('dst'), r.get('p')) : respEndpoint(r),
    kv([
      ['', r.get('note')],
      ['', r.get('msg')],
      ['sub', r.get('sub')],
      ['src', r.get('src')],
    ]),
    { ret: r.get('note') },
  );

const analyzer: Mapper = (r) =>
  event(
    'log',
    'network',
    'analyzer',
    respEndpoint(r),
    kv([
      ['', r.get('cause')],
      ['', r.get('analyzer_name') ?? r.get('analyzer')],
      ['', flow(r)],
      ['reason', r.get('failure_reason')],
    ]),
    { error: r.get('failure_reason') },
  );

/** Any other log: network when it has a connection 4-tuple, otherwise a plain log entry. */
export function genericZeekEvent(r: ZeekRecord, kind?: EventKind, category?: Category): MappedEvent {
  const skip = new Set(['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'id_orig_h', 'id_orig_p', 'id_resp_h', 'id_resp_p']);
  const parts: [string, string | null][] = [['', flow(r)]];
  for (const [k, v] of Object.entries(r.all())) {
    if (skip.has(k) || k.startsWith('@') || k === '_path' || v === null || v === '') continue;
    parts.push([k, String(v)]);
    if (parts.length > 8) break;
  }
  const networked = r.has('id.orig_h');
  return event(
    kind ?? (networked ? 'network' : 'log'),
    category ?? (networked ? 'network' : 'log'),
    r.path || 'zeek',
    respEndpoint(r) ?? r.get('host') ?? null,
    kv(parts),
  );
}

const packetFilter: Mapper = (r) => genericZeekEvent(r, 'log', 'system');

export const NETWORK_MAPPERS: Record<string, Mapper> = {
  conn,
  dns,
  http,
  files,
  ssl,
  x509,
  kerberos,
  ntlm,
  smb_files: smbFiles,
  smb_mapping: smbMapping,
  dce_rpc: dceRpc,
  pe,
  weird,
  notice,
  analyzer,
  packet_filter: packetFilter,
};
