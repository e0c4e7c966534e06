// The shared ICS vocabularies: the same function gets the same op and write flag whichever
// way a source writes it (code, Zeek name, Wireshark text).
import { describe, expect, it } from 'vitest';
import { dnp3Function, iec104Asdu, mmsMessage, modbusFunction, s7Function, s7PlusFunction } from './ics-protocols.ts';

describe('Modbus functions', () => {
  it('flags exactly FC 5, 6, 15, 16, 21, 22, 23 as writes among the public codes', () => {
    const writes = [1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 15, 16, 17, 20, 21, 22, 23, 24, 43].filter((c) => modbusFunction(c).write);
    expect(writes).toEqual([5, 6, 15, 16, 21, 22, 23]);
  });

  it('names a function the same from a code, a Zeek name or Wireshark text', () => {
    for (const form of [6, '6', '0x06', 'WRITE_SINGLE_REGISTER', 'Write Single Register']) {
      expect(modbusFunction(form)).toMatchObject({ op: 'modbus.write_single_register', code: 6, write: true });
    }
    expect(modbusFunction('REPORT_SLAVE_ID').op).toBe('modbus.report_server_id');
  });

  it('reads exception forms: 0x80 bit, unknown-N and the _EXCEPTION suffix', () => {
    expect(modbusFunction(0x86)).toMatchObject({ op: 'modbus.write_single_register', exception: true });
    expect(modbusFunction('unknown-156')).toMatchObject({ op: 'modbus.function_28', exception: true });
    expect(modbusFunction('READ_COILS_EXCEPTION')).toMatchObject({ op: 'modbus.read_coils', exception: true });
  });
});

describe('DNP3, S7, IEC 104 and MMS functions', () => {
  it('flags DNP3 control functions, including Zeek abbreviations', () => {
    expect(dnp3Function('STOP_APPL')).toMatchObject({ op: 'dnp3.stop_application', write: true });
    expect(dnp3Function(5)).toMatchObject({ op: 'dnp3.direct_operate', write: true });
    expect(dnp3Function('READ').write).toBe(false);
    expect(dnp3Function('UNSOLICITED_RESPONSE').write).toBe(false);
  });

  it('flags S7 download, write var, PI service and PLC stop', () => {
    expect(s7Function('0x29')).toMatchObject({ op: 's7.plc_stop', write: true });
    expect(s7Function('Download Block').write).toBe(true);
    expect(s7Function('Write Variable')).toMatchObject({ op: 's7.write_var', write: true });
    expect(s7Function('PI-Service').write).toBe(true);
    expect(s7Function('Start Upload').write).toBe(false);
    expect(s7PlusFunction('Set Variable')).toMatchObject({ op: 's7plus.set_variable', write: true });
    expect(s7PlusFunction('GetMultiVariables')).toMatchObject({ op: 's7plus.get_multi_variables', write: false });
  });

  it('treats an IEC 104 command as a write only on activation, its confirmation as a reply', () => {
    expect(iec104Asdu(45, 6)).toMatchObject({ op: 'iec104.c_sc_na_1', write: true, reply: false });
    expect(iec104Asdu(45, 7)).toMatchObject({ write: false, reply: true });
    expect(iec104Asdu(100, 6)).toMatchObject({ op: 'iec104.c_ic_na_1', write: false });
    expect(iec104Asdu(13, 3)).toMatchObject({ op: 'iec104.m_me_nc_1', write: false, reply: false });
  });

  it('treats an MMS write request as a write and its response as a reply', () => {
    expect(mmsMessage(0, 5)).toMatchObject({ op: 'mms.write', write: true, reply: false });
    expect(mmsMessage(1, 5)).toMatchObject({ op: 'mms.write', write: false, reply: true });
    expect(mmsMessage(3, 0)).toMatchObject({ op: 'mms.information_report', write: false });
    expect(mmsMessage(8, null).op).toBe('mms.initiate_request');
  });
});
