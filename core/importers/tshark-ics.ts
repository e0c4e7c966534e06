// ICS layers of a tshark/Wireshark packet (Modbus/TCP, DNP3, S7comm, S7comm-plus, IEC 60870-5-104,
// MMS) → op, write/reply flags and the ics_* fields, using the same vocabulary as the Zeek
// importer (ics-protocols.ts). Field names are Wireshark's display-filter names; the Info column
// is the fallback for exports that only have GUI columns.
import type { Packet } from './tshark-packet.ts';
import {
  dnp3Function,
  iec104Asdu,
  IEC104_CAUSES,
  IEC104_U_FUNCTIONS,
  mmsMessage,
  MODBUS_EXCEPTIONS,
  modbusFunction,
  s7Function,
  s7PlusFunction,
  type IcsFunction,
} from './ics-protocols.ts';

export interface PacketIcs {
  op: string;
  error: string | null;
  /** Compact protocol summary for args. */
  detail: string;
  fields: Record<string, string | number | boolean | null>;
}

interface PacketContext {
  srcPort: string | null;
  dstPort: string | null;
  info: string | null;
  protocol: string;
}

/** "0x05" / "5" → 5; null when absent or not a number. */
function int(text: string | null): number | null {
  if (text === null) return null;
  const t = text.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t, 16);
  if (/^\d+$/.test(t)) return Number(t);
  const lead = /^(\d+)\b/.exec(t); // "6 (Write Single Register)" in some exports
  return lead ? Number(lead[1]) : null;
}

