// Source fields read once per run instead of once per rule. A compiled rule reads an event's
// source fields (Windows EventData, Zeek columns…) with json_extract_string(e.fields, '$."Name"')
// and tests logsources with contains(e.fields, '…'); over SigmaHQ's 2,400 Windows rules that is
// the same few hundred paths parsed out of the same JSON text thousands of times per event. When
// most events in scope carry source fields, the scope's events are copied once into one flat temp
// table (`triage_flat`): the event columns, the process tree's columns as a struct `p` (so `p.image`
// reads the same as through the join), every path the rules read as its own column (f_1…; one JSON
// parse per event for all of them: json_extract_string with a list of paths), every mentioned text
// as a boolean (c_1…), the keyword text of Windows events (kw), and the logsources' binding
// predicates (taxonomy `when`: "a Sysmon event with EventID 1") as booleans (w_1…), which every
// field of every rule repeats in a CASE. The rules' SQL is rewritten to read those columns and runs
// over the flat table with no join: SigmaHQ's rules then compile to a few hundred characters
// instead of kilobytes each, and each rule is a filtered scan (batch-flat.ts narrows it further to
// its logsource's rows). Values are the same, so matches are the same. When few events carry fields
// (a strace case: 10 % carry a return detail), copying costs more than it saves and the rules read
// e.fields through the join as before.
import type { CaseStore } from '../store/case-store.ts';
import { joinSql, rawSql, Sql, sql } from '../store/sql.ts';
import { FROM } from './engine.ts';
import { EVENT_DATA_TEXT } from './sigma/fields.ts';
import { inScope, type TriageScope } from './scope.ts';
import { SqlKeys } from './sql-key.ts';

/** Cache only when at least this share of the scope's events carry source fields. */
const MIN_SHARE_WITH_FIELDS = 0.5;
/** The flat table's name (a temp table of the run's connection). */
export const FLAT_TABLE = 'triage_flat';

export interface FieldCache {
  /** The FROM clause rules run over: the flat table (alias e), or event_rows e joined with the process tree p. */
  from: Sql;
  /** The predicate reading the cache instead of parsing e.fields. */
  rewrite(where: Sql): Sql;
  /** The flat table's name, null without a cache (batch-flat.ts splits it by logsource). */
  table: string | null;
  drop(): Promise<void>;
}

/** No cache: rules read e.fields themselves. */
export const NO_FIELD_CACHE: FieldCache = { from: FROM, rewrite: (w) => w, table: null, drop: async () => {} };

const KEYWORD_TEXT = EVENT_DATA_TEXT.render().text;

function isKeywordText(s: Sql): boolean {
  return s.values.length === 0 && s.parts[0] === KEYWORD_TEXT;
}

const PATH = /^\$\."[^"]*"$/;

function isExtract(s: Sql): s is Sql & { values: [string] } {
  return s.parts.length === 2 && s.parts[0] === 'json_extract_string(e.fields, ' && s.parts[1] === ')' && typeof s.values[0] === 'string' && PATH.test(s.values[0]);
}

function isMention(s: Sql): s is Sql & { values: [string] } {
  return s.parts.length === 2 && s.parts[0] === 'contains(e.fields, ' && s.parts[1] === ')' && typeof s.values[0] === 'string';
}

/** The cached binding predicates: by the text around their values (a cheap test), then by key. */
interface WhenIndex {
  shapes: Set<string>;
  slots: Map<number, number>;
  keys: SqlKeys;
}

function slotOf(s: Sql, whens: WhenIndex | null): number | undefined {
  if (!whens || s.parts[0] !== '(' || !whens.shapes.has(s.parts.join('\u0000'))) return undefined;
  return whens.slots.get(whens.keys.of(s));
}

/** What the rules read from e.fields, outside the cached binding predicates. */
interface Reads {
  paths: Set<string>;
  mentions: Set<string>;
  keywordText: boolean;
}

function collect(s: Sql, whens: WhenIndex | null, reads: Reads): void {
  if (isExtract(s)) reads.paths.add(s.values[0]);
  else if (isMention(s)) reads.mentions.add(s.values[0]);
  else if (isKeywordText(s)) reads.keywordText = true;
  else if (slotOf(s, whens) !== undefined) return;
  else for (const v of s.values) if (v instanceof Sql) collect(v, whens, reads);
}

/** Where each cached value is read from: a column of the flat table, or (building it) a list slot. */
interface Slots {
  whens: WhenIndex | null;
  path: Map<string, number>;
  /** Paths no event in scope holds: read as NULL. */
  absent: Set<string>;
  mention: Map<string, number>;
  keywordText: boolean;
  ref(kind: 'f' | 'c' | 'w', i: number): string;
}

function replaced(s: Sql, slots: Slots): Sql {
  if (isExtract(s)) {
    if (slots.absent.has(s.values[0])) return rawSql('CAST(NULL AS VARCHAR)');
    const i = slots.path.get(s.values[0]);
    return i === undefined ? s : rawSql(slots.ref('f', i));
  }
  if (isMention(s)) {
    const i = slots.mention.get(s.values[0]);
    return i === undefined ? s : rawSql(slots.ref('c', i));
  }
  if (slots.keywordText && isKeywordText(s)) return rawSql('e.kw');
  const slot = slotOf(s, slots.whens);
  if (slot !== undefined) return rawSql(slots.ref('w', slot));
  if (!s.values.some((v) => v instanceof Sql)) return s;
  return new Sql(s.parts, s.values.map((v) => (v instanceof Sql ? replaced(v, slots) : v)));
}

