// Which Windows events Tracebench knows by name, and how each maps onto the canonical columns.
// Keyed by provider family and EventID. op names are Sysmon's own rule names and the usual
// names of Security audit events, shared across sources where the behaviour is the same
// (Sysmon 1 and Security 4688 are both ProcessCreate). docs/formats/windows-events.md lists them.
import type { Category, EventKind } from '../../model/event.ts';

export type EventData = Record<string, string>;

export interface EventSpec {
  op: string | ((d: EventData) => string);
  kind: EventKind | ((d: EventData) => EventKind);
  category: Category | ((d: EventData) => Category);
  target?: (d: EventData) => string | null;
  args?: (d: EventData) => string | null;
  ret?: (d: EventData) => string | null;
  error?: (d: EventData) => string | null;
  /** EventData names for pid / ppid / tid / the process image. */
  pid?: string;
  ppid?: string;
  tid?: string;
  image?: string;
}

export type ProviderFamily = 'sysmon' | 'security' | 'eventlog' | 'scm' | 'powershell' | 'kernel-general';

/** The first non-empty, non-"-" value among `names`. */
export function pick(d: EventData, ...names: string[]): string | null {
  for (const n of names) {
    const v = d[n];
    if (v !== undefined && v.trim() !== '' && v.trim() !== '-') return v;
  }
  return null;
}

/** "name=value" pairs for the names present, space-separated. */
export function pairs(d: EventData, ...names: string[]): string | null {
  const out = names.flatMap((n) => (pick(d, n) === null ? [] : [`${n}=${d[n]}`]));
  return out.length > 0 ? out.join(' ') : null;
}

export function endpoint(ip: string | null, port: string | null): string | null {
  if (ip === null) return null;
  const host = ip.includes(':') && !ip.startsWith('[') ? `[${ip}]` : ip;
  return port === null ? host : `${host}:${port}`;
}

function account(d: EventData, domainKey: string, userKey: string): string | null {
  const user = pick(d, userKey);
  if (user === null) return null;
  const domain = pick(d, domainKey);
  return domain === null ? user : `${domain}\\${user}`;
}

/** Windows status codes: "0x0" and "0" are success. */
function failureStatus(...values: (string | null)[]): string | null {
  for (const v of values) {
    if (v !== null && !/^(0x)?0+$/i.test(v.trim())) return v;
  }
  return null;
}

const file = (op: string, args?: (d: EventData) => string | null): EventSpec => ({
  op,
  kind: 'file',
  category: 'file',
  target: (d) => pick(d, 'TargetFilename'),
  ...(args ? { args } : {}),
  pid: 'ProcessId',
  image: 'Image',
});
const registry = (op: string | ((d: EventData) => string), args: (d: EventData) => string | null): EventSpec => ({
  op,
  kind: 'registry',
  category: 'registry',
  target: (d) => pick(d, 'TargetObject'),
  args,
  pid: 'ProcessId',
  image: 'Image',
});
const crossProcess = (op: string, category: Category, args: (d: EventData) => string | null): EventSpec => ({
  op,
  kind: 'process',
  category,
  target: (d) => pick(d, 'TargetImage'),
  args,
  pid: 'SourceProcessId',
  tid: 'SourceThreadId',
  image: 'SourceImage',
});
const systemLog = (op: string, target?: (d: EventData) => string | null, args?: (d: EventData) => string | null): EventSpec => ({
  op,
  kind: 'log',
  category: 'system',
  ...(target ? { target } : {}),
  ...(args ? { args } : {}),
});

