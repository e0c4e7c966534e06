// Numeric operation and result codes of the PML format, turned into the names Procmon itself
// shows (and writes into its CSV export), so PML and CSV imports of one capture agree.
import type { ProcmonEventClass } from '../procmon-ops.ts';

export const PML_EVENT_CLASSES: Record<number, ProcmonEventClass> = {
  1: 'Process',
  2: 'Registry',
  3: 'File System',
  4: 'Profiling',
  5: 'Network',
};

const PROCESS_OPS = [
  'Process Defined',
  'Process Create',
  'Process Exit',
  'Thread Create',
  'Thread Exit',
  'Load Image',
  'Thread Profile',
  'Process Start',
  'Process Statistics',
  'System Statistics',
];

const REGISTRY_OPS = [
  'RegOpenKey',
  'RegCreateKey',
  'RegCloseKey',
  'RegQueryKey',
  'RegSetValue',
  'RegQueryValue',
  'RegEnumValue',
  'RegEnumKey',
  'RegSetInfoKey',
  'RegDeleteKey',
  'RegDeleteValue',
  'RegFlushKey',
  'RegLoadKey',
  'RegUnloadKey',
  'RegRenameKey',
  'RegQueryMultipleValueKey',
  'RegSetKeySecurity',
  'RegQueryKeySecurity',
];

/** The protocol ("TCP"/"UDP") is prefixed from the event's flags. */
const NETWORK_OPS = ['Unknown', 'Other', 'Send', 'Receive', 'Accept', 'Connect', 'Disconnect', 'Reconnect', 'Retransmit', 'TCPCopy'];

const PROFILING_OPS = ['Thread Profiling', 'Process Profiling', 'Debug Output Profiling'];

/** IRP major functions and FastIO callbacks, indexed by the PML operation number. */
const FILE_OPS = [
  'VolumeDismount', 'VolumeMount', 'FASTIO_MDL_WRITE_COMPLETE', 'WriteFile', 'FASTIO_MDL_READ_COMPLETE',
  'ReadFile', 'QueryOpen', 'FASTIO_CHECK_IF_POSSIBLE', 'IRP_MJ_12', 'IRP_MJ_11', 'IRP_MJ_10', 'IRP_MJ_9',
  'IRP_MJ_8', 'FASTIO_NOTIFY_STREAM_FO_CREATION', 'FASTIO_RELEASE_FOR_CC_FLUSH', 'FASTIO_ACQUIRE_FOR_CC_FLUSH',
  'FASTIO_RELEASE_FOR_MOD_WRITE', 'FASTIO_ACQUIRE_FOR_MOD_WRITE', 'FASTIO_RELEASE_FOR_SECTION_SYNCHRONIZATION',
  'CreateFileMapping', 'CreateFile', 'CreatePipe', 'IRP_MJ_CLOSE', 'ReadFile', 'WriteFile',
  'QueryInformationFile', 'SetInformationFile', 'QueryEAFile', 'SetEAFile', 'FlushBuffersFile',
  'QueryVolumeInformation', 'SetVolumeInformation', 'DirectoryControl', 'FileSystemControl', 'DeviceIoControl',
  'InternalDeviceIoControl', 'Shutdown', 'LockUnlockFile', 'CloseFile', 'CreateMailSlot', 'QuerySecurityFile',
  'SetSecurityFile', 'Power', 'SystemControl', 'DeviceChange', 'QueryFileQuota', 'SetFileQuota', 'PlugAndPlay',
];

