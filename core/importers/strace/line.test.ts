import { describe, expect, it } from 'vitest';
import { decorationEnd, newLineHead, readCallTail, readHead, splitArgs, unquote } from './line.ts';
import { sockaddrTarget } from './target.ts';

describe('strace line lexing', () => {
  it.each([
    ['1234  06:13:22.467014 execve(', 1234, 'tod', 22_402_467_014],
    ['[pid  1234] 06:13:22 getpid(', 1234, 'tod', 22_402_000_000],
    ['1795673805.730227 brk(', null, 'epoch', 1_795_673_805_730_227],
    ['[pid 7] 1795673805.730227123 brk(', 7, 'epoch', 1_795_673_805_730_227],
    ['execve("/bin/sh", [], NULL) = 0', null, 'none', 0],
  ] as const)('reads the head of %s', (text, pid, clock, timeUs) => {
    const head = newLineHead();
    expect(readHead(text, head)).toBe(true);
    expect(head).toMatchObject({ pid, clock, timeUs });
    expect(text.slice(head.body)).toMatch(/^[a-z]/);
  });

  it('rejects a broken prefix', () => {
    expect(readHead('[pid 12 06:00:00 x(', newLineHead())).toBe(false);
    expect(readHead('12 25:00:00 x(', newLineHead())).toBe(false);
  });

  it('reads tails: duration, unfinished, decorated result, returned string with " = "', () => {
    const t = (s: string) => readCallTail(s, s.indexOf('(') + 1);
    expect(t('read(3, "x", 1) = 1 <0.000123>')).toMatchObject({ state: 'complete', ret: '1', durUs: 123 });
    expect(t('wait4(-1,  <unfinished ...>')).toMatchObject({ state: 'unfinished', ret: null });
    expect(t('openat(AT_FDCWD, "a", 0) = 3</tmp/a b> <0.1>')).toMatchObject({ ret: '3', retDecoration: '/tmp/a b', durUs: 100_000 });
    expect(t('dup2(4<pipe:[1]>, 1</dev/null>) = 1<pipe:[1]>')).toMatchObject({ ret: '1', retDecoration: 'pipe:[1]' });
    expect(t('getenv("A") = "x = y"')).toMatchObject({ state: 'complete', ret: '"x = y"' });
    expect(t('write(1, "abc')).toMatchObject({ state: 'malformed' });
  });

  it('splits arguments around strings, brackets and -y decorations', () => {
    const s = 'AT_FDCWD</opt/a, b>, "x, \\"y\\"", [1, 2], 5<TCP:[1.2.3.4:5->6.7.8.9:10]>, {a=1, b=2}';
    expect(splitArgs(s, 0, s.length, 10)).toEqual(['AT_FDCWD</opt/a, b>', '"x, \\"y\\""', '[1, 2]', '5<TCP:[1.2.3.4:5->6.7.8.9:10]>', '{a=1, b=2}']);
    const nested = '1</dev/pts/0<char 136:0>>, 2';
    expect(decorationEnd(nested, 1, nested.length)).toBe(nested.indexOf(', '));
  });

  it('decodes C strings and sockaddrs', () => {
    expect(unquote('"/tmp/a\\nb\\303\\251"...')).toBe('/tmp/a\nbé');
    expect(unquote('0x7ffd')).toBeNull();
    expect(sockaddrTarget('{sa_family=AF_INET, sin_port=htons(502), sin_addr=inet_addr("127.0.0.1")}')).toBe('127.0.0.1:502');
    expect(sockaddrTarget('{sa_family=AF_UNIX, sun_path=@"abstract"}')).toBe('@abstract');
    expect(sockaddrTarget('{sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}')).toBe('AF_NETLINK');
  });
});
