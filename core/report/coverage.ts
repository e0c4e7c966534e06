// "Scope and blind spots": what each source covers (hosts, kinds, time) and, as plainly, what
// the case cannot show — times no capture covers, silences inside captures, telemetry a host
// lacks, assumptions made while importing.
import type { CaseStore } from '../store/case-store.ts';
import { listNotImported, type NotImportedFile } from '../store/offered-files.ts';
import { sql } from '../store/sql.ts';
import { readDateBasis } from '../model/date-basis.ts';
import { hostResolver } from '../model/host-attribution.ts';
import type { Governance } from '../model/governance.ts';
import { readGovernance } from '../case/governance.ts';
import { usToIso } from '../util/time.ts';
import type { CoverageSection } from './model.ts';

export interface CaptureSpan {
  capture_id: number;
  file_name: string;
  host: string | null;
  format: string;
  from_us: number;
  to_us: number;
  rejected: number;
  date_basis: string | null;
  /** True once the analyst set this capture's clock offset (or declared it correct). */
  aligned: boolean;
}

/** How events without a host are listed. */
const UNKNOWN_HOST = '(unknown host)';
/** A silence inside a capture at least this long is reported. */
export const SILENCE_MIN_US = 60_000_000;
/** A time between captures at least this long is reported as a gap. */
export const GAP_MIN_US = 1_000_000;
const MAX_SILENCES = 20;

/** Intervals of [from, to] that none of the spans cover, longest first. */
export function uncoveredIntervals(spans: readonly { from_us: number; to_us: number }[], minUs = GAP_MIN_US): { from_us: number; to_us: number }[] {
  if (spans.length === 0) return [];
  const sorted = [...spans].sort((a, b) => a.from_us - b.from_us);
  const gaps: { from_us: number; to_us: number }[] = [];
  let reach = sorted[0]?.to_us ?? 0;
  for (const s of sorted.slice(1)) {
    if (s.from_us - reach >= minUs) gaps.push({ from_us: reach, to_us: s.from_us });
    reach = Math.max(reach, s.to_us);
  }
  return gaps;
}

export async function computeCoverage(store: CaseStore, spans: CaptureSpan[]): Promise<CoverageSection> {
  // Per (host as recorded, capture); a source without a host name is attributed by the case-wide
  // rule (core/model/host-attribution.ts), so a host-less strace beside one host's syslog is
  // that host's and the scope does not invent a second, unnamed machine.
  const hostRows = await store.rows(
    sql`SELECT coalesce(e.host, c.host) AS host, e.capture_id, list(DISTINCT e.kind ORDER BY e.kind) AS kinds,
          min(e.ts_us) AS first_us, max(e.ts_us) AS last_us
        FROM event_rows e LEFT JOIN captures c USING (capture_id) GROUP BY ALL`,
    { host: 'str?', capture_id: 'num', kinds: 'list', first_us: 'num?', last_us: 'num?' },
  );
  const governance = await readGovernance(store);
  const resolve = hostResolver([...hostRows.map((h) => h.host), ...spans.map((s) => s.host)]);
  const attributed = (host: string | null): string => resolve(host) || UNKNOWN_HOST;
  const byHost = new Map<string, { captures: Set<number>; kinds: Set<string>; first: number | null; last: number | null }>();
  for (const r of hostRows) {
    const name = attributed(r.host);
    const h = byHost.get(name) ?? { captures: new Set<number>(), kinds: new Set<string>(), first: null, last: null };
    h.captures.add(r.capture_id);
    for (const k of r.kinds) h.kinds.add(k);
    if (r.first_us !== null) h.first = h.first === null ? r.first_us : Math.min(h.first, r.first_us);
    if (r.last_us !== null) h.last = h.last === null ? r.last_us : Math.max(h.last, r.last_us);
    byHost.set(name, h);
  }
  const hosts = [...byHost]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([host, h]) => ({
      host,
      capture_ids: [...h.captures].sort((x, y) => x - y),
      kinds: [...h.kinds].sort(),
      first_ts: h.first === null ? null : usToIso(h.first),
      last_ts: h.last === null ? null : usToIso(h.last),
    }));
  const attributedSpans = spans.map((s) => ({ ...s, host: attributed(s.host) }));

  const gaps = uncoveredIntervals(spans).map((g) => ({ from: usToIso(g.from_us), to: usToIso(g.to_us), seconds: (g.to_us - g.from_us) / 1e6 }));

  const silenceRows = await store.rows(
    sql`SELECT capture_id, prev_us, ts_us FROM (
          SELECT capture_id, ts_us, lag(ts_us) OVER (PARTITION BY capture_id ORDER BY ts_us) AS prev_us FROM event_rows)
        WHERE ts_us - prev_us >= ${SILENCE_MIN_US} ORDER BY ts_us - prev_us DESC LIMIT ${MAX_SILENCES}`,
    { capture_id: 'num', prev_us: 'num', ts_us: 'num' },
  );
  const nameOf = new Map(spans.map((s) => [s.capture_id, s.file_name]));
  const silences = silenceRows.map((r) => ({
    capture_id: r.capture_id,
    file_name: nameOf.get(r.capture_id) ?? `capture ${r.capture_id}`,
    from: usToIso(r.prev_us),
    to: usToIso(r.ts_us),
    seconds: (r.ts_us - r.prev_us) / 1e6,
  }));

  // Said in so many words: the attribution is the report's inference, not something the capture recorded.
  const hostless = [...new Set(hostRows.filter((r) => r.host === null || r.host === '').map((r) => r.capture_id))];
  const soleHost = resolve(null);
  const attributions =
    hostless.length > 0 && soleHost !== ''
      ? [
          `${hostless.map((id) => nameOf.get(id) ?? `capture ${id}`).join(', ')} name${hostless.length === 1 ? 's' : ''} no host: counted as ${soleHost}'s, the only host the case names; re-import with --host NAME if ${hostless.length === 1 ? 'it' : 'one'} came from another machine.`,
        ]
      : [];

  const notImported = await listNotImported(store);
  return {
    hosts,
    gaps,
    silences,
    blind_spots: [...notImportedSpots(notImported), ...attributions, ...blindSpots(attributedSpans, hosts, gaps.length, governance)],
    not_imported: notImported,
    governance,
  };
}