/** Minor codes that give several file operations their displayed name. */
const FILE_SUB_OPS: Record<string, Record<number, string>> = {
  QueryVolumeInformation: {
    1: 'QueryInformationVolume', 2: 'QueryLabelInformationVolume', 3: 'QuerySizeInformationVolume',
    4: 'QueryDeviceInformationVolume', 5: 'QueryAttributeInformationVolume', 6: 'QueryControlInformationVolume',
    7: 'QueryFullSizeInformationVolume', 8: 'QueryObjectIdInformationVolume',
  },
  SetVolumeInformation: { 1: 'SetControlInformationVolume', 2: 'SetLabelInformationVolume', 8: 'SetObjectIdInformationVolume' },
  QueryInformationFile: {
    0x04: 'QueryBasicInformationFile', 0x05: 'QueryStandardInformationFile', 0x06: 'QueryFileInternalInformationFile',
    0x07: 'QueryEaInformationFile', 0x09: 'QueryNameInformationFile', 0x0e: 'QueryPositionInformationFile',
    0x12: 'QueryAllInformationFile', 0x14: 'QueryEndOfFile', 0x16: 'QueryStreamInformationFile',
    0x1c: 'QueryCompressionInformationFile', 0x1d: 'QueryId', 0x1f: 'QueryMoveClusterInformationFile',
    0x22: 'QueryNetworkOpenInformationFile', 0x23: 'QueryAttributeTagFile', 0x25: 'QueryIdBothDirectory',
    0x27: 'QueryValidDataLength', 0x28: 'QueryShortNameInformationFile', 0x2b: 'QueryIoPiorityHint',
    0x2e: 'QueryLinks', 0x30: 'QueryNormalizedNameInformationFile', 0x31: 'QueryNetworkPhysicalNameInformationFile',
    0x32: 'QueryIdGlobalTxDirectoryInformation', 0x33: 'QueryIsRemoteDeviceInformation',
    0x34: 'QueryAttributeCacheInformation', 0x35: 'QueryNumaNodeInformation', 0x36: 'QueryStandardLinkInformation',
    0x37: 'QueryRemoteProtocolInformation', 0x38: 'QueryRenameInformationBypassAccessCheck',
    0x39: 'QueryLinkInformationBypassAccessCheck', 0x3a: 'QueryVolumeNameInformation', 0x3b: 'QueryIdInformation',
    0x3c: 'QueryIdExtdDirectoryInformation', 0x3e: 'QueryHardLinkFullIdInformation',
    0x3f: 'QueryIdExtdBothDirectoryInformation', 0x43: 'QueryDesiredStorageClassInformation',
    0x44: 'QueryStatInformation', 0x45: 'QueryMemoryPartitionInformation',
  },
  SetInformationFile: {
    0x04: 'SetBasicInformationFile', 0x0a: 'SetRenameInformationFile', 0x0b: 'SetLinkInformationFile',
    0x0d: 'SetDispositionInformationFile', 0x0e: 'SetPositionInformationFile', 0x13: 'SetAllocationInformationFile',
    0x14: 'SetEndOfFileInformationFile', 0x16: 'SetFileStreamInformation', 0x17: 'SetPipeInformation',
    0x27: 'SetValidDataLengthInformationFile', 0x28: 'SetShortNameInformation',
    0x3d: 'SetReplaceCompletionInformation', 0x40: 'SetDispositionInformationEx', 0x41: 'SetRenameInformationEx',
    0x42: 'SetRenameInformationExBypassAccessCheck',
  },
  DirectoryControl: { 1: 'QueryDirectory', 2: 'NotifyChangeDirectory' },
  LockUnlockFile: { 1: 'LockFile', 2: 'UnlockFileSingle', 3: 'UnlockFileAll', 4: 'UnlockFileByKey' },
  PlugAndPlay: {
    0x00: 'StartDevice', 0x01: 'QueryRemoveDevice', 0x02: 'RemoveDevice', 0x03: 'CancelRemoveDevice',
    0x04: 'StopDevice', 0x05: 'QueryStopDevice', 0x06: 'CancelStopDevice', 0x07: 'QueryDeviceRelations',
    0x08: 'QueryInterface', 0x09: 'QueryCapabilities', 0x0a: 'QueryResources', 0x0b: 'QueryResourceRequirements',
    0x0c: 'QueryDeviceText', 0x0d: 'FilterResourceRequirements', 0x0f: 'ReadConfig', 0x10: 'WriteConfig',
    0x11: 'Eject', 0x12: 'SetLock', 0x13: 'QueryId2', 0x14: 'QueryPnpDeviceState', 0x15: 'QueryBusInformation',
    0x16: 'DeviceUsageNotification', 0x17: 'SurpriseRemoval', 0x18: 'QueryLegacyBusInformation',
  },
};

/** Displayed operation name for (class, operation number), or null when the number is unknown. */
export function pmlOperationName(eventClass: ProcmonEventClass, op: number): string | null {
  const table =
    eventClass === 'Process' ? PROCESS_OPS
    : eventClass === 'Registry' ? REGISTRY_OPS
    : eventClass === 'Network' ? NETWORK_OPS
    : eventClass === 'Profiling' ? PROFILING_OPS
    : FILE_OPS;
  return table[op] ?? null;
}

