// Hits → findings: one finding per rule per group (process, process tree, host or connection)
// per time cluster, never one per event; then scores and an explanation an analyst can check.
import type { Finding } from '../api.ts';
import type { Hit, TriageEvent } from './engine.ts';
import { groupKey } from './engine.ts';
import { LEVEL_SCORE, applyCorroboration, severityOf, type Scorable } from './scoring.ts';
import type { GroupBy, Rule } from './sigma/types.ts';
import { usToIso } from '../util/time.ts';
import { appendTo } from '../util/multimap.ts';
import { readValues } from './explain-fields.ts';
import { shorten as clip } from '../util/text.ts';

/** Hits of one rule further apart than this (same group) become separate findings. */
export const CLUSTER_GAP_US = 30_000_000;
/** Event ids kept per finding (the explanation says when more matched). */
export const MAX_EVENT_IDS = 200;

/** A finding before it is stored (no id yet), with what triage knows beyond the contract. */
export interface NewFinding extends Omit<Finding, 'finding_id'> {
  rule_file: string;
  severity: string;
  host: string | null;
  pids: number[];
  /** The rule's author and licence (a SigmaHQ rule's DRL 1.1 asks that findings credit them). */
  rule_author?: string;
  rule_license?: string;
}

interface Draft extends Scorable {
  ruleObj: Rule;
  events: TriageEvent[];
  details: string[];
  /** Novelty rules: the new key values (programs, endpoints) this finding gathers, in order seen. */
  novelties: string[];
}

/** What a rule's findings are grouped by (correlation rules say it in their correlation). */
export function groupByOf(rule: Rule): GroupBy {
  return rule.correlation && rule.correlation.type !== 'novel' ? rule.correlation.groupBy : rule.groupBy;
}

export function buildFindings(results: { rule: Rule; hits: Hit[] }[]): NewFinding[] {
  const drafts: Draft[] = [];
  for (const { rule, hits } of results) {
    const by = groupByOf(rule);
    const groups = new Map<string, Hit[]>();
    for (const h of hits) {
      const first = h.events[0];
      if (!first) continue;
      const k = groupKey(first, by);
      appendTo(groups, k, h);
    }
    for (const list of groups.values()) {
      list.sort((a, b) => (a.events[0]?.ts_us ?? 0) - (b.events[0]?.ts_us ?? 0));
      let cur: Draft | null = null;
      for (const h of list) {
        const start = Math.min(...h.events.map((e) => e.ts_us));
        const end = Math.max(...h.events.map((e) => e.ts_us));
        if (!cur || start - cur.last_us > CLUSTER_GAP_US) {
          cur = { rule: rule.id, ruleObj: rule, base: rule.score ?? LEVEL_SCORE[rule.level], trees: new Set(), first_us: start, last_us: end, score: 0, corroborating: [], events: [], details: [], novelties: [] };
          drafts.push(cur);
        }
        cur.first_us = Math.min(cur.first_us, start);
        cur.last_us = Math.max(cur.last_us, end);
        for (const e of h.events) {
          if (!cur.events.some((x) => x.event_id === e.event_id)) cur.events.push(e);
          cur.trees.add(groupKey(e, 'tree'));
        }
        if (h.detail && !cur.details.includes(h.detail)) cur.details.push(h.detail);
        if (h.novelty && !cur.novelties.includes(h.novelty)) cur.novelties.push(h.novelty);
      }
    }
  }
  const titles = new Map(results.map((r) => [r.rule.id, r.rule.title]));
  applyCorroboration(drafts, (id) => titles.get(id) ?? id);
  return drafts.map(toFinding).sort((a, b) => b.score - a.score || a.first_us - b.first_us);
}

function toFinding(d: Draft): NewFinding {
  const rule = d.ruleObj;
  const events = [...d.events].sort((a, b) => a.ts_us - b.ts_us || a.event_id - b.event_id);
  const pids = [...new Set(events.map((e) => e.tgid ?? e.pid).filter((p): p is number => p !== null))];
  const hosts = [...new Set(events.map((e) => e.host).filter((h): h is string => h !== null))];
  const images = [...new Set(events.map((e) => e.process ?? e.image).filter((x): x is string => x !== null))];
  const ids = events.slice(0, MAX_EVENT_IDS).map((e) => e.event_id);
  const sample = events.slice(0, 3).map((e) => `#${e.event_id} ${e.op}${e.target ? ` ${clip(e.target, 80)}` : ''}${e.error ? ` (${e.error})` : ''}`);
  const who = [images.length ? images.slice(0, 3).join(', ') : null, pids.length ? `pid ${pids.slice(0, 6).join(', ')}${pids.length > 6 ? ', …' : ''}` : null, hosts.length ? `on ${hosts.join(', ')}` : null]
    .filter(Boolean)
    .join(' ');
  const parts = [
    `Rule "${rule.title}" (${rule.id}, ${rule.file}) matched ${events.length} event${events.length === 1 ? '' : 's'}${who ? ` by ${who}` : ''} between ${usToIso(d.first_us)} and ${usToIso(d.last_us)}: ${sample.join('; ')}${events.length > 3 ? '; …' : ''}.`,
    readAt(rule, events[0]),
    d.details.length ? `${d.details.slice(0, 2).join('; ')}.` : '',
    // One finding per process tree gathers every new program (endpoint…) it ran: list them all.
    d.novelties.length ? `New to the baseline (${d.novelties.length}): ${d.novelties.slice(0, 25).map((v) => clip(v, 80)).join(', ')}${d.novelties.length > 25 ? ', …' : ''}.` : '',
    rule.why ? `Why it matters: ${rule.why}` : '',
    d.corroborating.length ? `Score raised by other findings on the same process tree: ${d.corroborating.slice(0, 4).join('; ')}.` : '',
    rule.falsepositives.length ? `Known benign look-alikes: ${rule.falsepositives.join('; ')}.` : '',
    rule.check_next.length ? `Check next: ${rule.check_next.join(' ')}` : '',
    rule.author || rule.license ? `Rule${rule.author ? ` by ${rule.author}` : ''}${rule.license ? `, licence ${rule.license}` : ''}.` : '',
  ];
  return {
    rule: rule.id,
    rule_file: rule.file,
    title: rule.title,
    score: d.score,
    severity: severityOf(d.score),
    explanation: parts.filter(Boolean).join(' '),
    event_ids: ids,
    attack: rule.attack,
    first_us: d.first_us,
    last_us: d.last_us,
    check_next: rule.check_next,
    host: hosts[0] ?? null,
    pids,
    ...(rule.author ? { rule_author: rule.author } : {}),
    ...(rule.license ? { rule_license: rule.license } : {}),
  };
}

/** "What the rule read on #157: ParentCommandLine "wevtutil cl Setup"." (empty when nothing to add). */
function readAt(rule: Rule, event: TriageEvent | undefined): string {
  const values = event ? readValues(rule, event) : [];
  return event && values.length > 0 ? `What the rule read on #${event.event_id}: ${values.join(', ')}.` : '';
}
