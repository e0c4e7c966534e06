// ICS protocol vocabularies shared by the Zeek, tshark and ICS-probe importers: function codes →
// the op names events carry (`modbus.write_single_register`, `dnp3.operate`, `s7.plc_stop`, …)
// and whether the function changes the process (a write, a command or a control action). One
// table per protocol, so every importer names the same function the same way and flags it alike.

export interface IcsFunction {
  /** Op as events carry it, e.g. "modbus.write_single_register". */
  op: string;
  /** True for a write, command or control action (what `fields.ics_write` records). */
  write: boolean;
}

// ---------------------------------------------------------------------------------------------
// Modbus (Modbus Application Protocol v1.1b3 §6). Names follow the spec; Zeek writes the same
// names upper-case (REPORT_SLAVE_ID, ENCAP_INTERFACE_TRANSPORT are its aliases).
const MODBUS: Record<number, [string, boolean]> = {
  1: ['read_coils', false],
  2: ['read_discrete_inputs', false],
  3: ['read_holding_registers', false],
  4: ['read_input_registers', false],
  5: ['write_single_coil', true],
  6: ['write_single_register', true],
  7: ['read_exception_status', false],
  8: ['diagnostics', false],
  11: ['get_comm_event_counter', false],
  12: ['get_comm_event_log', false],
  15: ['write_multiple_coils', true],
  16: ['write_multiple_registers', true],
  17: ['report_server_id', false],
  20: ['read_file_record', false],
  21: ['write_file_record', true],
  22: ['mask_write_register', true],
  23: ['read_write_multiple_registers', true],
  24: ['read_fifo_queue', false],
  43: ['encapsulated_interface_transport', false],
};
const MODBUS_ALIASES: Record<string, number> = {
  report_slave_id: 17,
  encap_interface_transport: 43,
  read_device_identification: 43,
  read_write_register: 23, // Wireshark's column text for FC 23
  read_write_multiple_register: 23,
};
const MODBUS_BY_NAME = new Map<string, number>(
  [...Object.entries(MODBUS).map(([code, [name]]) => [name, Number(code)] as const), ...Object.entries(MODBUS_ALIASES)],
);

export interface ModbusFunction extends IcsFunction {
  /** Function code without the exception bit, or null when the name is unknown. */
  code: number | null;
  /** True when the code had the exception bit (0x80) or the name the `_EXCEPTION` suffix. */
  exception: boolean;
}

/** Modbus function from a code (5, "5", "0x05") or a name ("WRITE_SINGLE_COIL", "unknown-156"). */
export function modbusFunction(codeOrName: number | string): ModbusFunction {
  let code: number | null;
  let exception = false;
  if (typeof codeOrName === 'number') code = codeOrName;
  else {
    const text = codeOrName.trim();
    const numeric = /^(?:unknown-)?(0x[0-9a-f]+|\d+)$/i.exec(text);
    if (numeric?.[1]) code = Number(numeric[1]);
    else {
      let name = snake(text);
      if (name.endsWith('_exception')) {
        exception = true;
        name = name.slice(0, -'_exception'.length);
      }
      code = MODBUS_BY_NAME.get(name) ?? null;
      if (code === null) return { op: `modbus.${name || 'unknown'}`, write: false, code: null, exception };
    }
  }
  if (code >= 0x80) {
    exception = true;
    code -= 0x80;
  }
  const known = MODBUS[code];
  return known
    ? { op: `modbus.${known[0]}`, write: known[1], code, exception }
    : { op: `modbus.function_${code}`, write: false, code, exception };
}

export const MODBUS_EXCEPTIONS: Record<number, string> = {
  1: 'ILLEGAL_FUNCTION',
  2: 'ILLEGAL_DATA_ADDRESS',
  3: 'ILLEGAL_DATA_VALUE',
  4: 'SERVER_DEVICE_FAILURE',
  5: 'ACKNOWLEDGE',
  6: 'SERVER_DEVICE_BUSY',
  8: 'MEMORY_PARITY_ERROR',
  10: 'GATEWAY_PATH_UNAVAILABLE',
  11: 'GATEWAY_TARGET_DEVICE_FAILED_TO_RESPOND',
};

