// The per-class "detail" structure that follows each PML event header: the path and the text
// Procmon shows in its Detail column. Only what the timeline needs is decoded (path, process and
// thread ids, image base/size, command lines, network endpoints); the rest stays unread.
import { ByteCursor } from './bytes.ts';
import { pmlFileSubOperation } from './operations.ts';
import { formatIp, hexKey, type NameCaches } from './tables.ts';
import type { ProcmonEventClass } from '../procmon-ops.ts';

export interface PmlDetail {
  op: string;
  path: string;
  detail: string;
  /** Parent PID announced by a Process Start event. */
  parentPid?: number;
}

export interface DetailContext {
  is64bit: boolean;
  names: NameCaches;
  tid: number;
}

/** A detail string is preceded by a u16: bit 15 set = ASCII, low 15 bits = character count. */
function stringInfo(c: ByteCursor): { ascii: boolean; chars: number } {
  const v = c.u16();
  return { ascii: (v & 0x8000) !== 0, chars: v & 0x7fff };
}

function readString(c: ByteCursor, info: { ascii: boolean; chars: number }): string {
  return info.ascii ? c.latin1(info.chars) : c.utf16(info.chars * 2);
}

/** UTF-16 strings separated by NULs up to `byteLength` (or a double NUL when no length is known). */
function readMultiSz(c: ByteCursor, byteLength?: number): string[] {
  const n = Math.min(byteLength ?? c.remaining, c.remaining) & ~1;
  const text = new TextDecoder('utf-16le').decode(c.bytesOf(n));
  const end = byteLength === undefined ? text.indexOf('\0\0') : -1;
  return (end >= 0 ? text.slice(0, end) : text).split('\0').filter((s) => s !== '');
}

/** 100-ns units → seconds with Procmon's 7 decimals. */
function seconds(units100ns: bigint): string {
  const whole = units100ns / 10_000_000n;
  const fraction = units100ns % 10_000_000n;
  return `${whole}.${fraction.toString().padStart(7, '0')}`;
}

