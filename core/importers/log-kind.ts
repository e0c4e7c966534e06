// What a log line means to an incident responder: its kind (alarm, auth, process, ics, log),
// its severity, and a short operation name that groups similar lines on the timeline.
// Judged from field names and values only, never from file names.
import type { Category, EventKind } from '../model/event.ts';
import { SYSLOG_FACILITIES } from './textlog-header.ts';

/** Severity words as written → a canonical name (syslog names, plus "alarm"). */
const SEVERITY_WORDS: Record<string, string> = {
  emerg: 'emerg',
  emergency: 'emerg',
  panic: 'emerg',
  alert: 'alert',
  alarm: 'alarm',
  crit: 'crit',
  critical: 'crit',
  fatal: 'fatal',
  err: 'err',
  error: 'err',
  eror: 'err',
  warn: 'warning',
  warning: 'warning',
  notice: 'notice',
  info: 'info',
  information: 'info',
  informational: 'info',
  debug: 'debug',
  trace: 'debug',
  verbose: 'debug',
};
const SYSLOG_SEVERITY_BY_NUMBER = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];

/** Severities that make a line an alarm for the analyst (syslog 0–2, explicit ALARM, FATAL). */
const ALARM_SEVERITIES = new Set(['emerg', 'alert', 'crit', 'alarm', 'fatal']);

/** The largest syslog PRI: facility 23 (local7) × 8 + severity 7. */
const MAX_SYSLOG_PRI = 191;

/**
 * "WARN", "Warning", "<3>", 3, a syslog PRI "<134>" (severity = PRI mod 8) or "local0.alert"
 * (facility.severity) → canonical severity, or null when it is not a severity. Case-insensitive.
 */
export function normaliseSeverity(value: string | number | boolean | null | undefined): string | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 7 ? (SYSLOG_SEVERITY_BY_NUMBER[value] ?? null) : null;
  if (typeof value !== 'string') return null;
  const trimmed = value.trim().toLowerCase();
  const pri = /^<(\d{1,3})>$/.exec(trimmed);
  if (pri?.[1] !== undefined) {
    const n = Number(pri[1]);
    return n <= MAX_SYSLOG_PRI ? (SYSLOG_SEVERITY_BY_NUMBER[n & 7] ?? null) : null;
  }
  const dotted = /^([a-z0-9-]+)\.([a-z]+)$/.exec(trimmed);
  if (dotted?.[1] !== undefined && dotted[2] !== undefined && SYSLOG_FACILITIES.includes(dotted[1])) return SEVERITY_WORDS[dotted[2]] ?? null;
  const t = trimmed.replace(/^[[<(]|[\]>):]$/g, '');
  if (/^[0-7]$/.test(t)) return SYSLOG_SEVERITY_BY_NUMBER[Number(t)] ?? null;
  return SEVERITY_WORDS[t] ?? null;
}

/** A leading severity word of a message ("ALARM [plc] …", "[ERROR] …"): severity + the rest. */
export function splitLeadingSeverity(message: string): { severity: string | null; rest: string } {
  const m = /^\[?([A-Za-z]{3,13})\]?:?\s+(.*)$/s.exec(message);
  if (m && m[1] !== undefined && m[2] !== undefined && (m[1] === m[1].toUpperCase() || message.startsWith('['))) {
    const sev = normaliseSeverity(m[1]);
    if (sev !== null) return { severity: sev, rest: m[2] };
  }
  return { severity: null, rest: message };
}

/** A leading "[component]" of a message: component + the rest. */
export function splitComponent(message: string): { component: string | null; rest: string } {
  const m = /^\[([^\]\s]{1,40})\]\s*(.*)$/s.exec(message);
  if (m && m[1] !== undefined && m[2] !== undefined) return { component: m[1], rest: m[2] };
  return { component: null, rest: message };
}

export function isAlarmSeverity(severity: string | null): boolean {
  return severity !== null && ALARM_SEVERITIES.has(severity);
}

/** Programs whose every line is about authentication or sessions. */
const AUTH_PROGRAMS = new Set(['sshd', 'sudo', 'su', 'login', 'passwd', 'polkitd', 'polkit-agent-helper-1', 'systemd-logind', 'gdm-password', 'unix_chkpwd', 'chpasswd', 'useradd', 'usermod', 'userdel', 'groupadd', 'vsftpd', 'dropbear']);
const AUTH_TEXT =
  /\b(authenticat(?:e|ed|ion|ing)|pam_[a-z_]+|accepted (?:password|publickey|keyboard-interactive)|failed password|invalid user|session (?:opened|closed) for user|logged (?:in|out)|log(?:in|on) (?:failed|failure|succeeded|successful)|failed log(?:in|on)|sudo:|authorization failure|bad password|incorrect password)\b/i;