/** One statement per file offered to the case that is not in it: its contents were never seen. */
function notImportedSpots(files: NotImportedFile[]): string[] {
  return files.map(
    (f) =>
      `${f.file_name}${f.size_bytes !== null ? ` (${f.size_bytes} bytes${f.sha256 ? `, SHA-256 ${f.sha256}` : ''})` : ''} was offered but not imported — ${f.reason}. Nothing it holds is in this case.`,
  );
}

/** The kinds of capture a device in scope is expected to have; a missing one is a blind spot. */
const SCOPE_KINDS: readonly { kinds: readonly string[]; missing: string }[] = [
  { kinds: ['api'], missing: 'no API-call or system-call capture — what processes did there is known only from the logs listed' },
  { kinds: ['network', 'ics'], missing: 'no network or ICS-protocol capture — connections and controller writes are seen only where API calls or logs mention them' },
  { kinds: ['process'], missing: 'no process-event log (process starts and exits outside a trace are not visible)' },
  { kinds: ['alarm'], missing: 'no alarm records — alarms raised there are not in this case' },
];

function blindSpots(
  spans: CaptureSpan[],
  hosts: CoverageSection['hosts'],
  gapCount: number,
  governance: Governance,
): string[] {
  const out: string[] = [];
  if (spans.length === 0 && governance.devices.length === 0) return ['The case holds no events: nothing can be concluded from it.'];
  const unknown = hosts.find((h) => h.host === UNKNOWN_HOST);
  if (unknown) {
    const files = unknown.capture_ids.map((id) => spans.find((s) => s.capture_id === id)?.file_name ?? `capture ${id}`);
    out.push(`Sources without a host name (${files.join(', ')}): their events are not tied to a machine; re-import them with --host NAME to attribute them.`);
  }
  const unknownKinds = new Set(unknown?.kinds ?? []);
  if (governance.devices.length > 0) {
    // The declared scope decides: every device in it is checked for each kind of capture.
    const seen = new Map(hosts.map((h) => [h.host, new Set(h.kinds)]));
    for (const d of governance.devices) {
      const kinds = seen.get(d.host);
      const label = `Device in scope ${d.host}${d.role ? ` (${d.role})` : ''}`;
      if (!kinds) {
        out.push(`${label}: no capture of any kind — nothing that happened on it is in this case.`);
        continue;
      }
      for (const k of SCOPE_KINDS) {
        if (k.kinds.some((x) => kinds.has(x))) continue;
        // A host-less source of this kind may well be this device's: say that, not "no capture".
        out.push(k.kinds.some((x) => unknownKinds.has(x)) ? `${label}: no capture of this kind (${k.kinds.join('/')}) names it; the sources without a host name may be from it.` : `${label}: ${k.missing}.`);
      }
    }
    const declared = new Set(governance.devices.map((d) => d.host));
    const extra = hosts.filter((h) => h.host !== UNKNOWN_HOST && !declared.has(h.host)).map((h) => h.host);
    if (extra.length > 0) out.push(`Host(s) ${extra.join(', ')} appear in the captures but were not declared in scope.`);
  } else {
    out.push('No devices in scope were declared (tracebench case set CASE --device host=…): the hosts below are those the captures name.');
    for (const h of hosts) {
      if (h.host === UNKNOWN_HOST) continue;
      const kinds = new Set([...h.kinds, ...unknownKinds]);
      if (!kinds.has('api')) {
        out.push(`Host ${h.host}: no API-call or system-call capture — what processes did on this host is known only from the logs listed.`);
      }
      if (!kinds.has('network') && !kinds.has('ics')) {
        out.push(`Host ${h.host}: no network or ICS-protocol capture — connections and controller writes are seen only where API calls or logs mention them.`);
      }
      if (!kinds.has('process') && kinds.has('api')) {
        out.push(`Host ${h.host}: process starts are known only from the traced processes; processes outside the trace are not visible.`);
      }
    }
  }
  if (gapCount > 0) out.push(`${gapCount} period(s) inside the case's span are covered by no capture (listed under gaps): absence of events there means nothing.`);
  const unaligned = new Set(spans.filter((s) => !s.aligned).map((s) => s.host ?? UNKNOWN_HOST));
  if (unaligned.size > 1) {
    out.push(`Clocks of ${unaligned.size} hosts (${[...unaligned].join(', ')}) have not been aligned: ordering across hosts relies on their clocks agreeing.`);
  }
  for (const s of spans) {
    for (const b of s.date_basis ? readDateBasis(s.date_basis) : []) {
      if (!b.assumed) continue;
      if (b.what === 'date') out.push(`${s.file_name}: its times carry no date; the date ${b.text} was assumed.`);
      else {
        out.push(
          `${s.file_name}: its times count from an unknown start; the start ${b.text} was assumed${s.aligned ? ', then the capture was aligned' : ' (correct it with tracebench align)'}.`,
        );
      }
    }
    if (s.rejected > 0) out.push(`${s.file_name}: ${s.rejected} line(s) could not be read and are not on the timeline (see the source's rejected lines).`);
  }
  out.push('Only the processes, hosts and time ranges listed above were monitored; activity elsewhere is outside this case.');
  return out;
}