/** 393216 → "393,216", as Procmon prints byte counts. */
function grouped(v: bigint): string {
  return v.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function hex(v: bigint | number): string {
  return `0x${v.toString(16)}`;
}

function processDetail(c: ByteCursor, op: string, ctx: DetailContext): PmlDetail {
  switch (op) {
    case 'Process Defined':
    case 'Process Create': {
      c.skip(4);
      const childPid = c.u32();
      c.skip(0x24);
      const size1 = c.u8();
      const size2 = c.u8();
      const pathInfo = stringInfo(c);
      const cmdInfo = stringInfo(c);
      c.skip(2 + size1 + size2);
      const path = readString(c, pathInfo);
      const commandLine = readString(c, cmdInfo);
      return { op, path, detail: `PID: ${childPid}, Command line: ${commandLine}` };
    }
    case 'Process Start': {
      const parentPid = c.u32();
      const cmdInfo = stringInfo(c);
      const dirInfo = stringInfo(c);
      const envChars = c.u32();
      const commandLine = readString(c, cmdInfo);
      const directory = readString(c, dirInfo);
      const env = readMultiSz(c, envChars * 2);
      const envText = env.map((e) => `\r;\t${e}`).join('');
      return {
        op,
        path: '',
        detail: `Parent PID: ${parentPid}, Command line: ${commandLine}, Current directory: ${directory}, Environment: ${envText}`,
        parentPid,
      };
    }
    case 'Process Exit': {
      const status = c.i32();
      const kernel = seconds(c.u64());
      const user = seconds(c.u64());
      const [workingSet, peakWorkingSet, privateBytes, peakPrivateBytes] = [c.u64(), c.u64(), c.u64(), c.u64()].map(grouped);
      return {
        op,
        path: '',
        detail:
          `Exit Status: ${status}, User Time: ${user} seconds, Kernel Time: ${kernel} seconds, ` +
          `Private Bytes: ${privateBytes}, Peak Private Bytes: ${peakPrivateBytes}, Working Set: ${workingSet}, Peak Working Set: ${peakWorkingSet}`,
      };
    }
    case 'Thread Create':
      return { op, path: '', detail: `Thread ID: ${c.u32()}` };
    case 'Thread Exit': {
      c.skip(4);
      const kernel = seconds(c.u64());
      const user = seconds(c.u64());
      return { op, path: '', detail: `Thread ID: ${ctx.tid}, User Time: ${user}, Kernel Time: ${kernel}` };
    }
    case 'Load Image': {
      const base = c.pvoid(ctx.is64bit);
      const size = c.u32();
      const pathInfo = stringInfo(c);
      c.skip(2);
      return { op, path: readString(c, pathInfo), detail: `Image Base: ${hex(base)}, Image Size: ${hex(size)}` };
    }
    default:
      return { op, path: '', detail: '' };
  }
}

/** Bytes between the path info and the path, by registry operation. */
const REGISTRY_PREFIX: Record<string, number> = {
  RegLoadKey: 2,
  RegRenameKey: 2,
  RegOpenKey: 6,
  RegCreateKey: 6,
  RegSetInfoKey: 14,
};

const REGISTRY_TYPES: Record<number, string> = {
  0: 'REG_NONE', 1: 'REG_SZ', 2: 'REG_EXPAND_SZ', 3: 'REG_BINARY', 4: 'REG_DWORD', 5: 'REG_DWORD_BIG_ENDIAN',
  6: 'REG_LINK', 7: 'REG_MULTI_SZ', 8: 'REG_RESOURCE_LIST', 11: 'REG_QWORD',
};

function registryDetail(c: ByteCursor, op: string): PmlDetail {
  const pathInfo = stringInfo(c);
  let detail = '';
  if (op === 'RegQueryKey' || op === 'RegQueryValue') {
    c.skip(2);
    const length = c.u32();
    c.skip(4); // information class
    detail = `Length: ${length}`;
  } else if (op === 'RegEnumKey' || op === 'RegEnumValue') {
    c.skip(2);
    const length = c.u32();
    const index = c.u32();
    c.skip(4); // information class
    detail = `Index: ${index}, Length: ${length}`;
  } else if (op === 'RegSetValue') {
    c.skip(2);
    const type = c.u32();
    const length = c.u32();
    c.skip(4); // length of the data copy that follows the path
    detail = `Type: ${REGISTRY_TYPES[type] ?? type}, Length: ${length}`;
  } else {
    c.skip(REGISTRY_PREFIX[op] ?? 0);
  }
  return { op, path: readString(c, pathInfo), detail };
}

function fileDetail(c: ByteCursor, op: string, ctx: DetailContext): PmlDetail {
  const subOp = c.u8();
  c.skip(3);
  const name = pmlFileSubOperation(op, subOp);
  c.skip((ctx.is64bit ? 8 : 4) * 5 + 0x14); // IRP parameters: not needed for the timeline
  const pathInfo = stringInfo(c);
  c.skip(2);
  let path = readString(c, pathInfo);
  let detail = '';
  if (name === 'QueryDirectory' && c.remaining >= 2) {
    const filter = readString(c, stringInfo(c));
    if (filter !== '') {
      path = path.endsWith('\\') ? path + filter : `${path}\\${filter}`;
      detail = `Filter: ${filter}`;
    }
  }
  return { op: name, path, detail };
}

function networkDetail(c: ByteCursor, op: string, ctx: DetailContext): PmlDetail {
  const flags = c.u16();
  const srcV4 = (flags & 1) !== 0;
  const dstV4 = (flags & 2) !== 0;
  const tcp = (flags & 4) !== 0;
  c.skip(2);
  const length = c.u32();
  const src = c.bytesOf(16);
  const dst = c.bytesOf(16);
  const srcPort = c.u16();
  const dstPort = c.u16();
  const host = (ip: Uint8Array, v4: boolean): string => {
    const named = ctx.names.hosts.get(hexKey(ip));
    return named !== undefined && named !== '' ? named : formatIp(ip, v4);
  };
  const port = (p: number): string => ctx.names.ports.get(`${p}/${tcp ? 'tcp' : 'udp'}`) || String(p);
  const extra = c.remaining >= 2 ? readMultiSz(c) : [];
  const pairs: string[] = [`Length: ${length}`];
  for (let i = 0; i + 1 < extra.length; i += 2) pairs.push(`${extra[i]}: ${extra[i + 1]}`);
  return {
    op: `${tcp ? 'TCP' : 'UDP'} ${op}`,
    path: `${host(src, srcV4)}:${port(srcPort)} -> ${host(dst, dstV4)}:${port(dstPort)}`,
    detail: pairs.join(', '),
  };
}

/** Decodes the detail block of one event. Throws PmlFormatError when the block is too short. */
export function readPmlDetail(block: Uint8Array, eventClass: ProcmonEventClass, op: string, ctx: DetailContext): PmlDetail {
  const c = new ByteCursor(block);
  switch (eventClass) {
    case 'Process':
      return processDetail(c, op, ctx);
    case 'Registry':
      return registryDetail(c, op);
    case 'File System':
      return fileDetail(c, op, ctx);
    case 'Network':
      return networkDetail(c, op, ctx);
    case 'Profiling':
      return { op, path: '', detail: '' };
  }
}