// ---------------------------------------------------------------------------------------------
// DNP3 application-layer function codes (IEEE 1815-2012 table 4-1). Zeek logs the names below
// upper-case; a few are spelled out here (START_APPL → start_application) for readable ops.
const DNP3: Record<number, [string, boolean]> = {
  0: ['confirm', false],
  1: ['read', false],
  2: ['write', true],
  3: ['select', true],
  4: ['operate', true],
  5: ['direct_operate', true],
  6: ['direct_operate_nr', true],
  7: ['immed_freeze', false],
  8: ['immed_freeze_nr', false],
  9: ['freeze_clear', true],
  10: ['freeze_clear_nr', true],
  11: ['freeze_at_time', false],
  12: ['freeze_at_time_nr', false],
  13: ['cold_restart', true],
  14: ['warm_restart', true],
  15: ['initialize_data', true],
  16: ['initialize_application', true],
  17: ['start_application', true],
  18: ['stop_application', true],
  19: ['save_configuration', true],
  20: ['enable_unsolicited', false],
  21: ['disable_unsolicited', false],
  22: ['assign_class', false],
  23: ['delay_measure', false],
  24: ['record_current_time', false],
  25: ['open_file', false],
  26: ['close_file', false],
  27: ['delete_file', true],
  28: ['get_file_info', false],
  29: ['authenticate_file', false],
  30: ['abort_file', false],
  31: ['activate_config', true],
  32: ['authenticate_req', false],
  33: ['authenticate_err', false],
  129: ['response', false],
  130: ['unsolicited_response', false],
  131: ['authenticate_resp', false],
};
const DNP3_ALIASES: Record<string, number> = {
  initialize_appl: 16,
  start_appl: 17,
  stop_appl: 18,
  save_config: 19,
  direct_operate_no_ack: 6,
};
const DNP3_BY_NAME = new Map<string, number>(
  [...Object.entries(DNP3).map(([code, [name]]) => [name, Number(code)] as const), ...Object.entries(DNP3_ALIASES)],
);

/** DNP3 function from a code or a name ("DIRECT_OPERATE", "Direct Operate", "STOP_APPL"). */
export function dnp3Function(codeOrName: number | string): IcsFunction & { code: number | null } {
  const code =
    typeof codeOrName === 'number'
      ? codeOrName
      : /^(0x[0-9a-f]+|\d+)$/i.test(codeOrName.trim())
        ? Number(codeOrName.trim())
        : (DNP3_BY_NAME.get(snake(codeOrName)) ?? null);
  const known = code === null ? undefined : DNP3[code];
  if (known) return { op: `dnp3.${known[0]}`, write: known[1], code };
  const name = typeof codeOrName === 'string' ? snake(codeOrName) : `function_${codeOrName}`;
  return { op: `dnp3.${name || 'unknown'}`, write: false, code };
}

// ---------------------------------------------------------------------------------------------
// S7comm job functions (parameter byte 0). Download, PI service (start, compress, copy to ROM…)
// and PLC stop change the controller; write variable changes the process image.
const S7: Record<number, [string, boolean]> = {
  0x00: ['cpu_services', false],
  0x04: ['read_var', false],
  0x05: ['write_var', true],
  0x1a: ['request_download', true],
  0x1b: ['download_block', true],
  0x1c: ['download_ended', true],
  0x1d: ['start_upload', false],
  0x1e: ['upload', false],
  0x1f: ['end_upload', false],
  0x28: ['pi_service', true],
  0x29: ['plc_stop', true],
  0xf0: ['setup_communication', false],
};
const S7_ALIASES: Record<string, number> = {
  read_variable: 0x04,
  write_variable: 0x05,
  plc_control: 0x28,
  pi_service: 0x28,
  setup_communication: 0xf0,
};
const S7_BY_NAME = new Map<string, number>(
  [...Object.entries(S7).map(([code, [name]]) => [name, Number(code)] as const), ...Object.entries(S7_ALIASES)],
);

