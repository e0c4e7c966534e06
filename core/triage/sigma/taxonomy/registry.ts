// category: registry_add / registry_delete / registry_set / registry_rename / registry_event —
// Sysmon 12/13/14 (generic EventData), Procmon Reg* rows and Security 4657.
import { sql } from '../../../store/sql.ts';
import { col, PROCMON_FORMATS, PROCMON_IMAGE, procmonOps, SECURITY_AUDITING, src, WINDOWS_EVENT_FORMATS, windowsEvents, type Binding } from './types.ts';

/** Which Sysmon EventType values (12/13/14) each registry category keeps. */
export const SYSMON_REGISTRY_EVENT_TYPES: Record<string, string[] | null> = {
  registry_add: ['CreateKey'],
  registry_delete: ['DeleteKey', 'DeleteValue'],
  registry_set: null,
  registry_rename: null,
  registry_event: null,
};

const PROCMON_OPS: Record<string, string[]> = {
  registry_add: ['RegCreateKey'],
  registry_delete: ['RegDeleteKey', 'RegDeleteValue'],
  registry_set: ['RegSetValue'],
  registry_rename: ['RegRenameKey'],
  registry_event: ['RegCreateKey', 'RegDeleteKey', 'RegDeleteValue', 'RegSetValue', 'RegRenameKey'],
};

const PROCMON_EVENT_TYPE = col(
  "CASE e.op WHEN 'RegCreateKey' THEN 'CreateKey' WHEN 'RegDeleteKey' THEN 'DeleteKey' WHEN 'RegDeleteValue' THEN 'DeleteValue' WHEN 'RegSetValue' THEN 'SetValue' WHEN 'RegRenameKey' THEN 'RenameKey' END",
);

function procmonRegistry(category: string): Binding | null {
  const ops = PROCMON_OPS[category];
  if (!ops) return null;
  return {
    source: `Procmon ${ops.join('/')}`,
    formats: PROCMON_FORMATS,
    when: sql`(${procmonOps(ops)} AND e.error IS NULL)`,
    fields: {
      TargetObject: col('e.target'),
      // Procmon writes "Type: REG_SZ, Length: 20, Data: value".
      Details: col("nullif(regexp_extract(e.args, 'Data: (.*)$', 1), '')"),
      EventType: PROCMON_EVENT_TYPE,
      Image: PROCMON_IMAGE,
      ProcessId: col('e.pid'),
      User: src('user'),
    },
  };
}

/** Security 4657 "A registry value was modified" (needs SACLs on the key). */
const security4657: Binding = {
  source: 'Security 4657',
  formats: WINDOWS_EVENT_FORMATS,
  when: windowsEvents(SECURITY_AUDITING, [4657]),
  fields: {
    TargetObject: sql`concat_ws('\\', ${src('ObjectName')}, ${src('ObjectValueName')})`,
    Details: src('NewValue'),
    Image: src('ProcessName'),
    ProcessId: src('ProcessId'),
    EventType: col("'SetValue'"),
    User: src('SubjectUserName'),
  },
  generic: true,
};

export function registryBindings(category: string): Binding[] {
  const out: Binding[] = [];
  const procmon = procmonRegistry(category);
  if (procmon) out.push(procmon);
  if (category === 'registry_set' || category === 'registry_event') out.push(security4657);
  return out;
}