const SYSMON: Record<number, EventSpec> = {
  1: { op: 'ProcessCreate', kind: 'process', category: 'process', target: (d) => pick(d, 'Image'), args: (d) => pick(d, 'CommandLine'), pid: 'ProcessId', ppid: 'ParentProcessId', image: 'Image' },
  2: file('FileCreateTime', (d) => pairs(d, 'CreationUtcTime', 'PreviousCreationUtcTime')),
  3: {
    op: 'NetworkConnect',
    kind: 'network',
    category: 'network',
    target: (d) => endpoint(pick(d, 'DestinationIp'), pick(d, 'DestinationPort')),
    args: (d) => pairs(d, 'Protocol', 'Initiated'),
    pid: 'ProcessId',
    image: 'Image',
  },
  4: systemLog('SysmonServiceStateChange', (d) => pick(d, 'State')),
  5: { op: 'ProcessTerminate', kind: 'process', category: 'process', target: (d) => pick(d, 'Image'), pid: 'ProcessId', image: 'Image' },
  6: { op: 'DriverLoad', kind: 'process', category: 'module', target: (d) => pick(d, 'ImageLoaded'), args: (d) => pairs(d, 'Signed', 'Signature') },
  7: { op: 'ImageLoad', kind: 'process', category: 'module', target: (d) => pick(d, 'ImageLoaded'), args: (d) => pairs(d, 'Signed', 'Signature'), pid: 'ProcessId', image: 'Image' },
  8: crossProcess('CreateRemoteThread', 'memory', (d) => pairs(d, 'StartAddress', 'StartModule', 'StartFunction')),
  9: { op: 'RawAccessRead', kind: 'file', category: 'device', target: (d) => pick(d, 'Device'), pid: 'ProcessId', image: 'Image' },
  10: crossProcess('ProcessAccess', 'memory', (d) => pairs(d, 'GrantedAccess')),
  11: file('FileCreate'),
  12: registry((d) => `Reg${pick(d, 'EventType') ?? 'CreateOrDeleteObject'}`, (d) => pick(d, 'Details')),
  13: registry((d) => `Reg${pick(d, 'EventType') ?? 'SetValue'}`, (d) => pick(d, 'Details')),
  14: registry((d) => `Reg${pick(d, 'EventType') ?? 'RenameKey'}`, (d) => pairs(d, 'NewName')),
  15: file('FileCreateStreamHash', (d) => pick(d, 'Hash')),
  16: systemLog('SysmonConfigChange', (d) => pick(d, 'Configuration'), (d) => pick(d, 'ConfigurationFileHash')),
  17: { op: 'PipeCreated', kind: 'file', category: 'ipc', target: (d) => pick(d, 'PipeName'), pid: 'ProcessId', image: 'Image' },
  18: { op: 'PipeConnected', kind: 'file', category: 'ipc', target: (d) => pick(d, 'PipeName'), pid: 'ProcessId', image: 'Image' },
  19: systemLog('WmiEventFilter', (d) => pick(d, 'Name'), (d) => pick(d, 'Query')),
  20: systemLog('WmiEventConsumer', (d) => pick(d, 'Name'), (d) => pick(d, 'Destination')),
  21: systemLog('WmiEventConsumerToFilter', (d) => pick(d, 'Consumer'), (d) => pick(d, 'Filter')),
  22: {
    op: 'DnsQuery',
    kind: 'network',
    category: 'network',
    target: (d) => pick(d, 'QueryName'),
    args: (d) => pick(d, 'QueryResults'),
    ret: (d) => pick(d, 'QueryStatus'),
    error: (d) => failureStatus(pick(d, 'QueryStatus')),
    pid: 'ProcessId',
    image: 'Image',
  },
  23: file('FileDelete', (d) => pairs(d, 'Archived')),
  24: { op: 'ClipboardChange', kind: 'process', category: 'ipc', args: (d) => pairs(d, 'Hashes'), pid: 'ProcessId', image: 'Image' },
  25: { op: 'ProcessTampering', kind: 'process', category: 'memory', target: (d) => pick(d, 'Image'), args: (d) => pairs(d, 'Type'), pid: 'ProcessId', image: 'Image' },
  26: file('FileDeleteDetected'),
  27: file('FileBlockExecutable'),
  28: file('FileBlockShredding'),
  29: file('FileExecutableDetected'),
  255: { op: 'SysmonError', kind: 'log', category: 'log', args: (d) => pick(d, 'Description') },
};

