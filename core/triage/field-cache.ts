// Source fields read once per run instead of once per rule. A compiled rule reads an event's
// source fields (Windows EventData, Zeek columns…) with json_extract_string(e.fields, '$."Name"')
// and tests logsources with contains(e.fields, '…'); over SigmaHQ's 2,400 Windows rules that is
// the same few hundred paths parsed out of the same JSON text thousands of times per event. When
// most events in scope carry source fields, the paths every rule reads are extracted in one pass
// (one JSON parse per event for all of them: json_extract_string with a list of paths) into a temp
// table, and the rules' SQL reads the list instead. Values are the same, so matches are the same.
// The same goes for the logsources' binding predicates (taxonomy `when`: "a Sysmon event with
// EventID 1"), which every field of every rule repeats in a CASE: each distinct one is evaluated
// once per event into a list of booleans, and a rule's SQL reads its slot — SigmaHQ's rules then
// compile to a few hundred characters instead of kilobytes each, which is most of what planning a
// batch of them cost. When few events carry fields (a strace case: 10 % carry a return detail),
// the extra join costs more than it saves and the rules read e.fields as before.
import { createHash } from 'node:crypto';
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, rawSql, Sql, sql } from '../store/sql.ts';
import { FROM } from './engine.ts';
import { inScope, type TriageScope } from './scope.ts';

/** Cache only when at least this share of the scope's events carry source fields. */
const MIN_SHARE_WITH_FIELDS = 0.5;
const TABLE = 'triage_fields';

export interface FieldCache {
  /** The FROM clause rules run over (event_rows e, the cache f, the process tree p). */
  from: Sql;
  /** The predicate reading the cache instead of parsing e.fields. */
  rewrite(where: Sql): Sql;
  drop(): Promise<void>;
}

/** No cache: rules read e.fields themselves. */
export const NO_FIELD_CACHE: FieldCache = { from: FROM, rewrite: (w) => w, drop: async () => {} };

const PATH = /^\$\."[^"]*"$/;

function isExtract(s: Sql): s is Sql & { values: [string] } {
  return s.parts.length === 2 && s.parts[0] === 'json_extract_string(e.fields, ' && s.parts[1] === ')' && typeof s.values[0] === 'string' && PATH.test(s.values[0]);
}

function isMention(s: Sql): s is Sql & { values: [string] } {
  return s.parts.length === 2 && s.parts[0] === 'contains(e.fields, ' && s.parts[1] === ')' && typeof s.values[0] === 'string';
}

/**
 * Structural keys of Sql fragments (same text and values → same key): a digest over the parts, the
 * values and the children's digests, memoised per fragment, so keys stay short however deep the tree.
 */
const keys = new WeakMap<Sql, string>();
function keyOf(s: Sql): string {
  let k = keys.get(s);
  if (k === undefined) {
    const shape = JSON.stringify([s.parts, s.values.map((v) => (v instanceof Sql ? keyOf(v) : typeof v === 'bigint' ? `${v}n` : v))]);
    k = createHash('sha256').update(shape).digest('base64');
    keys.set(s, k);
  }
  return k;
}

/** The cached binding predicates: by the text around their values (a cheap test), then by key. */
interface WhenIndex {
  shapes: Set<string>;
  slots: Map<string, number>;
}

function slotOf(s: Sql, whens: WhenIndex | null): number | undefined {
  if (!whens || s.parts[0] !== '(' || !whens.shapes.has(s.parts.join('\u0000'))) return undefined;
  return whens.slots.get(keyOf(s));
}

/** The distinct paths and mentioned texts a set of predicates reads from e.fields (outside the cached binding predicates). */
function collect(s: Sql, whens: WhenIndex | null, paths: Set<string>, mentions: Set<string>): void {
  if (isExtract(s)) paths.add(s.values[0]);
  else if (isMention(s)) mentions.add(s.values[0]);
  else if (slotOf(s, whens) !== undefined) return;
  else for (const v of s.values) if (v instanceof Sql) collect(v, whens, paths, mentions);
}

interface Slots {
  alias: string;
  whens: WhenIndex | null;
  path: Map<string, number>;
  mention: Map<string, number>;
}