/** User-data (rosctr 7) subfunctions that change the controller, matched on their names. */
const S7_USERDATA_WRITES = /set[_ ]?clock|delete|password|plc[_ ]?stop|insert|write|force/i;

/** S7comm function from a code ("0x05", 5) or a name ("Write Variable", "PLC Stop"). */
export function s7Function(codeOrName: number | string): IcsFunction & { code: number | null } {
  let code: number | null;
  if (typeof codeOrName === 'number') code = codeOrName;
  else if (/^(0x[0-9a-f]+|\d+)$/i.test(codeOrName.trim())) code = Number(codeOrName.trim());
  else code = S7_BY_NAME.get(snake(codeOrName.replace(/-/g, '_'))) ?? null;
  const known = code === null ? undefined : S7[code];
  if (known) return { op: `s7.${known[0]}`, write: known[1], code };
  const name = typeof codeOrName === 'string' ? snake(codeOrName) : `function_0x${codeOrName.toString(16)}`;
  return { op: `s7.${name || 'unknown'}`, write: S7_USERDATA_WRITES.test(String(codeOrName)), code };
}

/** S7 user-data subfunction ("Read SZL", "Set clock") → op and write flag. */
export function s7UserDataFunction(subfunctionName: string): IcsFunction {
  return { op: `s7.${snake(subfunctionName) || 'userdata'}`, write: S7_USERDATA_WRITES.test(subfunctionName) };
}

/**
 * S7comm-plus functions by name (ICSNPP writes "Set Variable", "CreateObject", …). Setting
 * variables, creating or deleting objects and invoking methods change the controller.
 */
export function s7PlusFunction(name: string): IcsFunction {
  const op = snake(name.replace(/([a-z])([A-Z])/g, '$1_$2')) || 'unknown';
  return { op: `s7plus.${op}`, write: /^(set|create|delete|invoke|add_link|remove_link)/.test(op) };
}

// ---------------------------------------------------------------------------------------------
// IEC 60870-5-104 / -101 ASDU type identifiers (IEC 60870-5-101 §7.2.1.1) and causes of
// transmission (§7.2.3). Types 45–69 are commands in control direction; 100–107 system commands
// (interrogation is a read; clock sync, reset process and test are control); 110–113 parameters.
const IEC104_TYPES: Record<number, [string, boolean]> = {
  1: ['M_SP_NA_1', false], 2: ['M_SP_TA_1', false], 3: ['M_DP_NA_1', false], 4: ['M_DP_TA_1', false],
  5: ['M_ST_NA_1', false], 6: ['M_ST_TA_1', false], 7: ['M_BO_NA_1', false], 8: ['M_BO_TA_1', false],
  9: ['M_ME_NA_1', false], 10: ['M_ME_TA_1', false], 11: ['M_ME_NB_1', false], 12: ['M_ME_TB_1', false],
  13: ['M_ME_NC_1', false], 14: ['M_ME_TC_1', false], 15: ['M_IT_NA_1', false], 16: ['M_IT_TA_1', false],
  17: ['M_EP_TA_1', false], 18: ['M_EP_TB_1', false], 19: ['M_EP_TC_1', false], 20: ['M_PS_NA_1', false],
  21: ['M_ME_ND_1', false], 30: ['M_SP_TB_1', false], 31: ['M_DP_TB_1', false], 32: ['M_ST_TB_1', false],
  33: ['M_BO_TB_1', false], 34: ['M_ME_TD_1', false], 35: ['M_ME_TE_1', false], 36: ['M_ME_TF_1', false],
  37: ['M_IT_TB_1', false], 38: ['M_EP_TD_1', false], 39: ['M_EP_TE_1', false], 40: ['M_EP_TF_1', false],
  45: ['C_SC_NA_1', true], 46: ['C_DC_NA_1', true], 47: ['C_RC_NA_1', true], 48: ['C_SE_NA_1', true],
  49: ['C_SE_NB_1', true], 50: ['C_SE_NC_1', true], 51: ['C_BO_NA_1', true],
  58: ['C_SC_TA_1', true], 59: ['C_DC_TA_1', true], 60: ['C_RC_TA_1', true], 61: ['C_SE_TA_1', true],
  62: ['C_SE_TB_1', true], 63: ['C_SE_TC_1', true], 64: ['C_BO_TA_1', true],
  70: ['M_EI_NA_1', false],
  100: ['C_IC_NA_1', false], 101: ['C_CI_NA_1', false], 102: ['C_RD_NA_1', false], 103: ['C_CS_NA_1', true],
  104: ['C_TS_NA_1', false], 105: ['C_RP_NA_1', true], 106: ['C_CD_NA_1', false], 107: ['C_TS_TA_1', false],
  110: ['P_ME_NA_1', true], 111: ['P_ME_NB_1', true], 112: ['P_ME_NC_1', true], 113: ['P_AC_NA_1', true],
  120: ['F_FR_NA_1', false], 121: ['F_SR_NA_1', false], 122: ['F_SC_NA_1', false], 123: ['F_LS_NA_1', false],
  124: ['F_AF_NA_1', false], 125: ['F_SG_NA_1', false], 126: ['F_DR_TA_1', false], 127: ['F_SC_NB_1', false],
};

