// Sigma logsource → the bindings that supply it (which events, and how each field is read).
// One entry point for fields.ts; each family lives in its own file of this folder.
import { Sql, sql } from '../../../store/sql.ts';
import { auditdBinding } from './auditd.ts';
import { fileBindings } from './file_event.ts';
import { procmonImageLoad, zeekDns } from './image_load.ts';
import { linuxTextLog } from './linux-services.ts';
import { networkConnection } from './network_connection.ts';
import { powershellBindings } from './powershell.ts';
import { EXECVE_COMMAND_LINE, processCreation } from './process_creation.ts';
import { registryBindings, SYSMON_REGISTRY_EVENT_TYPES } from './registry.ts';
import { SYSMON_CATEGORY_EVENTS, sysmonBinding } from './sysmon-only.ts';
import { ACTING_IMAGE, col, oneOf, PROCMON_FORMATS, src, WINDOWS_EVENT_FORMATS, type Binding, type Logsource } from './types.ts';
import { accessLogBinding, WEB_PRODUCTS } from './web.ts';
import { windowsService } from './windows-services.ts';
import { zeekBinding } from './zeek.ts';

export type { Binding, Logsource } from './types.ts';

/**
 * Tracebench's own categories (docs/triage.md): `trace` is every event of a capture — system and
 * API calls and the process, file, registry and network events around them — with the canonical
 * event columns (op, target, args, …) and SigmaHQ's process names (Image, ParentImage,
 * CommandLine); `ics` is industrial-protocol traffic. The shipped rules use them.
 */
function tracebenchCategory(category: string): Binding | null {
  const fields = {
    // The event's own Image (Sysmon, JSON logs) first, else the acting process's.
    Image: sql`coalesce(${src('Image')}, ${ACTING_IMAGE})`,
    ParentImage: sql`coalesce(${src('ParentImage')}, p.parent_image)`,
    CommandLine: sql`coalesce(${src('CommandLine')}, CASE WHEN e.op IN ('execve', 'execveat') THEN ${EXECVE_COMMAND_LINE} END)`,
    ProcessId: col('e.pid'),
    ParentProcessId: col('coalesce(e.ppid, p.parent_pid)'),
  };
  if (category === 'trace') return { source: 'all events', formats: [], when: col('TRUE'), fields };
  if (category === 'ics') return { source: 'ICS protocol events', formats: ['zeek', 'tshark-json', 'tshark-csv', 'ics-probe-csv', 'textlog'], when: col("e.kind = 'ics'"), fields };
  return null;
}

/**
 * Formats whose captures come from one operating system only. A `trace` rule written for one
 * product never reads the other's captures: a Windows injection rule has nothing to say about a
 * strace capture's calls (and scanning them for it cost every Linux import), a Linux rule nothing
 * about a Procmon log. Generic formats (JSON lines, CSV, frida-trace…) may be either, and stay.
 */
const LINUX_ONLY_FORMATS = ['strace', 'ltrace', 'auditd'] as const;
const WINDOWS_ONLY_FORMATS = [...WINDOWS_EVENT_FORMATS, ...PROCMON_FORMATS] as const;

/**
 * `e.capture_id NOT IN (the captures of these formats)`, marked as such: a triage run that has
 * read the case's captures replaces it with a constant (core/triage/capture-formats.ts), since
 * each such subquery is a join DuckDB plans anew in every rule of a statement.
 */
export class NotFromFormats extends Sql {
  constructor(readonly formats: readonly string[]) {
    const q = sql`e.capture_id NOT IN (SELECT capture_id FROM captures WHERE ${oneOf(col('format'), formats)})`;
    super(q.parts, q.values);
  }
}

function notFrom(formats: readonly string[]): Sql {
  return new NotFromFormats(formats);
}

/** Sysmon bindings of a category, narrowed by EventType where one EventID serves several categories. */
function sysmonFor(category: string, product: 'windows' | 'linux'): Binding[] {
  const b = sysmonBinding(category, product);
  if (!b) return [];
  const types = SYSMON_REGISTRY_EVENT_TYPES[category];
  return [types ? { ...b, when: sql`(${b.when} AND ${oneOf(src('EventType'), types)})` } : b];
}

