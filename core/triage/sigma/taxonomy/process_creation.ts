// category: process_creation — a new process and its command line, from every importer that
// records one: Sysmon 1 (Windows and Linux), Security 4688, Procmon "Process Create", and the
// execve calls of syscall tracers and auditd.
import { sql } from '../../../store/sql.ts';
import {
  col, PROCMON_FORMATS, PROCMON_IMAGE, procmonOps, SECURITY_AUDITING, src, SYSMON_LINUX, SYSMON_WINDOWS, TRACE_FORMATS,
  WINDOWS_EVENT_FORMATS, windowsEvents, type Binding,
} from './types.ts';

/**
 * argv as one command line. strace/frida write the execve arguments as
 * `"/bin/sh", ["sh", "-c", "id"], 0x7ff… /* 7 vars *\/`: the quoted items of the list, joined by
 * spaces. auditd (and importers that already joined argv) leave a plain command line.
 */
export const EXECVE_COMMAND_LINE = col(
  `CASE WHEN regexp_matches(e.args, '^"(?:[^"\\\\]|\\\\.)*",\\s*\\[')
     THEN array_to_string(regexp_extract_all(regexp_extract(e.args, '\\[(.*)\\]', 1), '"((?:[^"\\\\]|\\\\.)*)"', 1), ' ')
     ELSE e.args END`,
);

/** Sysmon's process_creation fields are its EventData names; read generically. */
const sysmon1 = (product: 'windows' | 'linux'): Binding => ({
  source: product === 'windows' ? 'Sysmon 1' : 'Sysmon for Linux 1',
  formats: product === 'windows' ? WINDOWS_EVENT_FORMATS : ['evtx', 'winevent-xml', 'winevent-jsonl', 'textlog', 'jsonl'],
  when: windowsEvents(product === 'windows' ? SYSMON_WINDOWS : SYSMON_LINUX, [1]),
  fields: {},
  generic: true,
});

/** Security 4688 names the new process NewProcessName and its creator ProcessName (pySigma's windows-audit mapping). */
const security4688: Binding = {
  source: 'Security 4688',
  formats: WINDOWS_EVENT_FORMATS,
  when: windowsEvents(SECURITY_AUDITING, [4688]),
  fields: {
    Image: src('NewProcessName'),
    ParentImage: src('ParentProcessName'),
    ProcessId: src('NewProcessId'),
    ParentProcessId: src('ProcessId'),
    User: src('SubjectUserName'),
    LogonId: src('SubjectLogonId'),
    IntegrityLevel: src('MandatoryLabel'),
    CommandLine: src('CommandLine'),
  },
  generic: true,
};

/** Procmon's Process Create row is written by the parent: Path is the child, Detail holds its command line. */
const procmonCreate: Binding = {
  source: 'Procmon Process Create',
  formats: PROCMON_FORMATS,
  when: procmonOps(['Process Create']),
  fields: {
    Image: col('e.target'),
    CommandLine: col("nullif(regexp_extract(e.args, 'Command line: (.*)$', 1), '')"),
    ProcessId: src('child_pid'),
    ParentImage: PROCMON_IMAGE,
    ParentCommandLine: src('command_line'),
    ParentProcessId: col('e.pid'),
    User: src('user'),
    IntegrityLevel: src('integrity'),
  },
};

/** A successful execve of a traced process (failed attempts along $PATH start nothing). */
const execve: Binding = {
  source: 'execve (strace, ltrace, frida-trace, auditd)',
  formats: TRACE_FORMATS,
  when: sql`(e.op IN ('execve', 'execveat') AND e.error IS NULL)`,
  fields: {
    Image: col('e.target'),
    CommandLine: EXECVE_COMMAND_LINE,
    ParentImage: col('p.parent_image'),
    ProcessId: col('e.pid'),
    ParentProcessId: col('coalesce(e.ppid, p.parent_pid)'),
    CurrentDirectory: src('cwd'),
    User: src('uid'),
    LogonId: src('ses'),
  },
};

export function processCreation(product: string | undefined): Binding[] {
  if (product === 'windows') return [sysmon1('windows'), security4688, procmonCreate];
  if (product === 'linux') return [sysmon1('linux'), execve];
  return [sysmon1('windows'), security4688, procmonCreate, sysmon1('linux'), execve];
}