const logon = (op: string, category: Category = 'auth'): EventSpec => ({
  op,
  kind: 'auth',
  category,
  target: (d) => account(d, 'TargetDomainName', 'TargetUserName'),
  args: (d) => pairs(d, 'LogonType', 'IpAddress', 'IpPort', 'WorkstationName', 'TargetServerName', 'AuthenticationPackageName'),
  error: (d) => failureStatus(pick(d, 'SubStatus'), pick(d, 'Status')),
  pid: 'ProcessId',
  image: 'ProcessName',
});
const accountChange = (op: string): EventSpec => ({
  op,
  kind: 'auth',
  category: 'auth',
  target: (d) => account(d, 'TargetDomainName', 'TargetUserName'),
  args: (d) => pairs(d, 'MemberName', 'MemberSid', 'SubjectUserName'),
});
const objectAccess = (op: string): EventSpec => ({
  op,
  kind: (d) => (/key/i.test(d['ObjectType'] ?? '') ? 'registry' : 'file'),
  category: (d) => (/key/i.test(d['ObjectType'] ?? '') ? 'registry' : 'file'),
  target: (d) => pick(d, 'ObjectName'),
  args: (d) => pairs(d, 'AccessMask', 'AccessList', 'ObjectType'),
  pid: 'ProcessId',
  image: 'ProcessName',
});
const wfp = (op: string, targetIp: string, targetPort: string, error?: string): EventSpec => ({
  op,
  kind: 'network',
  category: 'network',
  target: (d) => endpoint(pick(d, targetIp), pick(d, targetPort)),
  args: (d) => pairs(d, 'Direction', 'Protocol', 'SourceAddress', 'SourcePort'),
  ...(error ? { error: () => error } : {}),
  pid: 'ProcessID',
  image: 'Application',
});
const serviceInstall = (nameKey: string, pathKey: string): EventSpec => ({
  op: 'ServiceInstall',
  kind: 'process',
  category: 'system',
  target: (d) => pick(d, nameKey),
  args: (d) => pick(d, pathKey),
});

const SECURITY: Record<number, EventSpec> = {
  1100: systemLog('EventLogShutdown'),
  1102: { op: 'LogCleared', kind: 'log', category: 'log', target: () => 'Security', args: (d) => account(d, 'SubjectDomainName', 'SubjectUserName') },
  4616: { op: 'SystemTimeChanged', kind: 'log', category: 'time', args: (d) => pairs(d, 'PreviousTime', 'NewTime'), pid: 'ProcessId', image: 'ProcessName' },
  4624: logon('Logon'),
  4625: logon('LogonFailed'),
  4634: logon('Logoff'),
  4647: logon('UserInitiatedLogoff'),
  4648: logon('ExplicitCredentialLogon', 'credential'),
  4656: objectAccess('HandleRequested'),
  4657: {
    op: 'RegistryValueModified',
    kind: 'registry',
    category: 'registry',
    target: (d) => [pick(d, 'ObjectName'), pick(d, 'ObjectValueName')].filter((v) => v !== null).join('\\') || null,
    args: (d) => pairs(d, 'OperationType', 'NewValue'),
    pid: 'ProcessId',
    image: 'ProcessName',
  },
  4660: objectAccess('ObjectDeleted'),
  4663: objectAccess('ObjectAccess'),
  4672: { op: 'SpecialPrivilegesAssigned', kind: 'auth', category: 'auth', target: (d) => account(d, 'SubjectDomainName', 'SubjectUserName'), args: (d) => pick(d, 'PrivilegeList') },
  4688: {
    op: 'ProcessCreate',
    kind: 'process',
    category: 'process',
    target: (d) => pick(d, 'NewProcessName'),
    args: (d) => pick(d, 'CommandLine'),
    pid: 'NewProcessId',
    ppid: 'ProcessId',
    image: 'NewProcessName',
  },
  4689: { op: 'ProcessExit', kind: 'process', category: 'process', target: (d) => pick(d, 'ProcessName'), ret: (d) => pick(d, 'Status'), pid: 'ProcessId', image: 'ProcessName' },
  4697: serviceInstall('ServiceName', 'ServiceFileName'),
  4698: systemLog('ScheduledTaskCreated', (d) => pick(d, 'TaskName')),
  4702: systemLog('ScheduledTaskUpdated', (d) => pick(d, 'TaskName')),
  4720: accountChange('UserCreated'),
  4722: accountChange('UserEnabled'),
  4724: accountChange('PasswordReset'),
  4726: accountChange('UserDeleted'),
  4728: accountChange('GroupMemberAdded'),
  4732: accountChange('GroupMemberAdded'),
  4756: accountChange('GroupMemberAdded'),
  4738: accountChange('UserChanged'),
  4740: accountChange('UserLockedOut'),
  4768: logon('KerberosTgtRequest', 'credential'),
  4769: logon('KerberosServiceTicket', 'credential'),
  4771: logon('KerberosPreauthFailed', 'credential'),
  4776: logon('CredentialValidation', 'credential'),
  5140: { op: 'ShareAccess', kind: 'network', category: 'file', target: (d) => pick(d, 'ShareName'), args: (d) => pairs(d, 'IpAddress', 'AccessMask') },
  5145: {
    op: 'ShareObjectAccess',
    kind: 'network',
    category: 'file',
    target: (d) => [pick(d, 'ShareName'), pick(d, 'RelativeTargetName')].filter((v) => v !== null).join('\\') || null,
    args: (d) => pairs(d, 'IpAddress', 'AccessMask'),
  },
  5154: wfp('WfpListenPermitted', 'SourceAddress', 'SourcePort'),
  5156: wfp('WfpConnectionPermitted', 'DestAddress', 'DestPort'),
  5157: wfp('WfpConnectionBlocked', 'DestAddress', 'DestPort', 'blocked'),
  5158: wfp('WfpBindPermitted', 'SourceAddress', 'SourcePort'),
};

