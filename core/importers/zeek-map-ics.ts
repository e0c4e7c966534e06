// Zeek ICS logs (stock modbus/dnp3 and the CISA ICSNPP parsers: modbus_detailed, s7comm,
// s7comm_plus, cotp, …) → kind `ics` events with protocol-level ops and the `ics_*` fields
// documented in docs/formats/network.md. A write or control request gets ics_write = true;
// the reply to it gets ics_reply = true instead, so each write is counted once.
import type { MappedEvent, Scalar, ZeekRecord } from './zeek-record.ts';
import { dnp3Function, modbusFunction, s7Function, s7PlusFunction, s7UserDataFunction, snake, type IcsFunction } from './ics-protocols.ts';
import { flow, genericZeekEvent, hostPort, kv, respEndpoint } from './zeek-map-net.ts';

type Mapper = (r: ZeekRecord) => MappedEvent;

function ics(op: string, target: string | null, args: string, icsFields: Record<string, Scalar>, extra: Partial<MappedEvent> = {}): MappedEvent {
  // ics_* fields are merged over the source fields by the importer.
  return { kind: 'ics', category: 'ics', op, target, args: args || null, fields: icsFields, ...extra };
}

/** ICSNPP logs each PDU with its own direction; the PDU's destination is the target. */
function pduTarget(r: ZeekRecord): string | null {
  return hostPort(r.get('destination_h'), r.get('destination_p')) ?? respEndpoint(r);
}

function pduFlow(r: ZeekRecord): string | null {
  const src = hostPort(r.get('source_h'), r.get('source_p'));
  const dst = hostPort(r.get('destination_h'), r.get('destination_p'));
  return src && dst ? `${src} → ${dst}` : flow(r);
}

function isReplyWord(text: string | null): boolean {
  return text !== null && /^(resp|response|ack|ack[-_ ]data|reply)$/i.test(text.trim());
}

const modbus: Mapper = (r) => {
  const fn = modbusFunction(r.get('func') ?? 'unknown');
  const pduType = r.get('pdu_type');
  const reply = isReplyWord(pduType);
  const exception = r.get('exception');
  // Before Zeek 6 a row is a request/response pair logged at the response: it carries the write.
  const write = fn.write && !reply;
  return ics(
    fn.op,
    respEndpoint(r),
    kv([
      ['', flow(r)],
      ['unit', r.get('unit')],
      ['tid', r.get('tid')],
      ['', pduType],
      ['exception', exception],
    ]),
    { ics_protocol: 'modbus', ics_function: fn.op.slice('modbus.'.length), ics_write: write, ics_reply: reply, ics_unit: r.num('unit') },
    { error: exception ?? (fn.exception ? 'exception' : null) },
  );
};

const modbusDetailed: Mapper = (r) => {
  const fn = modbusFunction(r.get('func') ?? 'unknown');
  const direction = r.get('network_direction') ?? r.get('request_response');
  const reply = isReplyWord(direction);
  const address = r.get('address');
  const values = r.get('values');
  return ics(
    fn.op,
    respEndpoint(r),
    kv([
      ['', flow(r)],
      ['unit', r.get('unit_id') ?? r.get('unit')],
      ['', direction],
      ['address', address],
      ['quantity', r.get('quantity')],
      ['values', values],
    ]),
    {
      ics_protocol: 'modbus',
      ics_function: fn.op.slice('modbus.'.length),
      ics_write: fn.write && !reply,
      ics_reply: reply,
      ics_unit: r.num('unit_id') ?? r.num('unit'),
      ics_address: r.num('address'),
      ics_quantity: r.num('quantity'),
      ics_values: values,
    },
    { error: fn.exception ? 'exception' : null },
  );
};

const modbusRegisterChange: Mapper = (r) =>
  ics(
    'modbus.register_change',
    respEndpoint(r),
    kv([
      ['register', r.get('register')],
      ['old', r.get('old_val')],
      ['new', r.get('new_val')],
      ['delta', r.get('delta') === null ? null : `${r.get('delta')}s`],
      ['', flow(r)],
    ]),
    { ics_protocol: 'modbus', ics_change: true, ics_write: false, ics_address: r.num('register'), ics_values: r.get('new_val'), ics_old_value: r.get('old_val') },
  );

const knownModbus: Mapper = (r) =>
  ics('modbus.known_device', r.get('host'), kv([['', r.get('device_type')]]), { ics_protocol: 'modbus', ics_write: false });

const dnp3: Mapper = (r) => {
  const request = r.get('fc_request');
  const reply = r.get('fc_reply');
  const fn: IcsFunction = dnp3Function(request ?? reply ?? 'unknown');
  return ics(
    fn.op,
    respEndpoint(r),
    kv([
      ['', flow(r)],
      ['request', request],
      ['reply', reply],
      ['iin', r.get('iin')],
    ]),
    { ics_protocol: 'dnp3', ics_function: fn.op.slice('dnp3.'.length), ics_write: request !== null && fn.write, ics_reply: false },
    { ret: reply },
  );
};

const dnp3Control: Mapper = (r) => {
  const fn = dnp3Function(r.get('function_code') ?? 'unknown');
  const reply = /response/i.test(r.get('function_code') ?? '');
  return ics(
    fn.op,
    respEndpoint(r),
    kv([
      ['', flow(r)],
      ['point', r.get('index_number')],
      ['control', r.get('trip_control_code') ?? r.get('operation_type')],
      ['count', r.get('execute_count')],
      ['status', r.get('status_code')],
    ]),
    { ics_protocol: 'dnp3', ics_function: fn.op.slice('dnp3.'.length), ics_write: fn.write && !reply, ics_reply: reply, ics_address: r.num('index_number') },
    { ret: r.get('status_code') },
  );
};

