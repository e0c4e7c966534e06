// Generates a realistic `strace -f -tt -T -y` capture of an HMI-like workload (a poller talking
// Modbus/TCP, a historian writing files, worker threads, periodic child processes), with the
// same events as a CSV for DuckDB's own reader. Deterministic: same size → same bytes.
import { createWriteStream, type WriteStream } from 'node:fs';
import { mulberry32 } from '../core/testing/prng.ts';


interface Call {
  name: string;
  args: string;
  ret: string;
  err?: string;
}

const FILES = ['/opt/hmi/etc/hmi.conf', '/var/log/hmi/hmi.log', '/opt/hmi/data/historian.csv', '/usr/lib/python3.11/json/__init__.py', '/etc/localtime', '/proc/self/status'];

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}

function makeCall(r: () => number): Call {
  const x = r();
  const fd = 3 + Math.floor(r() * 6);
  const file = pick(r, FILES);
  if (x < 0.18) return { name: 'recvfrom', args: `${fd}<TCP:[127.0.0.1:38610->127.0.0.1:502]>, "\\x00\\x01\\x00\\x00\\x00\\x17\\x01\\x03\\x14\\x01\\xf4\\x01\\xf4", 8192, 0, NULL, NULL`, ret: '29' };
  if (x < 0.34) return { name: 'sendto', args: `${fd}<TCP:[127.0.0.1:38610->127.0.0.1:502]>, "\\x00\\x02\\x00\\x00\\x00\\x06\\x01\\x03\\x00\\x00\\x00\\x0a", 12, 0, NULL, 0`, ret: '12' };
  if (x < 0.46) return { name: 'clock_gettime', args: 'CLOCK_MONOTONIC, {tv_sec=2394, tv_nsec=312001248}', ret: '0' };
  if (x < 0.56) return { name: 'poll', args: `[{fd=${fd}<TCP:[127.0.0.1:38610->127.0.0.1:502]>, events=POLLIN}], 1, 500`, ret: '1 ([{fd=5, revents=POLLIN}])' };
  if (x < 0.64) return { name: 'newfstatat', args: `AT_FDCWD</opt/hmi>, "${file}", {st_mode=S_IFREG|0644, st_size=${Math.floor(r() * 90000)}, ...}, 0`, ret: '0' };
  if (x < 0.70) return { name: 'openat', args: `AT_FDCWD</opt/hmi>, "${file}", O_RDONLY|O_CLOEXEC`, ret: `${fd}<${file}>` };
  if (x < 0.73) return { name: 'openat', args: `AT_FDCWD</opt/hmi>, "/opt/hmi/plugins/missing${Math.floor(r() * 20)}.so", O_RDONLY|O_CLOEXEC`, ret: '-1', err: 'ENOENT (No such file or directory)' };
  if (x < 0.80) return { name: 'read', args: `${fd}<${file}>, "[plc]\\nhost = 127.0.0.1\\nport = 502\\nunit = 1\\npoll_ms = 500\\n"..., 4096`, ret: String(Math.floor(r() * 4096)) };
  if (x < 0.86) return { name: 'write', args: `${fd}<${file}>, "2026-11-26T06:13:24.619Z,500,500,60,40,215,121,1\\n", 48`, ret: '48' };
  if (x < 0.90) return { name: 'close', args: `${fd}<${file}>`, ret: '0' };
  if (x < 0.94) return { name: 'futex', args: '0x7fc9384f8a10, FUTEX_WAIT_BITSET_PRIVATE|FUTEX_CLOCK_REALTIME, 0, NULL, FUTEX_BITSET_MATCH_ANY', ret: '0' };
  if (x < 0.97) return { name: 'mmap', args: 'NULL, 262144, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0', ret: '0x7fc938905000' };
  return { name: 'lseek', args: `${fd}<${file}>, 0, SEEK_CUR`, ret: '0' };
}