const EVENTLOG: Record<number, EventSpec> = {
  104: { op: 'LogCleared', kind: 'log', category: 'log', target: (d) => pick(d, 'Channel'), args: (d) => account(d, 'SubjectDomainName', 'SubjectUserName') },
  1100: systemLog('EventLogShutdown'),
  1102: SECURITY[1102] as EventSpec,
};

const SCM: Record<number, EventSpec> = {
  7045: serviceInstall('ServiceName', 'ImagePath'),
  7036: systemLog('ServiceStateChange', (d) => pick(d, 'param1'), (d) => pick(d, 'param2')),
  7040: systemLog('ServiceStartTypeChange', (d) => pick(d, 'param1'), (d) => pairs(d, 'param2', 'param3')),
};

const POWERSHELL: Record<number, EventSpec> = {
  4103: { op: 'PowerShellPipeline', kind: 'process', category: 'process', args: (d) => pick(d, 'Payload', 'ContextInfo') },
  4104: { op: 'PowerShellScriptBlock', kind: 'process', category: 'process', target: (d) => pick(d, 'Path'), args: (d) => pick(d, 'ScriptBlockText') },
};

const KERNEL_GENERAL: Record<number, EventSpec> = {
  1: { op: 'SystemTimeChanged', kind: 'log', category: 'time', args: (d) => pairs(d, 'OldTime', 'NewTime', 'Reason') },
  12: systemLog('OsStart'),
  13: systemLog('OsShutdown'),
};

const CATALOG: Record<ProviderFamily, Record<number, EventSpec>> = {
  sysmon: SYSMON,
  security: SECURITY,
  eventlog: EVENTLOG,
  scm: SCM,
  powershell: POWERSHELL,
  'kernel-general': KERNEL_GENERAL,
};

/** Provider (or, when the provider is missing, channel) → the family whose catalog applies. */
export function providerFamily(provider: string | null, channel: string | null): ProviderFamily | null {
  const p = (provider ?? '').toLowerCase();
  const c = (channel ?? '').toLowerCase();
  if (p.includes('sysmon') || c.startsWith('microsoft-windows-sysmon')) return 'sysmon';
  if (p === 'microsoft-windows-eventlog' || p === 'eventlog') return 'eventlog';
  if (p.includes('security-auditing') || (p === '' && c === 'security')) return 'security';
  if (p.includes('service control manager')) return 'scm';
  if (p.includes('powershell')) return 'powershell';
  if (p === 'microsoft-windows-kernel-general') return 'kernel-general';
  return null;
}

export function lookupSpec(family: ProviderFamily | null, eventId: number): EventSpec | undefined {
  return family === null ? undefined : CATALOG[family][eventId];
}
