// PowerShell categories: ps_script (4104 script blocks), ps_module (4103 pipeline execution),
// and the classic "Windows PowerShell" channel's ps_classic_start (400), ps_classic_provider_start
// (600) and ps_classic_script (800). Field names are the EventData names; the classic events
// keep theirs inside the rendered Data text, so HostApplication & co. are also read from it.
import { sql, type Sql } from '../../../store/sql.ts';
import { src, WINDOWS_EVENT_FORMATS, windowsEvents, type Binding } from './types.ts';

const PS_OPERATIONAL = 'Microsoft-Windows-PowerShell';

/** Classic events write "HostApplication=…\r\n\tEngineVersion=…" into one Data string. */
function classicDataField(name: string): Sql {
  return sql`nullif(regexp_extract(coalesce(${src('Data')}, ${src('Message')}, ''), ${`${name}=([^\\r\\n\\t]*)`}, 1), '')`;
}

function classic(eventId: number): Binding {
  return {
    source: `Windows PowerShell ${eventId}`,
    formats: WINDOWS_EVENT_FORMATS,
    when: sql`(contains(e.fields, 'Windows PowerShell') AND ${src('Channel')} = 'Windows PowerShell' AND ${src('EventID')} = ${String(eventId)})`,
    fields: {
      Data: sql`coalesce(${src('Data')}, ${src('Message')})`,
      HostApplication: classicDataField('HostApplication'),
      HostName: classicDataField('HostName'),
      HostVersion: classicDataField('HostVersion'),
      EngineVersion: classicDataField('EngineVersion'),
      ProviderName: classicDataField('ProviderName'),
      CommandLine: classicDataField('CommandLine'),
      ScriptName: classicDataField('ScriptName'),
    },
    generic: true,
  };
}

export function powershellBindings(category: string): Binding[] {
  switch (category) {
    case 'ps_script':
      return [{ source: 'PowerShell 4104', formats: WINDOWS_EVENT_FORMATS, when: windowsEvents(PS_OPERATIONAL, [4104]), fields: {}, generic: true }];
    case 'ps_module':
      return [{ source: 'PowerShell 4103', formats: WINDOWS_EVENT_FORMATS, when: windowsEvents(PS_OPERATIONAL, [4103]), fields: {}, generic: true }];
    case 'ps_classic_start':
      return [classic(400)];
    case 'ps_classic_provider_start':
      return [classic(600)];
    case 'ps_classic_script':
      return [classic(800)];
    default:
      return [];
  }
}