function kv(parts: [string, string | number | null | undefined][]): string {
  return parts
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

function result(protocol: string, fn: IcsFunction, reply: boolean, detail: string, extra: PacketIcs['fields'] = {}, error: string | null = null): PacketIcs {
  const fnName = fn.op.slice(fn.op.indexOf('.') + 1);
  const fields: PacketIcs['fields'] = { ics_protocol: protocol, ics_function: fnName, ics_write: fn.write && !reply, ics_reply: reply };
  for (const [k, v] of Object.entries(extra)) if (v !== null) fields[k] = v; // absent values stay absent
  return { op: fn.op, error, detail, fields };
}

function modbus(p: Packet, c: PacketContext): PacketIcs {
  const info = c.info ?? '';
  const code = int(p.get('modbus.func_code')) ?? int(/Func:\s*(\d+)/.exec(info)?.[1] ?? null);
  const fn = modbusFunction(code ?? 'unknown');
  // The request carries the write; the response echoes it and points back to its request frame.
  const reply =
    p.get('modbus.request_frame') !== null ||
    /^\s*response\b/i.test(info) ||
    (!/^\s*query\b/i.test(info) && c.srcPort === '502' && c.dstPort !== '502');
  const exceptionCode = int(p.get('modbus.exception_code'));
  const exception = exceptionCode !== null ? (MODBUS_EXCEPTIONS[exceptionCode] ?? `exception_${exceptionCode}`) : fn.exception ? 'exception' : null;
  const unit = int(p.get('mbtcp.unit_id')) ?? int(/Unit:\s*(\d+)/.exec(info)?.[1] ?? null);
  const trans = int(p.get('mbtcp.trans_id')) ?? int(/Trans:\s*(\d+)/.exec(info)?.[1] ?? null);
  const address = int(p.get('modbus.reference_num'));
  const quantity = int(p.get('modbus.word_cnt')) ?? int(p.get('modbus.bit_cnt'));
  const values = p.all('modbus.regval_uint16');
  const bits = p.all('modbus.bitval');
  const valueText = values.length > 0 ? values.join(',') : bits.length > 0 ? bits.join(',') : null;
  return result(
    'modbus',
    fn,
    reply,
    kv([
      ['unit', unit],
      ['trans', trans],
      ['address', address],
      ['quantity', quantity],
      ['values', valueText],
      ['exception', exception],
    ]),
    {
      ics_unit: unit,
      ics_transaction: trans,
      ics_address: address,
      ics_quantity: quantity,
      ics_values: valueText,
      ics_request_frame: int(p.get('modbus.request_frame')),
    },
    exception,
  );
}

function dnp3(p: Packet): PacketIcs {
  const code = int(p.get('dnp3.al.func'));
  const fn = dnp3Function(code ?? 'unknown');
  const reply = code !== null && code >= 129 && code !== 130; // 130 = unsolicited, not a reply
  const points = p.all('dnp3.al.index');
  return result(
    'dnp3',
    fn,
    reply,
    kv([
      ['func', code],
      ['points', points.join(',')],
      ['src', p.get('dnp3.src')],
      ['dst', p.get('dnp3.dst')],
    ]),
    { ics_address: int(points[0] ?? null), ics_points: points.join(',') || null },
  );
}

const S7_PLUS_FUNCTIONS: Record<number, string> = {
  0x04bb: 'Explore', 0x04ca: 'CreateObject', 0x04d4: 'DeleteObject', 0x04f2: 'SetVariable', 0x04fc: 'GetVariable',
  0x0506: 'AddLink', 0x051a: 'RemoveLink', 0x0524: 'GetLink', 0x0542: 'SetMultiVariables', 0x054c: 'GetMultiVariables',
  0x0556: 'BeginSequence', 0x0560: 'EndSequence', 0x056b: 'Invoke', 0x057c: 'SetVarSubStreamed',
  0x0586: 'GetVarSubStreamed', 0x0590: 'GetVariablesAddress', 0x059a: 'Abort', 0x05a9: 'Error', 0x05b3: 'InitSsl',
};

function s7plus(p: Packet): PacketIcs {
  const opcode = int(p.get('s7comm-plus.data.opcode'));
  const code = int(p.get('s7comm-plus.data.function'));
  const name = code !== null ? (S7_PLUS_FUNCTIONS[code] ?? `function_0x${code.toString(16)}`) : opcode === 0x33 ? 'Notification' : 'Message';
  const reply = opcode === 0x32;
  return result('s7comm_plus', s7PlusFunction(name), reply, kv([['opcode', opcode === null ? null : `0x${opcode.toString(16)}`], ['function', name]]));
}

/** S7 user-data (function group, subfunction) pairs worth naming; others stay "userdata". */
function s7UserData(group: number | null, sub: number | null): IcsFunction {
  if (group === 4 && sub === 1) return { op: 's7.read_szl', write: false };
  if (group === 7 && (sub === 1 || sub === 3)) return { op: 's7.read_clock', write: false };
  if (group === 7 && (sub === 2 || sub === 4)) return { op: 's7.set_clock', write: true };
  if (group === 3) return { op: 's7.block_functions', write: false };
  if (group === 5) return { op: 's7.security', write: true }; // PLC password
  return { op: 's7.userdata', write: false };
}

function s7comm(p: Packet): PacketIcs {
  const rosctr = int(p.get('s7comm.header.rosctr'));
  const reply = rosctr === 2 || rosctr === 3;
  let fn: IcsFunction;
  if (rosctr === 7) {
    fn = s7UserData(int(p.get('s7comm.param.userdata.funcgroup')), int(p.get('s7comm.param.userdata.subfunc')));
  } else {
    const code = int(p.get('s7comm.param.func'));
    fn = s7Function(code ?? 'unknown');
  }
  const errorClass = int(p.get('s7comm.header.errcls'));
  const error = errorClass !== null && errorClass !== 0 ? `error_class_0x${errorClass.toString(16)}` : null;
  return result('s7comm', fn, reply, kv([['rosctr', rosctr], ['pdu_ref', p.get('s7comm.header.pduref')], ['items', p.get('s7comm.param.itemcount')]]), {}, error);
}

function iec104(p: Packet): PacketIcs {
  const typeId = int(p.get('iec60870_asdu.typeid'));
  if (typeId === null) {
    const apciType = int(p.get('iec60870_104.type'));
    const utype = int(p.get('iec60870_104.utype'));
    const name = apciType === 1 ? 's_frame' : utype !== null ? (IEC104_U_FUNCTIONS[utype] ?? `u_0x${utype.toString(16)}`) : 'apci';
    return result('iec104', { op: `iec104.${name}`, write: false }, false, kv([['apci', name]]));
  }
  const cause = int(p.get('iec60870_asdu.causetx'));
  const asdu = iec104Asdu(typeId, cause);
  const ioas = p.all('iec60870_asdu.ioa');
  const values = p.matching(/^iec60870_asdu_(float|normval|scalval|sco_on|dco_on|rco_up|bitstring|siq_spi|diq_dpi|bcr_count)$/);
  return result(
    'iec104',
    asdu,
    asdu.reply,
    kv([
      ['type', asdu.typeName],
      ['cot', cause === null ? null : (IEC104_CAUSES[cause] ?? String(cause))],
      ['asdu_addr', p.get('iec60870_asdu.addr')],
      ['ioa', ioas.join(',')],
      ['values', values.join(',')],
    ]),
    { ics_type: asdu.typeName, ics_cause: cause, ics_address: int(ioas[0] ?? null), ics_points: ioas.join(',') || null, ics_values: values.join(',') || null },
  );
}

function mms(p: Packet, c: PacketContext): PacketIcs {
  const info = c.info ?? '';
  const request = p.get('mms.confirmedServiceRequest');
  const response = p.get('mms.confirmedServiceResponse');
  let pduType: number | null = request !== null ? 0 : response !== null ? 1 : null;
  if (pduType === null) {
    if (/unconfirmed/i.test(info) || p.get('mms.unconfirmedService') !== null) pduType = 3;
    else if (/initiate-RequestPDU/i.test(info)) pduType = 8;
    else if (/initiate-ResponsePDU/i.test(info)) pduType = 9;
    else if (/conclude-RequestPDU/i.test(info)) pduType = 11;
  }
  const msg = mmsMessage(pduType, int(request ?? response));
  const item = p.all('mms.itemId').join(',') || null;
  const domain = p.all('mms.domainId').join(',') || null;
  return result('mms', msg, msg.reply, kv([['pdu', msg.pdu], ['invoke', p.get('mms.invokeID')], ['domain', domain], ['item', item]]), {
    ics_domain: domain,
    ics_item: item,
  });
}

/** The ICS reading of a packet, or null when it carries no ICS protocol. */
export function icsFromPacket(p: Packet, c: PacketContext): PacketIcs | null {
  const proto = c.protocol.toLowerCase();
  if (p.hasProtocol('modbus') || p.hasProtocol('mbtcp') || proto.includes('modbus')) return modbus(p, c);
  if (p.hasProtocol('dnp3') || proto.startsWith('dnp')) return dnp3(p);
  if (p.hasProtocol('s7comm-plus') || proto.includes('s7comm-plus')) return s7plus(p);
  if (p.hasProtocol('s7comm') || proto === 's7comm') return s7comm(p);
  if (p.hasProtocol('iec60870_asdu') || p.hasProtocol('iec60870_104') || proto.startsWith('iec 60870') || proto.startsWith('104')) return iec104(p);
  if (p.hasProtocol('mms') || proto === 'mms') return mms(p, c);
  return null;
}
