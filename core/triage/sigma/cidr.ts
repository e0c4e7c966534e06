// `|cidr` values. IPv4 networks become a numeric range (the dotted quad read as a number in
// SQL); IPv6 networks become prefixes of the address's RFC 5952 text form (lower-case hex, no
// leading zeros, `::` for the longest zero run), the form our importers and Windows write.
import type { Glob } from './modifiers.ts';

export type Cidr = { version: 4; low: number; high: number } | { version: 6; globs: Glob[] };

/** Parses `a.b.c.d/n` or `x:y::/n` (a bare address is a /32 or /128); throws on bad text. */
export function parseCidr(text: string): Cidr {
  const [addr = '', bitsText, extra] = text.trim().split('/');
  if (extra !== undefined) throw new Error(`"${text}" is not a CIDR network`);
  if (addr.includes(':')) {
    const bits = bitsText === undefined ? 128 : Number(bitsText);
    const groups = parseIpv6(addr);
    if (!groups || !Number.isInteger(bits) || bits < 0 || bits > 128) throw new Error(`"${text}" is not an IPv6 CIDR network`);
    return { version: 6, globs: ipv6Globs(groups, bits) };
  }
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const octets = addr.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255) || !Number.isInteger(bits) || bits < 0 || bits > 32) {
    throw new Error(`"${text}" is not an IPv4 CIDR network`);
  }
  const value = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - bits);
  const low = Math.floor(value / size) * size;
  return { version: 4, low, high: low + size - 1 };
}

/** The eight 16-bit groups of an IPv6 address (with an optional trailing dotted IPv4), or null. */
export function parseIpv6(text: string): number[] | null {
  let t = text.toLowerCase();
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(t);
  if (v4) {
    const o = v4.slice(1).map(Number);
    if (o.some((x) => x > 255)) return null;
    t = `${t.slice(0, v4.index)}${((o[0] as number) * 256 + (o[1] as number)).toString(16)}:${((o[2] as number) * 256 + (o[3] as number)).toString(16)}`;
  }
  const halves = t.split('::');
  if (halves.length > 2) return null;
  const part = (s: string | undefined): string[] => (s ? s.split(':') : []);
  const head = part(halves[0]);
  const tail = part(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  return all.map((g) => parseInt(g, 16));
}

/** RFC 5952 text of eight groups. */
export function formatIpv6(groups: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Text forms the first `n` groups take at the start of an address: plain, or ending in `::`. */
function prefixForms(groups: readonly number[], n: number): string[] {
  const hex = groups.slice(0, n).map((g) => g.toString(16));
  const forms = [n ? `${hex.join(':')}:` : ''];
  for (let k = n - 1; k >= 0 && groups[k] === 0; k--) forms.push(`${hex.slice(0, k).join(':')}::`);
  return forms;
}

function ipv6Globs(groups: number[], bits: number): Glob[] {
  const star = { wild: '*' } as const;
  if (bits === 128) return [[formatIpv6(groups)]];
  if (bits === 0) return [[star, ':', star]];
  const full = Math.floor(bits / 16);
  const rem = bits % 16;
  if (rem === 0) return prefixForms(groups, full).map((p) => [p, star]);
  const mask = (0xffff << (16 - rem)) & 0xffff;
  const low = (groups[full] ?? 0) & mask;
  const high = low | (~mask & 0xffff);
  const heads = prefixForms(groups, full).filter((p) => !p.endsWith('::'));
  const head = heads[0] ?? '';
  if (low >= 0x1000) {
    // Four hex digits: the group's leading nibbles are a text prefix.
    const nibbles = Math.ceil(rem / 4);
    const step = 16 ** (4 - nibbles);
    const starts = new Set<string>();
    for (let v = low; v <= high; v += step) starts.add(v.toString(16).slice(0, nibbles));
    return [...starts].map((h): Glob => (full === 7 ? [`${head}${h}`, star] : [`${head}${h}`, star, ':', star]));
  }
  // Fewer digits: each possible group value written out (a zero group may also start a `::`).
  if (high - low >= 4096) throw new Error(`IPv6 network /${bits} is too wide to match by its text form`);
  const out: Glob[] = [];
  for (let v = low; v <= high; v++) {
    out.push(full === 7 ? [`${head}${v.toString(16)}`] : [`${head}${v.toString(16)}:`, star]);
    if (v === 0) out.push([`${head.replace(/:$/, '')}::`, star]);
  }
  return out;
}
