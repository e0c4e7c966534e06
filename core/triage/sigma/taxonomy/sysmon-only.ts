// Categories only Sysmon records (Windows, and Sysmon for Linux where it has the event): each is
// one or more Sysmon EventIDs whose field names are the EventData names, read generically.
import { SYSMON_LINUX, SYSMON_WINDOWS, WINDOWS_EVENT_FORMATS, windowsEvents, type Binding } from './types.ts';

/** Sigma category → Sysmon EventIDs (SigmaHQ's sysmon taxonomy / pySigma's sysmon pipeline). */
export const SYSMON_CATEGORY_EVENTS: Record<string, number[]> = {
  process_creation: [1],
  file_change: [2],
  network_connection: [3],
  sysmon_status: [4, 16],
  process_termination: [5],
  driver_load: [6],
  image_load: [7],
  create_remote_thread: [8],
  raw_access_thread: [9],
  process_access: [10],
  file_event: [11],
  registry_add: [12],
  registry_delete: [12],
  registry_set: [13],
  registry_rename: [14],
  registry_event: [12, 13, 14],
  create_stream_hash: [15],
  pipe_created: [17, 18],
  wmi_event: [19, 20, 21],
  dns_query: [22],
  file_delete: [23, 26],
  clipboard_capture: [24],
  process_tampering: [25],
  file_delete_detected: [26],
  file_block_executable: [27],
  file_block_shredding: [28],
  file_executable_detected: [29],
  sysmon_error: [255],
};

/** Categories Sysmon for Linux records (its EventIDs follow the Windows numbering). */
const SYSMON_LINUX_CATEGORIES = new Set(['process_creation', 'network_connection', 'process_termination', 'raw_access_thread', 'file_event', 'file_delete', 'sysmon_status', 'sysmon_error']);

export function sysmonBinding(category: string, product: 'windows' | 'linux'): Binding | null {
  const ids = SYSMON_CATEGORY_EVENTS[category];
  if (!ids || (product === 'linux' && !SYSMON_LINUX_CATEGORIES.has(category))) return null;
  return {
    source: `${product === 'windows' ? 'Sysmon' : 'Sysmon for Linux'} ${ids.join('/')}`,
    formats: product === 'windows' ? WINDOWS_EVENT_FORMATS : [...WINDOWS_EVENT_FORMATS, 'jsonl', 'textlog'],
    when: windowsEvents(product === 'windows' ? SYSMON_WINDOWS : SYSMON_LINUX, ids),
    fields: {},
    generic: true,
  };
}
