// Rule detection → one SQL predicate with bound values. Sigma semantics: string comparisons are
// case-insensitive unless |cased; `*` and `?` in values are wildcards (`\*` a literal star); a list
// of values is an OR (an AND with |all); a selection list is an OR of maps; each map is an AND of
// its fields. Value modifiers are read in modifiers.ts; long value lists become one bound list.
import { joinSql, rawSql, sql, type Sql } from '../../store/sql.ts';
import { parseCidr } from './cidr.ts';
import { expandPattern } from './condition.ts';
import { describeLogsource } from './taxonomy/index.ts';
import { fieldExpr, isNumericField, keywordText, requireLogsource, resolveField as resolveMappedField, scopeSelection } from './fields.ts';
import { hasWildcards, valueGlobs, type Glob, type MatchPlan } from './modifiers.ts';
import { withRegexFlags } from './regex.ts';
import { RuleError, type ConditionNode, type FieldMatcher, type MatchValue, type Rule, type Selection } from './types.ts';

const TRUE = rawSql('TRUE');
const FALSE = rawSql('FALSE');
/** More string values than this in one matcher are looked up in one bound list, not an OR chain. */
export const SET_LOOKUP_MIN = 12;

interface FieldSql {
  expr: Sql;
  numeric: boolean;
}

/**
 * The one call into fields.ts: what a rule's field name reads from the events of the rule's
 * logsource (the taxonomy, sigma/taxonomy/); undefined when no mapping knows it.
 */
function resolveField(rule: Rule, name: string): FieldSql | undefined {
  const expr = resolveMappedField(rule.logsource, name);
  if (expr) return { expr, numeric: isNumericField(name) };
  return anyFieldKnown ? { expr: fieldExpr(`fields.${name}`), numeric: false } : undefined;
}

let anyFieldKnown = false;

/**
 * Measurement only: runs `fn` with every unknown field name read as a source field (`fields.X`),
 * so the share of rules the detection language handles is measured apart from the field mapping.
 */
export function withAnyFieldKnown<T>(fn: () => T): T {
  anyFieldKnown = true;
  try {
    return fn();
  } finally {
    anyFieldKnown = false;
  }
}

/** A field's SQL for a rule (correlation group-by, counted fields); RuleError when unknown. */
export function compileField(rule: Rule, name: string): Sql {
  const f = resolveField(rule, name);
  if (!f) throw new RuleError(rule.file, rule.line, `unknown field "${name}"`);
  return f.expr;
}

/** Compiled conditions per rule and node: a triage run compiles each rule's condition once (field cache, batches, gates). */
const compiledConditions = new WeakMap<Rule, WeakMap<ConditionNode, Sql>>();

/** The rule's condition restricted to the events of its logsource (throws RuleNotMapped when none). */
export function compileCondition(rule: Rule, node: ConditionNode): Sql {
  if (anyFieldKnown) return sql`(${requireLogsource(rule.logsource)} AND ${compileNode(rule, node)})`;
  let perRule = compiledConditions.get(rule);
  if (!perRule) {
    perRule = new WeakMap();
    compiledConditions.set(rule, perRule);
  }
  let compiled = perRule.get(node);
  if (!compiled) {
    compiled = sql`(${requireLogsource(rule.logsource)} AND ${compileNode(rule, node)})`;
    perRule.set(node, compiled);
  }
  return compiled;
}

function compileNode(rule: Rule, node: ConditionNode): Sql {
  const names = [...rule.selections.keys()];
  const sel = (name: string): Sql => {
    const s = rule.selections.get(name);
    if (!s) throw new RuleError(rule.file, rule.line, `unknown selection ${name}`);
    return compileSelection(rule, s);
  };
  switch (node.type) {
    case 'ref':
      return sel(node.name);
    case 'and':
      return group(node.items.map((n) => compileNode(rule, n)), ' AND ');
    case 'or':
      return group(node.items.map((n) => compileNode(rule, n)), ' OR ');
    case 'not':
      return sql`NOT coalesce(${compileNode(rule, node.item)}, FALSE)`;
    case 'of': {
      const parts = expandPattern(node.pattern, names).map(sel);
      return group(parts, node.quantifier === 'all' ? ' AND ' : ' OR ');
    }
  }
}

function group(parts: Sql[], sep: ' AND ' | ' OR '): Sql {
  if (parts.length === 0) return sep === ' AND ' ? TRUE : FALSE;
  if (parts.length === 1) return parts[0] as Sql;
  return sql`(${joinSql(parts, sep)})`;
}

export function compileSelection(rule: Rule, s: Selection): Sql {
  // scopeSelection: for logsources read per record (auditd), every field of one map must hold in the same record.
  return group(s.alternatives.map((alt) => scopeSelection(rule.logsource, group(alt.map((m) => compileMatcher(rule, m)), ' AND '))), ' OR ');
}

