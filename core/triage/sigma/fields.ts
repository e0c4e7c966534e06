// Rule field names → SQL expressions over `event_rows e` joined with the inferred process table
// `p` (process-tree.ts). A fixed allow-list: rule text never becomes SQL; `fields.<name>` reads a
// source field from the JSON column through a bound JSON path.
//
// Two layers: the canonical event columns below (op, target, args, … — Tracebench's `trace`
// category), and the SigmaHQ taxonomy (taxonomy/): a rule's logsource chooses which events it may
// match and how each SigmaHQ field name (Image, CommandLine, TargetFilename, a0 …) is read from
// the events of each importer. compile.ts asks resolveField / logsourcePredicate.
import { rawSql, sql, type Sql } from '../../store/sql.ts';
import { recordField, recordScoped } from './taxonomy/auditd.ts';
import { bindingsFor, describeLogsource, type Binding, type Logsource } from './taxonomy/index.ts';

const COLUMNS: Record<string, { expr: string; numeric: boolean }> = {
  op: { expr: 'e.op', numeric: false },
  kind: { expr: 'e.kind', numeric: false },
  category: { expr: 'e.category', numeric: false },
  target: { expr: 'e.target', numeric: false },
  args: { expr: 'e.args', numeric: false },
  ret: { expr: 'e.ret', numeric: false },
  error: { expr: 'e.error', numeric: false },
  // The severity a log record states (migration 6): emerg … debug, alarm, fatal.
  level: { expr: 'e.level', numeric: false },
  // Importers that know the image name set `process`; otherwise the image seen in execve.
  process: { expr: 'coalesce(e.process, p.image)', numeric: false },
  host: { expr: 'e.host', numeric: false },
  pid: { expr: 'e.pid', numeric: true },
  tid: { expr: 'e.tid', numeric: true },
  ppid: { expr: 'coalesce(e.ppid, p.parent_pid)', numeric: true },
  source_line: { expr: 'e.source_line', numeric: true },
  capture_id: { expr: 'e.capture_id', numeric: true },
  // Inferred from clone/fork/execve events of the same capture (process-tree.ts).
  image: { expr: 'coalesce(p.image, e.process)', numeric: false },
  parent_image: { expr: 'p.parent_image', numeric: false },
  parent_pid: { expr: 'coalesce(e.ppid, p.parent_pid)', numeric: true },
  // Paths with their numbers folded (/proc/1234/maps → /proc/N/maps) so novelty is not per pid.
  // The source endpoint of a flow written as "src → dst" / "src -> dst" in args (network and ICS
  // importers), i.e. which connection a PDU travelled on.
  flow_src: { expr: "nullif(regexp_extract(e.args, '([0-9A-Za-z.:\\[\\]_-]+:[0-9]+)\\s*(?:→|->)', 1), '')", numeric: false },
  target_class: { expr: "CASE WHEN starts_with(e.target, '/') THEN regexp_replace(e.target, '[0-9]+', 'N', 'g') ELSE e.target END", numeric: false },
};

export const FIELD_NAMES = Object.keys(COLUMNS);

const SOURCE_FIELD = /^fields\.([A-Za-z0-9_.:@-]+)$/;
/** What a SigmaHQ field name may look like (Image, cs-uri-query, id.orig_h, Data.Name, a0). */
const SIGMA_FIELD = /^[A-Za-z_][A-Za-z0-9_.:@-]*$/;

/**
 * Whether a rule may name this field at all (parse time). Whether the field is mapped for the
 * rule's logsource is decided when the rule is compiled (resolveField).
 */
export function isKnownField(name: string): boolean {
  return name in COLUMNS || SOURCE_FIELD.test(name) || SIGMA_FIELD.test(name);
}

export function isNumericField(name: string): boolean {
  return COLUMNS[name]?.numeric ?? false;
}

/**
 * The SQL expression for a canonical column, `fields.<name>`, or a SigmaHQ name of Tracebench's
 * `trace` category (Image, ParentImage, CommandLine …) — for callers without a logsource
 * (correlation keys and distinct fields). Logsource-aware callers use resolveField.
 */
export function fieldExpr(name: string): Sql {
  const expr = canonicalField(name) ?? resolveField({ category: 'trace' }, name);
  if (!expr) throw new Error(`unknown field ${name}`);
  return expr;
}

function canonicalField(name: string): Sql | undefined {
  const col = COLUMNS[name];
  if (col) return rawSql(col.expr);
  const m = SOURCE_FIELD.exec(name);
  return m?.[1] ? sql`json_extract_string(e.fields, ${`$."${m[1]}"`})` : undefined;
}

/** A rule cannot run: its logsource or one of its fields has no mapping (the rule is skipped, not failed). */
export class RuleNotMapped extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'RuleNotMapped';
  }
}

/** Windows System fields under SigmaHQ's names where the stored name differs. */
const WINDOWS_SYSTEM_ALIASES: Record<string, string> = { Provider_Name: 'Provider', ProviderName: 'Provider' };

