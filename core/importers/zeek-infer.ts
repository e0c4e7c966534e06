// Which Zeek log a record belongs to when the file does not say (#path missing, JSON without
// _path): judged from the fields present, most specific signature first; the file name is only
// a last resort because other captures will be named differently.

/** Each signature: log path and the field groups that must all be present (any name per group). */
const SIGNATURES: [path: string, groups: string[][]][] = [
  ['modbus_register_change', [['register'], ['old_val'], ['new_val']]],
  ['modbus_detailed', [['func'], ['network_direction', 'request_response']]],
  ['known_modbus', [['device_type'], ['host']]],
  ['modbus', [['func'], ['id.orig_h', 'uid']]],
  ['dnp3_control', [['index_number'], ['trip_control_code', 'operation_type']]],
  ['dnp3', [['fc_request', 'fc_reply']]],
  ['s7comm_upload_download', [['function_status', 'block_type', 'blocklength'], ['function_name']]],
  ['s7comm_read_szl', [['szl_id']]],
  ['s7comm_known_devices', [['module_name', 'automation_system_name', 'module_serial']]],
  ['s7comm_plus', [['opcode', 'opcode_name'], ['version']]],
  ['s7comm', [['rosctr', 'rosctr_code', 'rosctr_name']]],
  ['cotp', [['pdu_code', 'pdu_name']]],
  ['conn', [['uid'], ['id.orig_h'], ['proto'], ['conn_state', 'history']]],
  ['dns', [['query'], ['qtype', 'qtype_name', 'rcode', 'rcode_name', 'trans_id']]],
  ['http', [['method', 'uri'], ['host', 'status_code', 'trans_depth', 'user_agent']]],
  ['files', [['fuid'], ['mime_type', 'seen_bytes', 'source', 'analyzers']]],
  ['x509', [['fingerprint', 'id'], ['certificate.subject']]],
  ['ssl', [['version'], ['cipher', 'server_name', 'established']]],
  ['kerberos', [['request_type'], ['client', 'service']]],
  ['ntlm', [['username', 'domainname'], ['server_nb_computer_name', 'success', 'hostname']]],
  ['smb_files', [['action'], ['name', 'path']]],
  ['smb_mapping', [['share_type']]],
  ['dce_rpc', [['endpoint'], ['operation']]],
  ['pe', [['machine'], ['compile_ts', 'is_exe']]],
  ['notice', [['note'], ['msg']]],
  ['weird', [['name'], ['addl', 'peer', 'notice']]],
  ['ssh', [['auth_success', 'auth_attempts', 'client'], ['server', 'version', 'direction']]],
  ['dhcp', [['mac', 'assigned_addr', 'msg_types'], ['lease_time', 'host_name', 'msg_types']]],
  ['ntp', [['stratum'], ['poll', 'ref_id']]],
  ['analyzer', [['analyzer_name', 'analyzer'], ['cause', 'failure_reason']]],
  ['packet_filter', [['filter'], ['node']]],
];

/** Infers the log path from field names (dotted; underscored JSON names are matched too). */
export function inferZeekPath(fieldNames: Iterable<string>): string | null {
  const names = new Set<string>();
  for (const n of fieldNames) {
    names.add(n);
    names.add(n.replace(/_/g, '.'));
  }
  const has = (name: string): boolean => names.has(name) || names.has(name.replace(/_/g, '.'));
  for (const [path, groups] of SIGNATURES) {
    if (groups.every((group) => group.some(has))) return path;
  }
  return null;
}

/** Last resort: "SCRANTON_conn.log", "modbus_detailed.head12000.log" → a known path in the name. */
export function pathFromFileName(fileName: string): string | null {
  const base = fileName.toLowerCase().replace(/^.*[\\/]/, '');
  let best: string | null = null;
  for (const [path] of SIGNATURES) {
    const re = new RegExp(`(^|[^a-z0-9])${path}([^a-z0-9_]|$)`);
    if (re.test(base) && (best === null || path.length > best.length)) best = path;
  }
  return best;
}