function compileMatcher(rule: Rule, m: FieldMatcher): Sql {
  const fail = (detail: string): never => {
    throw new RuleError(rule.file, m.line, detail);
  };
  let field: FieldSql;
  if (m.field === '') field = { expr: keywordText(rule.logsource), numeric: false };
  else field = resolveField(rule, m.field) ?? fail(`field ${m.field} not mapped for logsource ${describeLogsource(rule.logsource)}`);
  try {
    const matched = compileValues(rule, field, m.plan, m.values);
    return m.plan.neq ? sql`(${field.expr} IS NOT NULL AND NOT coalesce(${matched}, FALSE))` : matched;
  } catch (e) {
    if (e instanceof RuleError) throw e;
    return fail(`"${m.field || 'keywords'}": ${(e as Error).message}`);
  }
}

function compileValues(rule: Rule, field: FieldSql, plan: MatchPlan, values: MatchValue[]): Sql {
  const { expr } = field;
  const join = plan.all ? ' AND ' : ' OR ';
  switch (plan.kind) {
    case 'exists':
      return group(values.map((v) => (v === false || v === 'false' ? sql`${expr} IS NULL` : sql`${expr} IS NOT NULL`)), join);
    case 'compare':
      return group(values.map((v) => sql`${numberOf(expr, plan)} ${rawSql(COMPARE_SQL[plan.compare ?? 'gt'])} ${toNumber(v, plan.compare ?? '')}`), join);
    case 'fieldref':
      return group(values.map((v) => fieldRef(rule, field, plan, v)), join);
    case 're': {
      const text = asText(field);
      return group(values.map((v) => sql`coalesce(regexp_matches(${text}, ${withRegexFlags(String(v), plan.reFlags)}), FALSE)`), join);
    }
    case 'cidr':
      return group(values.map((v) => cidrMatch(asText(field), String(v))), join);
    default:
      break;
  }
  if (plan.time) return group(values.map((v) => sql`${numberOf(expr, plan)} = ${toNumber(v, plan.time ?? '')}`), join);
  // String matching (equals / contains / startswith / endswith), after the value transforms.
  const perValue: Glob[][] = [];
  const parts: Sql[] = [];
  for (const v of values) {
    if (v === null) parts.push(sql`${expr} IS NULL`);
    else if (field.numeric && typeof v === 'number' && plan.kind === 'equals' && !plan.base64 && !plan.windash) parts.push(sql`${expr} = ${v}`);
    // Placeholders were replaced at load time when configured (rules-load.ts); left ones fail here.
    else perValue.push(valueGlobs(String(v), plan, new Map()));
  }
  const text = asText(field);
  if (plan.all) {
    for (const globs of perValue) parts.push(globsMatch(text, globs, plan.cased));
    return group(parts, ' AND ');
  }
  parts.push(globsMatch(text, perValue.flat(), plan.cased));
  return group(parts.filter((p) => p !== FALSE), ' OR ');
}

const COMPARE_SQL = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

function asText(field: FieldSql): Sql {
  return field.numeric ? sql`CAST(${field.expr} AS VARCHAR)` : field.expr;
}

/** The field as a number: itself, or a part of its date/time for the time modifiers. */
function numberOf(expr: Sql, plan: MatchPlan): Sql {
  if (plan.time) return sql`date_part(${plan.time}, TRY_CAST(${expr} AS TIMESTAMP))`;
  return sql`TRY_CAST(${expr} AS DOUBLE)`;
}

function toNumber(v: MatchValue, what: string): number {
  const n = typeof v === 'number' ? v : Number(v);
  if (v === null || v === '' || !Number.isFinite(n)) throw new Error(`|${what} needs a number, got ${String(v)}`);
  return n;
}

function fieldRef(rule: Rule, field: FieldSql, plan: MatchPlan, v: MatchValue): Sql {
  const other = resolveField(rule, String(v));
  if (!other) throw new Error(`|fieldref names unknown field "${String(v)}"`);
  const fold = (e: Sql): Sql => (plan.cased ? e : sql`lower(${e})`);
  const a = fold(asText(field));
  const b = fold(asText(other));
  switch (plan.fieldrefShape) {
    case 'contains':
      return sql`coalesce(contains(${a}, ${b}), FALSE)`;
    case 'startswith':
      return sql`coalesce(starts_with(${a}, ${b}), FALSE)`;
    case 'endswith':
      return sql`coalesce(ends_with(${a}, ${b}), FALSE)`;
    default:
      return sql`coalesce(${a} = ${b}, FALSE)`;
  }
}

function cidrMatch(text: Sql, value: string): Sql {
  const net = parseCidr(value);
  if (net.version === 6) return globsMatch(text, net.globs, false);
  const quad = sql`CASE WHEN regexp_full_match(${text}, '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}')
    THEN TRY_CAST(split_part(${text}, '.', 1) AS BIGINT) * 16777216 + TRY_CAST(split_part(${text}, '.', 2) AS BIGINT) * 65536
       + TRY_CAST(split_part(${text}, '.', 3) AS BIGINT) * 256 + TRY_CAST(split_part(${text}, '.', 4) AS BIGINT) END`;
  return sql`coalesce(${quad} BETWEEN ${net.low} AND ${net.high}, FALSE)`;
}

