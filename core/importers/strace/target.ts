// The `target` of a syscall event: the path, socket or peer a call acts on, read from its
// arguments as the syscall table says (strace/syscalls.ts), helped by -y/-yy decorations.
import { posix } from 'node:path';
import { splitArgs, splitDecoration, unquote } from './line.ts';
import type { SyscallInfo } from './syscalls.ts';

/**
 * Target of one call. `args` is the full argument text (both halves joined for a resumed call),
 * `retDecoration` the -y decoration of the returned descriptor, if any.
 */
export function syscallTarget(
  syscall: string,
  info: SyscallInfo | undefined,
  args: string,
  retDecoration: string | null,
): string | null {
  const spec = info?.target ?? { kind: 'fd', index: 0 };
  switch (spec.kind) {
    case 'none':
      return retDecoration;
    case 'fd': {
      const a = splitArgs(args, 0, args.length, spec.index + 1)[spec.index];
      return (a !== undefined ? splitDecoration(a).decoration : null) ?? (info ? retDecoration : null);
    }
    case 'path': {
      const a = splitArgs(args, 0, args.length, spec.index + 1);
      return pathTarget(a[spec.index], spec.dirIndex === null ? undefined : a[spec.dirIndex], retDecoration);
    }
    case 'addr': {
      const a = splitArgs(args, 0, args.length, spec.index + 1);
      const peer = sockaddrTarget(a[spec.index]);
      if (peer !== null) return peer;
      // accept's new socket (its decoration names the peer) says more than the listening one
      if (syscall.startsWith('accept') && retDecoration !== null) return retDecoration;
      const sock = a[spec.fdIndex];
      return (sock !== undefined ? splitDecoration(sock).decoration : null) ?? retDecoration;
    }
    case 'pid': {
      const a = splitArgs(args, 0, args.length, spec.index + 1)[spec.index];
      return a !== undefined && /^-?\d+$/.test(a) ? `pid:${a}` : null;
    }
    case 'name': {
      const a = splitArgs(args, 0, args.length, spec.index + 1)[spec.index];
      const text = a === undefined ? null : unquote(a);
      if (text === null) return retDecoration;
      return syscall === 'memfd_create' ? `memfd:${text}` : text;
    }
  }
}

/**
 * A path argument, resolved against its directory descriptor's decoration when relative
 * (`openat(AT_FDCWD</opt/hmi>, "etc/x")` → "/opt/hmi/etc/x"). An empty path (AT_EMPTY_PATH)
 * means the directory descriptor itself. Without a readable path, the returned descriptor's
 * decoration stands in.
 */
function pathTarget(arg: string | undefined, dirArg: string | undefined, retDecoration: string | null): string | null {
  const p = arg === undefined ? null : unquote(arg);
  const dir = dirArg === undefined ? null : splitDecoration(dirArg).decoration;
  if (p === null) return retDecoration;
  if (p === '') return dir ?? retDecoration;
  if (p.startsWith('/')) return p;
  if (dir !== null && dir.startsWith('/')) return posix.join(dir, p);
  if (retDecoration !== null && retDecoration.startsWith('/')) return retDecoration;
  return p;
}

/**
 * A decoded sockaddr → "ip:port", "[ip6]:port", a unix socket path ("@name" when abstract) or
 * the address family; null when the argument is not a sockaddr. Arguments are short, so the
 * small regexes here never see long text.
 */
export function sockaddrTarget(arg: string | undefined): string | null {
  if (arg === undefined || !arg.startsWith('{sa_family=')) return null;
  const famEnd = arg.search(/[,}]/);
  const family = arg.slice(11, famEnd < 0 ? arg.length : famEnd);
  if (family === 'AF_INET') {
    const port = /sin_port=htons\((\d+)\)/.exec(arg)?.[1];
    const ip = /sin_addr=inet_addr\("([^"]*)"\)/.exec(arg)?.[1];
    if (ip !== undefined) return port !== undefined ? `${ip}:${port}` : ip;
  } else if (family === 'AF_INET6') {
    const port = /sin6_port=htons\((\d+)\)/.exec(arg)?.[1];
    const ip = /inet_pton\(AF_INET6, "([^"]*)"/.exec(arg)?.[1];
    if (ip !== undefined) return port !== undefined ? `[${ip}]:${port}` : ip;
  } else if (family === 'AF_UNIX' || family === 'AF_LOCAL') {
    const m = /sun_path=(@?)("(?:[^"\\]|\\.)*")/.exec(arg);
    if (m?.[2] !== undefined) return `${m[1] ?? ''}${unquote(m[2]) ?? ''}`;
  }
  return family;
}
