// The PML lookup tables events refer to by index: strings, processes, and the host-name and
// port-name caches used to print network endpoints the way Procmon shows them.
import { ByteCursor, filetimeToUs } from './bytes.ts';

export interface PmlProcess {
  index: number;
  pid: number;
  parentPid: number;
  session: number;
  startUs: number;
  name: string;
  imagePath: string;
  commandLine: string;
  user: string;
  integrity: string;
  is64bit: boolean;
}

/** String table: count, offsets relative to the table start, then (u32 byte size, UTF-16) each. */
export function readStringTable(block: Uint8Array): string[] {
  const c = new ByteCursor(block);
  const count = c.u32();
  const offsets: number[] = [];
  for (let i = 0; i < count; i++) offsets.push(c.u32());
  return offsets.map((offset) => {
    c.pos = offset;
    const size = c.u32();
    return c.utf16(size);
  });
}

/** Process table: count, process indexes, offsets relative to the table start, then processes. */
export function readProcessTable(block: Uint8Array, strings: readonly string[], is64bit: boolean): Map<number, PmlProcess> {
  const str = (i: number): string => strings[i] ?? '';
  const c = new ByteCursor(block);
  const count = c.u32();
  c.skip(count * 4); // the index array repeats what each process structure holds
  const offsets: number[] = [];
  for (let i = 0; i < count; i++) offsets.push(c.u32());
  const out = new Map<number, PmlProcess>();
  for (const offset of offsets) {
    c.pos = offset;
    const index = c.u32();
    const pid = c.u32();
    const parentPid = c.u32();
    c.skip(4);
    c.skip(8); // authentication id
    const session = c.u32();
    c.skip(4);
    const start = c.u64();
    c.skip(8); // end time
    c.skip(4); // virtualized
    const processIs64 = c.u32() !== 0;
    const integrity = str(c.u32());
    const user = str(c.u32());
    const name = str(c.u32());
    const imagePath = str(c.u32());
    const commandLine = str(c.u32());
    out.set(index, {
      index,
      pid,
      parentPid,
      session,
      startUs: start === 0n ? 0 : filetimeToUs(start),
      name,
      imagePath,
      commandLine,
      user,
      integrity,
      is64bit: processIs64 && is64bit,
    });
  }
  return out;
}

export interface NameCaches {
  /** Key: the 16 address bytes as hex. */
  hosts: Map<string, string>;
  /** Key: `${port}/${tcp ? 'tcp' : 'udp'}`. */
  ports: Map<string, string>;
}

export function hexKey(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Hosts then ports, each a count followed by entries with a (u32 size, UTF-16) name. */
export function readNameCaches(block: Uint8Array): NameCaches {
  const c = new ByteCursor(block);
  const hosts = new Map<string, string>();
  const ports = new Map<string, string>();
  const hostCount = c.u32();
  for (let i = 0; i < hostCount; i++) {
    const ip = hexKey(c.bytesOf(16));
    hosts.set(ip, c.utf16(c.u32()));
  }
  const portCount = c.u32();
  for (let i = 0; i < portCount; i++) {
    const port = c.u16();
    const tcp = c.u16() !== 0;
    ports.set(`${port}/${tcp ? 'tcp' : 'udp'}`, c.utf16(c.u32()));
  }
  return { hosts, ports };
}

/** IPv4 dotted quad or compressed IPv6, as Procmon prints an address it has no name for. */
export function formatIp(bytes: Uint8Array, isV4: boolean): string {
  if (isV4) return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  // Compress the longest run of zero groups, as RFC 5952 does.
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}