/** Values per regular expression of a long list (keeps each RE2 program small). */
const REGEX_CHUNK = 500;

const isStar = (p: Glob[number] | undefined): boolean => typeof p === 'object' && p.wild === '*';

/** Glob → an RE2 alternative anchored where the glob has no leading / trailing `*`. */
function globRegex(g: Glob, cased: boolean): string {
  const parts = [...g];
  let anchoredStart = true;
  let anchoredEnd = true;
  while (parts.length && isStar(parts[0])) {
    parts.shift();
    anchoredStart = false;
  }
  while (parts.length && isStar(parts[parts.length - 1])) {
    parts.pop();
    anchoredEnd = false;
  }
  const body = parts.map((p) => (typeof p === 'string' ? escapeRegex(cased ? p : p.toLowerCase()) : p.wild === '*' ? '.*' : '.')).join('');
  return `${anchoredStart ? '^' : ''}${body}${anchoredEnd ? '$' : ''}`;
}

function escapeRegex(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, (c) => `\\${c}`);
}

/**
 * An OR over globs. A few become LIKE/ILIKE terms. Many (SigmaHQ's hash and driver lists run to
 * thousands) would make an OR chain DuckDB cannot plan in memory: exact values become one bound
 * list joined by `IN`, the others a few RE2 alternations (one pass over the text each).
 */
function globsMatch(text: Sql, globs: Glob[], cased: boolean): Sql {
  if (globs.length === 0) return FALSE;
  if (globs.length < SET_LOOKUP_MIN) {
    const folded = cased ? text : sql`lower(${text})`;
    return group(globs.map((g) => literalMatch(folded, g, cased) ?? likeMatch(text, likePattern(g), cased)), ' OR ');
  }
  const subject = cased ? text : sql`lower(${text})`;
  const exact: string[] = [];
  const patterns: string[] = [];
  for (const g of globs) {
    if (!hasWildcards(g)) exact.push(cased ? g.join('') : g.join('').toLowerCase());
    else patterns.push(globRegex(g, cased));
  }
  const parts: Sql[] = [];
  if (exact.length) parts.push(sql`coalesce(${subject} IN (SELECT unnest(CAST(CAST(${JSON.stringify([...new Set(exact)])} AS JSON) AS VARCHAR[]))), FALSE)`);
  for (let i = 0; i < patterns.length; i += REGEX_CHUNK) {
    parts.push(sql`coalesce(regexp_matches(${subject}, ${`(?s)(?:${patterns.slice(i, i + REGEX_CHUNK).join('|')})`}), FALSE)`);
  }
  return group(parts, ' OR ');
}

/**
 * A glob that is one literal with `*` only at its ends, as the string function it means: equals,
 * starts_with, ends_with or contains over the (lower-cased unless cased) text. Same truth as the
 * LIKE/ILIKE (DuckDB's ILIKE compares lower-cased text too; NULL stays NULL), but a bound pattern
 * is opaque to DuckDB's optimizer, which would otherwise rewrite such LIKEs itself: ILIKE with a
 * parameter ran ~10× slower than contains over lower(text). Undefined for other globs.
 */
function literalMatch(folded: Sql, g: Glob, cased: boolean): Sql | undefined {
  const parts = [...g];
  let leading = false;
  let trailing = false;
  while (parts.length > 0 && isStar(parts[0])) {
    parts.shift();
    leading = true;
  }
  while (parts.length > 0 && isStar(parts[parts.length - 1])) {
    parts.pop();
    trailing = true;
  }
  if (parts.some((p) => typeof p !== 'string')) return undefined;
  const literal = parts.join('');
  if (literal === '' && (leading || trailing)) return undefined; // `*`: any non-NULL text, left to LIKE
  const value = cased ? sql`${literal}` : sql`lower(${literal})`;
  if (leading && trailing) return sql`contains(${folded}, ${value})`;
  if (leading) return sql`ends_with(${folded}, ${value})`;
  if (trailing) return sql`starts_with(${folded}, ${value})`;
  return sql`(${folded} = ${value})`;
}

/** Glob → LIKE pattern with `\` escaping every literal `%`, `_` and `\`. */
function likePattern(g: Glob): string {
  return g.map((p) => (typeof p === 'string' ? p.replace(/[%_\\]/g, (c) => `\\${c}`) : p.wild === '*' ? '%' : '_')).join('');
}

function likeMatch(expr: Sql, pattern: string, cased: boolean): Sql {
  return cased ? sql`(${expr} LIKE ${pattern} ESCAPE '\\')` : sql`(${expr} ILIKE ${pattern} ESCAPE '\\')`;
}