function replaced(s: Sql, slots: Slots): Sql {
  if (isExtract(s)) {
    const i = slots.path.get(s.values[0]);
    return i === undefined ? s : rawSql(`${slots.alias}.fv[${i + 1}]`);
  }
  if (isMention(s)) {
    const i = slots.mention.get(s.values[0]);
    return i === undefined ? s : rawSql(`${slots.alias}.cv[${i + 1}]`);
  }
  const slot = slotOf(s, slots.whens);
  if (slot !== undefined) return rawSql(`${slots.alias}.wv[${slot + 1}]`);
  if (!s.values.some((v) => v instanceof Sql)) return s;
  return new Sql(s.parts, s.values.map((v) => (v instanceof Sql ? replaced(v, slots) : v)));
}

/**
 * Builds the cache for the predicates `wheres` over the scope, or NO_FIELD_CACHE when it would not
 * pay. `bindingWhens`: the logsource binding predicates the rules embed (cached as booleans).
 */
export async function cacheSourceFields(store: CaseStore, scope: TriageScope, wheres: Sql[], bindingWhens: Sql[] = []): Promise<FieldCache> {
  const whenList: Sql[] = [];
  const whens: WhenIndex = { shapes: new Set(), slots: new Map() };
  for (const w of bindingWhens) {
    // Only parenthesised fragments are looked up when rewriting (a cheap test before the key).
    // A predicate over the process tree (p) cannot be evaluated before the join: left inline.
    if (w.parts[0] !== '(' || whens.slots.has(keyOf(w)) || /\bp\.[a-z_]+/.test(w.render().text)) continue;
    whens.shapes.add(w.parts.join('\u0000'));
    whens.slots.set(keyOf(w), whenList.length);
    whenList.push(w);
  }
  const paths = new Set<string>();
  const mentions = new Set<string>();
  for (const w of wheres) collect(w, whens, paths, mentions);
  for (const w of whenList) collect(w, null, paths, mentions);
  if (paths.size === 0) return NO_FIELD_CACHE;
  const share = await store.one(sql`SELECT count(*) AS n, count(e.fields) AS f FROM event_rows e WHERE ${inScope(scope)}`, { n: 'num', f: 'num' });
  if (!share || share.n === 0 || share.f < share.n * MIN_SHARE_WITH_FIELDS) return NO_FIELD_CACHE;
  const pathList = [...paths];
  const mentionList = [...mentions];
  const path = new Map(pathList.map((p, i) => [p, i]));
  const mention = new Map(mentionList.map((m, i) => [m, i]));
  const cv = mentionList.length > 0 ? sql`[${joinSql(mentionList.map((m) => sql`contains(e.fields, ${m})`), ', ')}]` : sql`CAST([] AS BOOLEAN[])`;
  // The binding predicates read the inner row's extracted lists and its own columns (alias e).
  const inner: Slots = { alias: 'e', whens: null, path, mention };
  const wv = whenList.length > 0 ? sql`[${joinSql(whenList.map((w) => sql`CAST(${replaced(w, inner)} AS BOOLEAN)`), ', ')}]` : sql`CAST([] AS BOOLEAN[])`;
  await store.exec(
    sql`CREATE OR REPLACE TEMP TABLE ${rawSql(TABLE)} AS
        SELECT e.event_id, e.fv, e.cv, ${wv} AS wv
        FROM (SELECT e.*, json_extract_string(e.fields, [${joinSql(pathList.map((p) => sql`${p}`), ', ')}]) AS fv, ${cv} AS cv
              FROM event_rows e WHERE ${inScope(scope)}) e`,
  );
  const outer: Slots = { alias: 'f', whens, path, mention };
  return {
    from: sql`event_rows e LEFT JOIN ${rawSql(TABLE)} f ON f.event_id = e.event_id LEFT JOIN triage_proc p ON p.capture_id = e.capture_id AND p.pid = e.pid`,
    rewrite: (where) => replaced(where, outer),
    drop: async () => {
      await store.exec(sql`DROP TABLE IF EXISTS ${rawSql(TABLE)}`);
    },
  };
}