/** How one binding reads `name`, or undefined when it cannot. */
function bindingField(b: Binding, name: string): Sql | undefined {
  if (b.perRecord) return recordField(name);
  const exact = b.fields[name];
  if (exact) return exact;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(b.fields)) if (k.toLowerCase() === lower) return v;
  const canonical = canonicalField(name);
  if (canonical) return canonical;
  if (!b.generic) return undefined;
  if (name === 'Computer') return rawSql('e.host');
  return sql`json_extract_string(e.fields, ${`$."${WINDOWS_SYSTEM_ALIASES[name] ?? name}"`})`;
}

function same(a: Sql, b: Sql): boolean {
  return JSON.stringify(a.render()) === JSON.stringify(b.render());
}

/**
 * The SQL expression of a SigmaHQ field for a logsource: for each binding of the logsource, how
 * its events hold the field (events of other bindings read NULL). Undefined when no binding of
 * the logsource maps the field: the rule is then skipped ("field X not mapped for logsource Y").
 */
export function resolveField(logsource: Logsource, name: string): Sql | undefined {
  const bindings = bindingsFor(logsource);
  if (bindings.length === 0) return canonicalField(name);
  const mapped = bindings.flatMap((b) => {
    const expr = bindingField(b, name);
    return expr ? [{ b, expr }] : [];
  });
  const first = mapped[0];
  if (!first) return undefined;
  if (mapped.length === bindings.length && mapped.every((m) => same(m.expr, first.expr))) return first.expr;
  const whens = mapped.map((m) => sql`WHEN ${m.b.when} THEN CAST(${m.expr} AS VARCHAR)`);
  return sql`(CASE ${joinWhens(whens)} END)`;
}

function joinWhens(parts: Sql[]): Sql {
  return parts.slice(1).reduce((acc, p) => sql`${acc} ${p}`, parts[0] ?? sql``);
}

/** resolveField, or a RuleNotMapped naming the field and logsource. */
export function requireField(logsource: Logsource, name: string): Sql {
  const expr = resolveField(logsource, name);
  if (!expr) throw new RuleNotMapped(`field ${name} not mapped for logsource ${describeLogsource(logsource)}`);
  return expr;
}

/**
 * Which events a rule of this logsource may match. `caseFormats` (captures.format of the case's
 * captures), when given, skips a rule no capture of the case can supply.
 */
export function logsourcePredicate(logsource: Logsource, caseFormats?: readonly string[]): { sql: Sql } | { skip: string } {
  const bindings = bindingsFor(logsource);
  if (bindings.length === 0) return { skip: `no importer supplies logsource ${describeLogsource(logsource)}` };
  if (caseFormats && !bindings.some((b) => b.formats.length === 0 || b.formats.some((f) => caseFormats.includes(f)))) {
    const from = [...new Set(bindings.flatMap((b) => b.formats))].join(', ');
    return { skip: `no capture in the case supplies logsource ${describeLogsource(logsource)} (it comes from ${from})` };
  }
  const parts = bindings.map((b) => b.when);
  return { sql: parts.length === 1 ? (parts[0] as Sql) : sql`(${parts.slice(1).reduce((acc, p) => sql`${acc} OR ${p}`, parts[0] as Sql)})` };
}

/** The SQL predicate of a logsource, or a RuleNotMapped when nothing supplies it. */
export function requireLogsource(logsource: Logsource): Sql {
  const p = logsourcePredicate(logsource);
  if ('skip' in p) throw new RuleNotMapped(p.skip);
  return p.sql;
}

/** Every source-field value of the event (Windows EventData, Zeek columns) as one text (field-cache.ts computes it once per event). */
export const EVENT_DATA_TEXT = rawSql("concat_ws(' ', e.target, e.args, array_to_string(json_extract_string(e.fields, '$.*'), ' '))");

/** The text a keyword detection searches, for events of this logsource. */
export function keywordText(logsource: Logsource): Sql {
  const bindings = bindingsFor(logsource);
  const own = bindings.flatMap((b) => {
    const t = b.keywordText ?? (b.generic ? EVENT_DATA_TEXT : undefined);
    return t ? [{ b, t }] : [];
  });
  const fallback = rawSql("concat_ws(' ', e.target, e.args, e.process)");
  if (own.length === 0) return fallback;
  if (own.length === 1 && bindings.length === 1) return (own[0] as { t: Sql }).t;
  const whens = own.map((o) => sql`WHEN ${o.b.when} THEN ${o.t}`);
  return sql`(CASE ${joinWhens(whens)} ELSE ${fallback} END)`;
}

/**
 * One selection (an AND of field matchers) as a predicate: for auditd, the fields must hold in one
 * record of the event; elsewhere the predicate is the event's.
 */
export function scopeSelection(logsource: Logsource, predicate: Sql): Sql {
  return bindingsFor(logsource).some((b) => b.perRecord) ? recordScoped(predicate) : predicate;
}