function windowsCategory(category: string): Binding[] {
  if (category === 'process_creation') return processCreation('windows');
  const out = sysmonFor(category, 'windows');
  if (category === 'network_connection') out.push(...networkConnection('windows'));
  if (category.startsWith('registry_')) out.push(...registryBindings(category));
  if (category.startsWith('file_')) out.push(...fileBindings(category, 'windows'));
  if (category === 'image_load') out.push(procmonImageLoad);
  if (category.startsWith('ps_')) out.push(...powershellBindings(category));
  return out;
}

function linuxCategory(category: string): Binding[] {
  if (category === 'process_creation') return processCreation('linux');
  const out = sysmonFor(category, 'linux');
  if (category === 'network_connection') out.push(...networkConnection('linux'));
  if (category.startsWith('file_')) out.push(...fileBindings(category, 'linux'));
  return out;
}

/** Every binding that can supply the logsource; [] when no importer of ours supplies it. */
export function bindingsFor(ls: Logsource): Binding[] {
  const product = ls.product?.toLowerCase();
  const category = ls.category?.toLowerCase();
  const service = ls.service?.toLowerCase();
  if (category) {
    const own = tracebenchCategory(category);
    // On Windows, the EventData names of the events are readable as they are (GrantedAccess …).
    if (own && category === 'trace' && product === 'windows') return [{ ...own, generic: true, when: notFrom(LINUX_ONLY_FORMATS) }];
    if (own && category === 'trace' && product === 'linux') return [{ ...own, when: notFrom(WINDOWS_ONLY_FORMATS) }];
    if (own) return [product === 'windows' ? { ...own, generic: true } : own];
  }
  // No logsource, or "any product": every event (a rule written for Tracebench's own columns).
  if ((product === undefined || product === 'any') && !category && !service) return [tracebenchCategory('trace') as Binding];
  if (product === 'zeek') return [zeekBinding(service)];
  const webProduct = (product !== undefined && WEB_PRODUCTS.has(product)) || (product === undefined && service !== undefined && WEB_PRODUCTS.has(service));
  if (category === 'webserver' || category === 'proxy' || (webProduct && !category)) return [accessLogBinding];
  if (category === 'dns' || category === 'dns_query') {
    const sysmon = product === 'linux' ? [] : sysmonFor('dns_query', 'windows');
    return category === 'dns' ? [zeekDns] : [...sysmon, zeekDns];
  }
  if (category === 'firewall' || (category === 'network_connection' && product === undefined)) {
    return [...networkConnection(undefined), ...sysmonFor('network_connection', 'windows'), zeekBinding('conn')];
  }
  if (product === 'windows') {
    if (category) return windowsCategory(category);
    if (service) return [windowsService(service)];
    // Every Windows event log record (and Procmon row), its EventData readable by name.
    const trace = tracebenchCategory('trace') as Binding;
    return [{ ...trace, source: 'Windows events', formats: [...WINDOWS_EVENT_FORMATS, ...PROCMON_FORMATS], when: sql`(${src('EventID')} IS NOT NULL OR ${src('event_class')} IS NOT NULL)`, generic: true }];
  }
  if (product === 'linux') {
    if (category) return linuxCategory(category);
    if (service === 'auditd') return [auditdBinding];
    return [linuxTextLog(service)];
  }
  if (product === undefined && category && (category in SYSMON_CATEGORY_EVENTS || category.startsWith('ps_'))) {
    return [...windowsCategory(category), ...linuxCategory(category)];
  }
  return [];
}

/** "product: linux, service: cron" for messages. */
export function describeLogsource(ls: Logsource): string {
  const parts = (['product', 'category', 'service'] as const).flatMap((k) => (ls[k] ? [`${k}: ${ls[k]}`] : []));
  return parts.length > 0 ? `{${parts.join(', ')}}` : '{}';
}
