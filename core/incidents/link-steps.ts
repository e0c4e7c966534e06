// A storyline step of a link-aware finding (core/triage/link-rules.ts) names the chain it rests
// on, not only its first event: "connect 127.0.0.1:502 → modbus.write_single_coil → alarm: HIGH
// LEVEL". The later events of such a finding are the controller operations and alarms that
// happened in other captures; without them the step reads as a bare connect.
import type { IncidentEvent, IncidentFinding } from './build.ts';

/** Categories of a finding's later events worth naming in its step (controller operations, alarms). */
const CHAIN_CATEGORIES = new Set(['ics', 'alarm']);
/** Most chain events named in one step. */
const NAMED = 3;

/**
 * " → op → op" for the finding's ICS operations and alarms after its first event, when that first
 * event is a host call (a finding made of wire events only already reads as one); else "".
 */
export function chainStepSuffix(f: Pick<IncidentFinding, 'events'>): string {
  const [first, ...rest] = [...f.events].sort((a, b) => a.ts_us - b.ts_us);
  if (!first || CHAIN_CATEGORIES.has(first.category)) return '';
  const chain = rest.filter((e: IncidentEvent) => CHAIN_CATEGORIES.has(e.category));
  if (chain.length === 0) return '';
  const named = chain.slice(0, NAMED).map((e) => ` → ${e.op}`).join('');
  return chain.length > NAMED ? `${named} → … (${chain.length - NAMED} more)` : named;
}
