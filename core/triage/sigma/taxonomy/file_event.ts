// category: file_event (a file created or overwritten) and its siblings file_access / file_delete /
// file_rename, from Sysmon, Procmon and syscall tracers. A file *read* or *probe* (the loader's
// access("/etc/ld.so.preload") at every process start) is not a file_event.
import { sql } from '../../../store/sql.ts';
import { ACTING_IMAGE, col, PROCMON_FORMATS, PROCMON_IMAGE, procmonOps, TRACE_FORMATS, WINDOWS_EVENT_FORMATS, windowsProvider, type Binding } from './types.ts';

const procmonFileFields = { TargetFilename: col('e.target'), FileName: col('e.target'), Image: PROCMON_IMAGE, ProcessId: col('e.pid'), User: col(`json_extract_string(e.fields, '$."user"')`) };
const traceFileFields = { TargetFilename: col('e.target'), Image: ACTING_IMAGE, ProcessId: col('e.pid') };

/** Procmon CreateFile that creates or replaces (its Detail names the disposition). */
const procmonCreate: Binding = {
  source: 'Procmon CreateFile (create/overwrite)',
  formats: PROCMON_FORMATS,
  when: sql`(${procmonOps(['CreateFile'])} AND e.error IS NULL AND regexp_matches(e.args, 'Disposition: (Create|OverwriteIf|Overwrite|Supersede|OpenIf)'))`,
  fields: procmonFileFields,
};

/**
 * Syscalls that create a file: creat, open/openat with O_CREAT, and auditd events whose PATH
 * record says nametype=CREATE. Successful calls only.
 */
const traceCreate: Binding = {
  source: 'open(O_CREAT)/creat (strace, ltrace, frida-trace, auditd)',
  formats: TRACE_FORMATS,
  when: sql`(e.error IS NULL AND e.target IS NOT NULL AND (
    e.op IN ('creat', 'mknod', 'mknodat')
    OR (e.op IN ('open', 'open64', 'openat', 'openat2', 'fopen', 'fopen64') AND (e.args LIKE '%O_CREAT%' OR e.args LIKE '%"w%' OR e.args LIKE '%"a%'))
    OR json_extract_string(e.fields, '$."audit_records"') LIKE '%"nametype":"CREATE"%'))`,
  fields: traceFileFields,
};

const procmonDelete: Binding = {
  source: 'Procmon delete',
  formats: PROCMON_FORMATS,
  when: sql`(${procmonOps(['SetDispositionInformationFile', 'SetDispositionInformationEx'])} AND e.args ILIKE '%Delete: True%')`,
  fields: procmonFileFields,
};

const traceDelete: Binding = {
  source: 'unlink (strace, ltrace, frida-trace, auditd)',
  formats: TRACE_FORMATS,
  when: sql`(e.error IS NULL AND e.op IN ('unlink', 'unlinkat', 'rmdir', 'remove'))`,
  fields: traceFileFields,
};

const procmonAccess: Binding = { source: 'Procmon CreateFile', formats: PROCMON_FORMATS, when: procmonOps(['CreateFile']), fields: procmonFileFields };

/** Procmon's rename: Path is the old name, Detail ends with "FileName: <new name>". */
const procmonRename: Binding = {
  source: 'Procmon SetRenameInformationFile',
  formats: PROCMON_FORMATS,
  when: sql`(${procmonOps(['SetRenameInformationFile', 'SetRenameInformationEx'])} AND e.error IS NULL)`,
  fields: { ...procmonFileFields, SourceFilename: col('e.target'), TargetFilename: col("nullif(regexp_extract(e.args, 'FileName: (.*)$', 1), '')") },
};

/** Kernel-File ETW events exported to an event log (FileName, Image as EventData). */
const kernelFile: Binding = {
  source: 'Microsoft-Windows-Kernel-File',
  formats: WINDOWS_EVENT_FORMATS,
  when: windowsProvider('Microsoft-Windows-Kernel-File'),
  fields: {},
  generic: true,
};

const traceRename: Binding = {
  source: 'rename (strace, ltrace, frida-trace, auditd)',
  formats: TRACE_FORMATS,
  when: sql`(e.error IS NULL AND e.op IN ('rename', 'renameat', 'renameat2'))`,
  fields: traceFileFields,
};

export function fileBindings(category: string, product: string | undefined): Binding[] {
  const windows = product !== 'linux';
  const linux = product !== 'windows';
  const pick = (w: Binding[], l: Binding[]): Binding[] => [...(windows ? w : []), ...(linux ? l : [])];
  switch (category) {
    case 'file_event':
      return pick([procmonCreate], [traceCreate]);
    case 'file_delete':
      return pick([procmonDelete], [traceDelete]);
    case 'file_access':
      return pick([procmonAccess, kernelFile], []);
    case 'file_rename':
      return pick([procmonRename], [traceRename]);
    default:
      return [];
  }
}