/** Process-lifecycle event names (kernel proc connector, auditd-like and EDR exports). */
export const PROCESS_EVENTS = new Set(['fork', 'exec', 'exit', 'uid', 'gid', 'sid', 'ptrace', 'comm', 'coredump', 'clone', 'spawn', 'execve', 'process_start', 'process_end', 'process_create', 'process_terminate', 'processcreate', 'processterminate']);

/** A write to a PLC / field device: a write verb together with a Modbus-style function code or protocol name. */
const ICS_WRITE_VERB = /\b(write|writes|wrote|written|writem|force|set_?(?:coil|register))\b|write_(?:single|multiple)_(?:coil|register)s?/i;
const ICS_PROTOCOL = /\bfc\s*[=:]\s*\d{1,2}\b|\bfunc(?:tion)?(?:\s*code)?\s*[=:]\s*\d{1,2}\b|\bmodbus\b|\bs7comm\b|\bdnp3\b|\biec[- ]?104\b|\benip\b|\bcip\b|write_(?:single|multiple)_(?:coil|register)s?/i;

export function isIcsWriteText(text: string): boolean {
  return ICS_WRITE_VERB.test(text) && ICS_PROTOCOL.test(text);
}

export function isAuthText(program: string | null, text: string): boolean {
  if (program !== null && AUTH_PROGRAMS.has(program.toLowerCase())) return true;
  return AUTH_TEXT.test(text);
}

export interface KindClues {
  severity: string | null;
  program: string | null;
  /** Message or the record's text, for keyword checks. */
  text: string;
  /** The record has a truthy "alarm" field. */
  alarmField?: boolean;
  /** The op names a process-lifecycle event and the record carries a pid. */
  processEvent?: boolean;
}

export function inferKind(clues: KindClues): { kind: EventKind; category: Category } {
  if (clues.processEvent) return { kind: 'process', category: 'process' };
  if (clues.alarmField || isAlarmSeverity(clues.severity)) return { kind: 'alarm', category: 'alarm' };
  if (isIcsWriteText(clues.text)) return { kind: 'ics', category: 'ics' };
  if (isAuthText(clues.program, clues.text)) return { kind: 'auth', category: 'auth' };
  return { kind: 'log', category: 'log' };
}

/** Category that goes with an analyst-given kind (--map kind=col). */
export function categoryForKind(kind: EventKind): Category {
  switch (kind) {
    case 'api':
      return 'other';
    case 'signal':
      return 'signal';
    default:
      return kind;
  }
}

const MAX_OP_WORDS = 5;
/** Words that say nothing at the end of a name ("requested by", "listening on"). */
const TRAILING_STOPWORDS = new Set(['by', 'from', 'to', 'on', 'at', 'for', 'of', 'with', 'after', 'in', 'the', 'a', 'an', 'and', 'or', 'via']);
/** Tokens: key='quoted value', key="quoted value", or runs of non-space. */
const TOKEN = /[A-Za-z_][\w.-]{0,30}=(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\S*|\S+/g;

/**
 * A short, stable name for a message so that similar lines group together: the bracketed
 * component, then the first words of the first clause, leaving out numbers, addresses,
 * paths and long values ("[plc] PLC comm lost: connection closed" → "plc: PLC comm lost";
 * "diagnostic ping requested by 127.0.0.1:59278" → "diagnostic ping requested").
 * Short codes right after a verb are kept ("WRITE fc=6 unit=1"); lines made only of
 * key=value pairs are named by their keys ("peer cmd").
 */
export function shortOp(message: string, component: string | null = null): string {
  const words: string[] = [];
  const keys: string[] = [];
  let plainSeen = false;
  for (const m of message.trim().matchAll(TOKEN)) {
    if (words.length >= MAX_OP_WORDS) break;
    const raw = m[0];
    const clauseEnd = /[:;]$/.test(raw);
    const token = raw.replace(/[,.!?:;]+$/, '');
    const kv = /^([A-Za-z_][\w.-]{0,30})=(.*)$/s.exec(token);
    if (kv && kv[1] !== undefined && kv[2] !== undefined) {
      keys.push(kv[1]);
      // Short codes (fc=6, unit=1, coil=3) say what happened; ids, counters, addresses and text do not.
      if (plainSeen && kv[1].length <= 5 && /^(\d{1,2}|[A-Za-z_]{1,12})$/.test(kv[2])) words.push(token);
    } else if (token !== '' && !/\d/.test(token) && !/[/\\'"`<>()[\]{}]/.test(token) && token.length <= 40) {
      plainSeen = true;
      words.push(token);
    }
    if (clauseEnd && words.length > 0) break;
  }
  while (words.length > 2 && TRAILING_STOPWORDS.has((words[words.length - 1] ?? '').toLowerCase())) words.pop();
  let op = words.join(' ');
  if (!plainSeen && keys.length > 0) op = keys.slice(0, 3).join(' ');
  if (op === '') op = message.trim().split(/\s+/)[0]?.slice(0, 40) ?? '';
  if (component !== null) op = op === '' ? component : `${component}: ${op}`;
  return op === '' ? 'message' : op;
}