/** The more specific name a file operation gets from its minor code (0 = none). */
export function pmlFileSubOperation(op: string, subOp: number): string {
  const table = FILE_SUB_OPS[op];
  if (!table || subOp === 0) return op;
  return table[subOp] ?? `${op} <Unknown>`;
}

/**
 * NTSTATUS → Procmon's result text: the status name without "STATUS_" (and without "OBJECT_"
 * for the name/path family), underscores as spaces. Unknown codes print as hex, as Procmon does.
 */
const RESULTS: Record<number, string> = {
  0x0: 'SUCCESS', 0x103: '', 0x104: 'REPARSE', 0x105: 'MORE ENTRIES', 0x108: 'OPLOCK BREAK IN PROGRESS',
  0x10b: 'NOTIFY CLEANUP', 0x10c: 'NOTIFY ENUM DIR', 0x12a: 'FILE LOCKED WITH ONLY READERS',
  0x12b: 'FILE LOCKED WITH WRITERS', 0x215: 'OPLOCK SWITCHED TO NEW HANDLE', 0x216: 'OPLOCK HANDLE CLOSED',
  0x367: 'WAIT FOR OPLOCK', 0x40000016: 'PREDEFINED HANDLE', 0x80000005: 'BUFFER OVERFLOW',
  0x80000006: 'NO MORE FILES', 0x8000001a: 'NO MORE ENTRIES', 0xc0000001: 'UNSUCCESSFUL',
  0xc0000002: 'NOT IMPLEMENTED', 0xc0000003: 'INVALID INFO CLASS', 0xc0000004: 'INFO LENGTH MISMATCH',
  0xc0000005: 'ACCESS VIOLATION', 0xc0000008: 'INVALID HANDLE', 0xc000000d: 'INVALID PARAMETER',
  0xc000000e: 'NO SUCH DEVICE', 0xc000000f: 'NO SUCH FILE', 0xc0000010: 'INVALID DEVICE REQUEST',
  0xc0000011: 'END OF FILE', 0xc0000022: 'ACCESS DENIED', 0xc0000023: 'BUFFER TOO SMALL',
  0xc0000024: 'OBJECT TYPE MISMATCH', 0xc0000033: 'NAME INVALID', 0xc0000034: 'NAME NOT FOUND',
  0xc0000035: 'NAME COLLISION', 0xc0000039: 'OBJECT PATH INVALID', 0xc000003a: 'PATH NOT FOUND',
  0xc000003b: 'PATH SYNTAX BAD', 0xc0000043: 'SHARING VIOLATION', 0xc0000054: 'FILE LOCK CONFLICT',
  0xc0000056: 'DELETE PENDING', 0xc0000061: 'PRIVILEGE NOT HELD', 0xc000007f: 'DISK FULL',
  0xc00000ba: 'IS DIRECTORY', 0xc00000bb: 'NOT SUPPORTED', 0xc00000be: 'BAD NETWORK PATH',
  0xc00000cc: 'BAD NETWORK NAME', 0xc0000101: 'NOT EMPTY', 0xc0000103: 'NOT A DIRECTORY',
  0xc0000120: 'CANCELLED', 0xc0000121: 'CANNOT DELETE', 0xc0000123: 'FILE DELETED', 0xc0000128: 'FILE CLOSED',
  0xc00000ac: 'PIPE NOT AVAILABLE', 0xc00000ad: 'INVALID PIPE STATE', 0xc00000ae: 'PIPE BUSY',
  0xc00000b0: 'PIPE DISCONNECTED', 0xc00000b1: 'PIPE CLOSING', 0xc00000b5: 'IO TIMEOUT',
  0xc000014b: 'PIPE BROKEN', 0xc000017c: 'KEY DELETED', 0xc0000225: 'NOT FOUND',
  0xc0000275: 'NOT REPARSE POINT', 0xc00002f0: 'OBJECTID NOT FOUND', 0xc0000427: 'FILE SYSTEM LIMITATION',
  0xc01c0004: 'FAST IO DISALLOWED',
};

export function pmlResultText(status: number): string {
  return RESULTS[status] ?? `0x${status.toString(16).toUpperCase().padStart(8, '0')}`;
}
