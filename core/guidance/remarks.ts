// Remarks about one concrete event: what in its target, arguments or result deserves attention
// (a credential store, LD_PRELOAD, an attach to another process, a write to a controller …).
// Each check is a small pure function so the list stays readable and testable.
import type { StoredEvent } from '../model/event.ts';

type Check = (e: StoredEvent, text: string) => string | null;

const ICS_PORTS: Record<string, string> = {
  '502': 'Modbus/TCP', '102': 'S7comm / ISO-TSAP', '20000': 'DNP3', '2404': 'IEC 60870-5-104', '44818': 'EtherNet/IP',
  '4840': 'OPC UA', '47808': 'BACnet', '9600': 'OMRON FINS', '1911': 'Niagara Fox', '789': 'Red Lion Crimson', '18245': 'GE SRTP',
  '5007': 'Mitsubishi MELSEC', '34962': 'PROFINET', '2222': 'EtherNet/IP I/O', '20547': 'ProConOS',
};
const WRITE_FLAGS = /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND/;
const TEMP = /^(\/tmp\/|\/dev\/shm\/|\/var\/tmp\/)|\\(AppData\\Local\\Temp|Windows\\Temp|Users\\Public)\\/i;
/** In a decoded URL (access-log targets): ; | ` $( chain shell commands, ../ climbs, \n splits lines, <script injects. */
const WEB_ATTACK = /[;|`]|\$\(|\.\.[/\\]|\\n|<script/i;
const OPENS = /^(open|open64|openat|openat2|creat|fopen|fopen64|CreateFile|NtCreateFile|ReadFile|WriteFile)/i;

const checks: Check[] = [
  (e) => (e.target && /\/etc\/g?shadow-?$|\/etc\/security\/opasswd$/.test(e.target) ? `target ${e.target} is the password-hash store; only authentication programs need it` : null),
  (e) => (e.target && /\/\.(bash|zsh|ash|sh|python|mysql|psql)_history$/.test(e.target) ? `target ${e.target} is a shell/tool history: it can hold typed passwords and shows past commands` : null),
  (e) => (e.target && /\/\.ssh\/id_|\/\.aws\/credentials|\/\.netrc|\/\.pgpass|\/\.git-credentials/.test(e.target) ? `target ${e.target} is a stored credential or private key` : null),
  (e) => (e.target && /\\(SAM|SECURITY)$|\\config\\(SAM|SECURITY|SYSTEM)$/i.test(e.target) ? `target ${e.target} is a Windows credential hive` : null),
  (e) => (e.target && /lsass(\.exe)?$/i.test(e.target) ? `target is LSASS, which holds logon credentials${accessRemark(e)}` : null),
  (_e, t) => (/LD_PRELOAD=/.test(t) ? 'LD_PRELOAD in the command line or environment: a library is forced into the program' : null),
  (e, t) =>
    e.target?.endsWith('/etc/ld.so.preload')
      ? WRITE_FLAGS.test(t) || /^(rename|link|symlink)/.test(e.op)
        ? '/etc/ld.so.preload is being written: every program started afterwards loads the library it names'
        : 'reading/probing /etc/ld.so.preload is normal dynamic-loader behaviour at every program start'
      : null,
  (e) => {
    if (e.op !== 'ptrace') return null;
    const m = /^\s*(PTRACE_[A-Z_]+)\s*,\s*(\d+)/.exec(e.args ?? '');
    if (!m || !/ATTACH|SEIZE|POKE|SETREGS/.test(m[1] ?? '')) return null;
    return `${m[1]} to another process (pid ${m[2]})${e.error ? `; it failed with ${e.error}, but the attempt shows intent` : ''}`;
  },
  (e) => (e.target && /^\/proc\/\d+\/(mem|environ)$/.test(e.target) && OPENS.test(e.op) ? `${e.target} exposes another process's memory or environment` : null),
  (e) => (/^(execve|execveat|ProcessCreate|CreateProcess)/i.test(e.op) && e.target && TEMP.test(e.target) ? `program runs from a world-writable temporary location (${e.target})` : null),
  (e, t) => (/^(execve|execveat)$/.test(e.op) && /\/(sh|bash|dash|ash|zsh)"/.test(t) && /"-c",\s*"[^"]*(;|\||&|\$\(|`)/.test(t) ? 'shell -c command chains several commands (; | & $( or backticks): typical of command injection' : null),
  (e, t) => (/^(chmod|fchmodat|fchmod|fchmodat2)$/.test(e.op) && e.target && TEMP.test(e.target) && /(^|[ ,])0?[0-7]?[1357][0-7][0-7]($|[ ,)])/.test(t) ? 'makes a file in a temporary directory executable' : null),
  (e, t) => (e.target && /^\/var\/log\/|\.log(\.\d+)?$/.test(e.target) && (/^(unlink|unlinkat|truncate|ftruncate|remove)$/.test(e.op) || /O_TRUNC/.test(t)) ? `log file ${e.target} is deleted or emptied` : null),
  (e) => {
    const port = /:(\d+)$/.exec(e.target ?? '')?.[1];
    const proto = port ? ICS_PORTS[port] : undefined;
    return proto && /connect|NetworkConnect|TCP Connect|sendto/i.test(e.op) ? `connection to an industrial protocol port (${proto}, ${port}): only the HMI/SCADA client should talk to the controller` : null;
  },
  (e) => {
    const f = e.fields ?? {};
    if (e.kind !== 'ics' || f['ics_write'] !== true) return null;
    const where = ['ics_unit', 'ics_address'].filter((k) => f[k] !== undefined && f[k] !== null).map((k) => `${k.slice(4)} ${String(f[k])}`);
    return `write to a controller (${e.op}${where.length ? `, ${where.join(', ')}` : ''}): it changes the physical process; check it came from the HMI's usual connection`;
  },
  (e) => (/^(utimensat|utimes|futimesat|utime|SetFileTime|FileCreateTime)$/.test(e.op) && !/UTIME_NOW|NULL/.test(e.args ?? '') ? 'sets explicit file times (possible timestomping)' : null),
  (e) => (e.op === 'memfd_create' ? 'creates an anonymous in-memory file; watch for an execve of /proc/self/fd/N afterwards' : null),
  (e) => (e.op.startsWith('http.') && e.target && WEB_ATTACK.test(e.target) ? 'the requested URL carries shell metacharacters, a path traversal or a script tag: typical of command-injection, traversal or XSS probes; look for a process the web server started right after' : null),
  (e) => (e.error ? (e.op.startsWith('http.') ? `the server refused or failed the request (HTTP ${e.error})` : `the call failed (${e.error}${e.ret ? `, returned ${e.ret}` : ''})`) : null),
];

function accessRemark(e: StoredEvent): string {
  const mask = e.fields?.['GrantedAccess'];
  if (typeof mask !== 'string') return '';
  const dumping = ['0x1010', '0x1410', '0x1438', '0x143a', '0x1fffff', '0x1f0fff'].includes(mask.toLowerCase());
  return dumping ? ` (GrantedAccess ${mask} includes PROCESS_VM_READ, as credential dumpers request)` : ` (GrantedAccess ${mask})`;
}

export function remarksFor(e: StoredEvent): string[] {
  const text = `${e.args ?? ''} ${e.target ?? ''}`;
  const out: string[] = [];
  for (const check of checks) {
    const r = check(e, text);
    if (r && !out.includes(r)) out.push(r);
  }
  return out;
}
