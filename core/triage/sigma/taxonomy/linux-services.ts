// logsource {product: linux} with a service, or with neither service nor category (SigmaHQ's
// "builtin" keyword rules): text logs — syslog and the programs writing into it (cron, sshd,
// sudo, auth …). Never a system/library call trace: a cron keyword must not match ltrace text,
// nor an ld.so.preload keyword the loader's access() at every process start.
import { sql, type Sql } from '../../../store/sql.ts';
import { col, oneOf, src, type Binding } from './types.ts';

/** Formats whose events are lines of a text log. */
const TEXT_LOG_FORMATS = ['textlog', 'jsonl', 'csv'] as const;

/** An event read from a text log (not a trace, not a network record). */
const TEXT_LOG_EVENT = col("e.kind IN ('log', 'auth', 'alarm')");

/** Programs (syslog tags) each service's records carry. */
export const LINUX_SERVICE_PROGRAMS: Record<string, string[]> = {
  cron: ['cron', 'crond', 'anacron', 'CRON', 'crontab'],
  sshd: ['sshd', 'sshd-session'],
  sudo: ['sudo'],
  su: ['su'],
  auth: ['sshd', 'sshd-session', 'sudo', 'su', 'login', 'systemd-logind', 'polkitd', 'passwd', 'chpasswd', 'useradd', 'usermod', 'groupadd', 'unix_chkpwd', 'gdm-password', 'chage', 'userdel'],
  clamav: ['clamd', 'freshclam', 'clamav'],
  vsftpd: ['vsftpd'],
  guacamole: ['guacd', 'guacamole'],
  syslog: [],
};

/** The message text searched by keyword rules over text logs. */
export const LOG_TEXT = col("concat_ws(' ', e.process, e.op, e.args)");

const LOG_FIELDS: Record<string, Sql> = {
  // Syslog's own fields (pySigma's linux pipeline reads these).
  message: col('e.args'),
  msg: col('e.args'),
  host: col('e.host'),
  hostname: col('e.host'),
  program: col('e.process'),
  process: col('e.process'),
  pid: col('e.pid'),
  facility: src('facility'),
  severity: src('severity'),
};

export function linuxTextLog(service: string | undefined): Binding {
  const programs = service === undefined ? [] : (LINUX_SERVICE_PROGRAMS[service.toLowerCase()] ?? [service]);
  const when =
    programs.length === 0
      ? TEXT_LOG_EVENT
      : sql`(${TEXT_LOG_EVENT} AND (${oneOf(col('lower(e.process)'), programs.map((p) => p.toLowerCase()))}${service === 'auth' ? sql` OR e.kind = 'auth'` : sql``}))`;
  return { source: `text log${service ? ` (${service})` : ''}`, formats: TEXT_LOG_FORMATS, when, fields: LOG_FIELDS, keywordText: LOG_TEXT };
}