const s7comm: Mapper = (r) => {
  const rosctr = r.get('rosctr_name') ?? r.get('rosctr');
  const userData = rosctr !== null && /user/i.test(rosctr);
  const subfunction = r.get('subfunction_name') ?? r.get('subfunction');
  const functionName = r.get('function_name');
  const fn = userData && subfunction ? s7UserDataFunction(subfunction) : s7Function(r.get('function_code') ?? functionName ?? r.get('function') ?? 'unknown');
  const reply = isReplyWord(rosctr) || /^response/i.test(functionName ?? '');
  const errorClass = r.get('error_class');
  const failed = errorClass !== null && !/^no error$/i.test(errorClass);
  return ics(
    fn.op,
    pduTarget(r),
    kv([
      ['', pduFlow(r)],
      ['', rosctr],
      ['', functionName],
      ['', subfunction],
      ['pdu_ref', r.get('pdu_reference')],
      ['error', failed ? `${errorClass} ${r.get('error_code') ?? ''}`.trim() : null],
    ]),
    { ics_protocol: 's7comm', ics_function: fn.op.slice('s7.'.length), ics_write: fn.write && !reply, ics_reply: reply },
    { error: failed ? errorClass : null },
  );
};

const s7commPlus: Mapper = (r) => {
  const functionName = r.get('function_name');
  const opcode = r.get('opcode_name') ?? r.get('opcode');
  const fn = functionName ? s7PlusFunction(functionName) : { op: `s7plus.${snake(opcode ?? 'message') || 'message'}`, write: false };
  const reply = isReplyWord(opcode);
  return ics(
    fn.op,
    pduTarget(r),
    kv([
      ['', pduFlow(r)],
      ['', opcode],
      ['', functionName],
      ['version', r.get('version')],
    ]),
    { ics_protocol: 's7comm_plus', ics_function: fn.op.slice('s7plus.'.length), ics_write: fn.write && !reply, ics_reply: reply },
  );
};

const s7UploadDownload: Mapper = (r) => {
  const fn = s7Function(r.get('function_name') ?? r.get('function_code') ?? 'unknown');
  const reply = isReplyWord(r.get('rosctr_name') ?? r.get('rosctr'));
  return ics(
    fn.op,
    pduTarget(r),
    kv([
      ['', pduFlow(r)],
      ['', r.get('rosctr_name') ?? r.get('rosctr')],
      ['block', [r.get('block_type'), r.get('block_number')].filter(Boolean).join(' ')],
      ['file', r.get('filename')],
      ['length', r.get('blocklength')],
      ['status', r.get('function_status')],
    ]),
    { ics_protocol: 's7comm', ics_function: fn.op.slice('s7.'.length), ics_write: fn.write && !reply, ics_reply: reply, ics_block: r.get('filename') },
  );
};

const s7ReadSzl: Mapper = (r) => {
  const reply = isReplyWord(r.get('method'));
  return ics(
    's7.read_szl',
    pduTarget(r),
    kv([
      ['', pduFlow(r)],
      ['', r.get('method')],
      ['szl', [r.get('szl_id'), r.get('szl_id_name')].filter(Boolean).join(' ')],
      ['index', r.get('szl_index')],
      ['return', r.get('return_code_name')],
    ]),
    { ics_protocol: 's7comm', ics_function: 'read_szl', ics_write: false, ics_reply: reply },
  );
};

const s7KnownDevices: Mapper = (r) =>
  ics(
    's7.known_device',
    pduTarget(r),
    kv([
      ['system', r.get('automation_system_name')],
      ['module', r.get('module_name')],
      ['plant', r.get('plant_name')],
      ['serial', r.get('module_serial')],
    ]),
    { ics_protocol: 's7comm', ics_write: false },
  );

const cotp: Mapper = (r) => {
  const name = r.get('pdu_name') ?? r.get('pdu_code') ?? 'pdu';
  return ics(`cotp.${snake(name) || 'pdu'}`, pduTarget(r), kv([['', pduFlow(r)], ['', name]]), { ics_protocol: 'cotp', ics_write: false });
};

export const ICS_MAPPERS: Record<string, Mapper> = {
  modbus,
  modbus_detailed: modbusDetailed,
  modbus_register_change: modbusRegisterChange,
  known_modbus: knownModbus,
  dnp3,
  dnp3_control: dnp3Control,
  s7comm,
  s7comm_plus: s7commPlus,
  s7comm_upload_download: s7UploadDownload,
  s7comm_read_szl: s7ReadSzl,
  s7comm_known_devices: s7KnownDevices,
  cotp,
};

/** Other ICS logs (ICSNPP bacnet, enip, cip, profinet, opcua, …): generic, but on the ICS lane. */
const ICS_PATH = /^(modbus|dnp3|s7comm|cotp|bacnet|enip|cip|profinet|opcua|genisys|bsap|ethercat|iec|mms|goose|synchrophasor|hart|c1222|roc|omron|ge_srtp|known_(modbus|dnp3|s7))/;

export function icsFallback(r: ZeekRecord): MappedEvent | null {
  return ICS_PATH.test(r.path) ? genericZeekEvent(r, 'ics', 'ics') : null;
}