export const IEC104_CAUSES: Record<number, string> = {
  1: 'per/cyc', 2: 'back', 3: 'spont', 4: 'init', 5: 'req', 6: 'act', 7: 'actcon', 8: 'deact',
  9: 'deactcon', 10: 'actterm', 11: 'retrem', 12: 'retloc', 13: 'file', 20: 'inrogen',
  37: 'reqcogen', 44: 'unknown_type', 45: 'unknown_cause', 46: 'unknown_asdu_address', 47: 'unknown_ioa',
};
for (let group = 1; group <= 16; group++) IEC104_CAUSES[20 + group] = `inro${group}`;
for (let group = 1; group <= 4; group++) IEC104_CAUSES[37 + group] = `reqco${group}`;

/** Causes that mean "this is the command itself" rather than its confirmation or termination. */
const IEC104_COMMAND_CAUSES = new Set([6, 8]);
/** Confirmations, terminations and the negative "unknown …" answers from the outstation. */
const IEC104_REPLY_CAUSES = new Set([7, 9, 10, 44, 45, 46, 47]);

/**
 * IEC 104 ASDU: op `iec104.<type mnemonic lower-case>`. A control-direction ASDU (types 45–113)
 * sent with cause actcon/deactcon/actterm (or an unknown-… cause) is the outstation's reply; a
 * command or parameter type is a write when it is the activation/deactivation itself (cause 6/8)
 * or the cause is not recorded.
 */
export function iec104Asdu(typeId: number, cause: number | null): IcsFunction & { typeName: string; reply: boolean } {
  const known = IEC104_TYPES[typeId];
  const typeName = known?.[0] ?? `type_${typeId}`;
  const commandType = known?.[1] ?? false;
  const controlDirection = typeId >= 45 && typeId <= 113;
  const reply = controlDirection && cause !== null && IEC104_REPLY_CAUSES.has(cause);
  const write = commandType && !reply && (cause === null || IEC104_COMMAND_CAUSES.has(cause));
  return { op: `iec104.${typeName.toLowerCase()}`, write, typeName, reply };
}

/** IEC 104 U-format control functions (the uType bit field). */
export const IEC104_U_FUNCTIONS: Record<number, string> = {
  0x01: 'startdt_act', 0x02: 'startdt_con', 0x04: 'stopdt_act', 0x08: 'stopdt_con', 0x10: 'testfr_act', 0x20: 'testfr_con',
};