/** The top-level keys of the scope's events' source fields; null when they cannot be listed (then every path is extracted). */
async function presentKeys(store: CaseStore, scope: TriageScope): Promise<Set<string> | null> {
  try {
    const rows = await store.rows(sql`SELECT DISTINCT unnest(json_keys(e.fields)) AS k FROM event_rows e WHERE ${inScope(scope)} AND e.fields IS NOT NULL`, { k: 'str' });
    return new Set(rows.map((r) => r.k));
  } catch {
    return null;
  }
}

/** The flat table's column of a cached value (generated names, never rule text). */
const column = (kind: 'f' | 'c' | 'w', i: number): string => `e.${kind}_${i + 1}`;

/**
 * Builds the flat table for the predicates `wheres` over the scope, or NO_FIELD_CACHE when it would
 * not pay. `bindingWhens`: the logsource binding predicates the rules embed (cached as booleans).
 */
export async function cacheSourceFields(store: CaseStore, scope: TriageScope, wheres: Sql[], bindingWhens: Sql[] = []): Promise<FieldCache> {
  const whenList: Sql[] = [];
  const whens: WhenIndex = { shapes: new Set(), slots: new Map(), keys: new SqlKeys() };
  for (const w of bindingWhens) {
    // Only parenthesised fragments are looked up when rewriting (a cheap test before the key).
    // A predicate over the process tree (p) is evaluated before the join: left inline (the flat
    // table's p struct answers it).
    if (w.parts[0] !== '(' || whens.slots.has(whens.keys.of(w)) || /\bp\.[a-z_]+/.test(w.render().text)) continue;
    whens.shapes.add(w.parts.join('\u0000'));
    whens.slots.set(whens.keys.of(w), whenList.length);
    whenList.push(w);
  }
  const reads: Reads = { paths: new Set(), mentions: new Set(), keywordText: false };
  for (const w of wheres) collect(w, whens, reads);
  for (const w of whenList) collect(w, null, reads);
  if (reads.paths.size === 0) return NO_FIELD_CACHE;
  const share = await store.one(sql`SELECT count(*) AS n, count(e.fields) AS f FROM event_rows e WHERE ${inScope(scope)}`, { n: 'num', f: 'num' });
  if (!share || share.n === 0 || share.f < share.n * MIN_SHARE_WITH_FIELDS) return NO_FIELD_CACHE;
  // Paths no event in scope has (SigmaHQ's rules name hundreds of fields, a case holds a fraction
  // of them) read NULL, as json_extract_string would: no column for them.
  const keys = await presentKeys(store, scope);
  const absent = new Set([...reads.paths].filter((p) => keys !== null && !keys.has(p.slice(3, -1))));
  const pathList = [...reads.paths].filter((p) => !absent.has(p));
  if (pathList.length === 0) pathList.push([...reads.paths][0] as string); // the build extracts at least one path
  const mentionList = [...reads.mentions];
  const path = new Map(pathList.map((p, i) => [p, i]));
  const mention = new Map(mentionList.map((m, i) => [m, i]));
  // Inside the build, the binding predicates read the inner row's extracted lists (alias e).
  const inner: Slots = { whens: null, path, absent, mention, keywordText: false, ref: (kind, i) => `e.${kind}v[${i + 1}]` };
  const cv = mentionList.length > 0 ? sql`[${joinSql(mentionList.map((m) => sql`contains(e.fields, ${m})`), ', ')}]` : sql`CAST([] AS BOOLEAN[])`;
  const columns: Sql[] = [
    ...pathList.map((_, i) => rawSql(`e.fv[${i + 1}] AS f_${i + 1}`)),
    ...mentionList.map((_, i) => rawSql(`e.cv[${i + 1}] AS c_${i + 1}`)),
    ...whenList.map((w, i) => sql`CAST(${replaced(w, inner)} AS BOOLEAN) AS ${rawSql(`w_${i + 1}`)}`),
    ...(reads.keywordText ? [sql`${EVENT_DATA_TEXT} AS kw`] : []),
  ];
  await store.exec(
    sql`CREATE OR REPLACE TEMP TABLE ${rawSql(FLAT_TABLE)} AS
        SELECT e.* EXCLUDE (fv, cv),
               {'image': p.image, 'parent_image': p.parent_image, 'parent_pid': p.parent_pid, 'tgid': p.tgid, 'root_pid': p.root_pid} AS p,
               ${joinSql(columns, ', ')}
        FROM (SELECT e.*, json_extract_string(e.fields, [${joinSql(pathList.map((p) => sql`${p}`), ', ')}]) AS fv, ${cv} AS cv
              FROM event_rows e WHERE ${inScope(scope)}) e
        LEFT JOIN triage_proc p ON p.capture_id = e.capture_id AND p.pid = e.pid`,
  );
  const outer: Slots = { whens, path, absent, mention, keywordText: reads.keywordText, ref: column };
  return {
    from: sql`${rawSql(FLAT_TABLE)} e`,
    rewrite: (where) => replaced(where, outer),
    table: FLAT_TABLE,
    drop: async () => {
      await store.exec(sql`DROP TABLE IF EXISTS ${rawSql(FLAT_TABLE)}`);
    },
  };
}