function clock(us: number): string {
  const day = us % 86_400_000_000;
  const h = Math.floor(day / 3_600_000_000);
  const m = Math.floor((day % 3_600_000_000) / 60_000_000);
  const s = Math.floor((day % 60_000_000) / 1_000_000);
  const frac = day % 1_000_000;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(frac).padStart(6, '0')}`;
}

function csvCell(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

export interface GeneratedCapture {
  lines: number;
  calls: number;
  bytes: number;
}

/** Writes ≈ targetBytes of strace text to `stracePath` and the same calls as CSV to `csvPath`. */
export async function generateStrace(stracePath: string, csvPath: string, targetBytes: number, startUs = Date.UTC(2026, 10, 26, 6, 0, 0) * 1000): Promise<GeneratedCapture> {
  const r = mulberry32(42);
  const out = createWriteStream(stracePath);
  const csv = createWriteStream(csvPath);
  csv.write('ts_us,pid,syscall,args,ret,error,dur_us\n');
  const pids = [1202, 1203, 1204, 1206, 1207];
  let t = startUs;
  let bytes = 0;
  let lines = 0;
  let calls = 0;
  let buf: string[] = [];
  let cbuf: string[] = [];
  let nextChild = 2000;
  const flush = async (force: boolean): Promise<void> => {
    if (!force && buf.length < 2000) return;
    await write(out, buf.join(''));
    await write(csv, cbuf.join(''));
    buf = [];
    cbuf = [];
  };
  while (bytes < targetBytes) {
    t += 20 + Math.floor(r() * 400);
    const pid = pick(r, pids);
    const c = makeCall(r);
    const dur = (0.000005 + r() * 0.0004).toFixed(6);
    const result = c.err ? `${c.ret} ${c.err}` : c.ret;
    let text: string;
    if (r() < 0.03) {
      // An interleaved call: unfinished here, resumed after another pid's call.
      const other = pick(r, pids.filter((p) => p !== pid));
      const o = makeCall(r);
      const t2 = t + 15;
      const t3 = t2 + 30;
      text =
        `${pid}  ${clock(t)} ${c.name}(${c.args} <unfinished ...>\n` +
        `${other}  ${clock(t2)} ${o.name}(${o.args}) = ${o.ret} <0.000012>\n` +
        `${pid}  ${clock(t3)} <... ${c.name} resumed>) = ${result} <${dur}>\n`;
      cbuf.push(`${t},${pid},${c.name},${csvCell(c.args)},${csvCell(c.ret)},${c.err ? csvCell(c.err.split(' ')[0] ?? '') : ''},${Math.round(Number(dur) * 1e6)}\n`);
      cbuf.push(`${t2},${other},${o.name},${csvCell(o.args)},${csvCell(o.ret)},,12\n`);
      lines += 3;
      calls += 2;
      t = t3;
    } else if (r() < 0.002) {
      const child = nextChild++;
      text =
        `${pid}  ${clock(t)} clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7fc938945a10) = ${child} <0.000211>\n` +
        `${child}  ${clock(t + 90)} execve("/usr/bin/df", ["/usr/bin/df", "-P", "/opt/hmi"], 0x7ffd5c3e1e38 /* 7 vars */) = 0 <0.000455>\n` +
        `${child}  ${clock(t + 900)} exit_group(0) = ?\n` +
        `${child}  ${clock(t + 950)} +++ exited with 0 +++\n` +
        `${pid}  ${clock(t + 960)} --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=${child}, si_uid=0, si_status=0, si_utime=0, si_stime=0} ---\n`;
      cbuf.push(`${t},${pid},clone,"child_stack=NULL",${child},,211\n${t + 90},${child},execve,"/usr/bin/df",0,,455\n${t + 900},${child},exit_group,0,?,,0\n`);
      lines += 5;
      calls += 3;
      t += 960;
    } else {
      text = `${pid}  ${clock(t)} ${c.name}(${c.args}) = ${result} <${dur}>\n`;
      cbuf.push(`${t},${pid},${c.name},${csvCell(c.args)},${csvCell(c.ret)},${c.err ? csvCell(c.err.split(' ')[0] ?? '') : ''},${Math.round(Number(dur) * 1e6)}\n`);
      lines += 1;
      calls += 1;
    }
    buf.push(text);
    bytes += Buffer.byteLength(text);
    await flush(false);
  }
  await flush(true);
  await Promise.all([end(out), end(csv)]);
  return { lines, calls, bytes };
}

function write(stream: WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (stream.write(text)) resolve();
    else stream.once('drain', resolve);
  });
}

function end(stream: WriteStream): Promise<void> {
  return new Promise((resolve) => stream.end(resolve));
}