// ---------------------------------------------------------------------------------------------
// MMS (ISO 9506-2): PDU types and ConfirmedService choices. Write, program-invocation control,
// downloads and file deletion change the server.
export const MMS_PDU_TYPES: Record<number, string> = {
  0: 'confirmed_request', 1: 'confirmed_response', 2: 'confirmed_error', 3: 'unconfirmed', 4: 'reject',
  5: 'cancel_request', 6: 'cancel_response', 7: 'cancel_error', 8: 'initiate_request',
  9: 'initiate_response', 10: 'initiate_error', 11: 'conclude_request', 12: 'conclude_response', 13: 'conclude_error',
};
const MMS_SERVICES: Record<number, [string, boolean]> = {
  0: ['status', false], 1: ['get_name_list', false], 2: ['identify', false], 3: ['rename', true],
  4: ['read', false], 5: ['write', true], 6: ['get_variable_access_attributes', false],
  7: ['define_named_variable', false], 8: ['define_scattered_access', false],
  9: ['get_scattered_access_attributes', false], 10: ['delete_variable_access', true],
  11: ['define_named_variable_list', false], 12: ['get_named_variable_list_attributes', false],
  13: ['delete_named_variable_list', true], 14: ['define_named_type', false], 15: ['get_named_type_attributes', false],
  16: ['delete_named_type', true], 17: ['input', false], 18: ['output', true], 19: ['take_control', true],
  20: ['relinquish_control', false], 26: ['initiate_download_sequence', true], 27: ['download_segment', true],
  28: ['terminate_download_sequence', true], 29: ['initiate_upload_sequence', false], 30: ['upload_segment', false],
  31: ['terminate_upload_sequence', false], 32: ['request_domain_download', true], 33: ['request_domain_upload', false],
  34: ['load_domain_content', true], 35: ['store_domain_content', false], 36: ['delete_domain', true],
  37: ['get_domain_attributes', false], 38: ['create_program_invocation', true], 39: ['delete_program_invocation', true],
  40: ['start', true], 41: ['stop', true], 42: ['resume', true], 43: ['reset', true], 44: ['kill', true],
  45: ['get_program_invocation_attributes', false], 46: ['obtain_file', true], 72: ['file_open', false],
  73: ['file_read', false], 74: ['file_close', false], 75: ['file_rename', true], 76: ['file_delete', true],
  77: ['file_directory', false],
};
const MMS_BY_NAME = new Map<string, number>(Object.entries(MMS_SERVICES).map(([code, [name]]) => [name, Number(code)]));

/**
 * MMS message: op `mms.<service>` for confirmed services, `mms.information_report` for
 * unconfirmed PDUs, `mms.<pdu type>` otherwise. Only a confirmed *request* can be a write; its
 * response or error is a reply.
 */
export function mmsMessage(pduType: number | null, service: number | string | null): IcsFunction & { reply: boolean; pdu: string | null } {
  const pdu = pduType === null ? null : (MMS_PDU_TYPES[pduType] ?? `pdu_${pduType}`);
  const reply = pduType === 1 || pduType === 2 || pduType === 6 || pduType === 7 || pduType === 9 || pduType === 12;
  const code = typeof service === 'string' ? (/^\d+$/.test(service) ? Number(service) : (MMS_BY_NAME.get(snake(service)) ?? null)) : service;
  const confirmed = pduType === null || pduType <= 2;
  if (confirmed && code !== null) {
    const known = MMS_SERVICES[code];
    const name = known?.[0] ?? `service_${code}`;
    return { op: `mms.${name}`, write: (known?.[1] ?? false) && !reply && pduType !== 2, reply, pdu };
  }
  if (pduType === 3) return { op: 'mms.information_report', write: false, reply: false, pdu };
  return { op: `mms.${pdu ?? 'message'}`, write: false, reply, pdu };
}

/** "Write Single Coil" / "WRITE-SINGLE_COIL" / "Read SZL" → "write_single_coil" / "read_szl". */
export function snake(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}
