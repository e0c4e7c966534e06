// Rule detection → one SQL predicate with bound values. Sigma semantics: string comparisons are
// case-insensitive unless |cased; `*` and `?` in values are wildcards; a list of values is an OR
// (an AND with |all); a selection list is an OR of maps; each map is an AND of its fields.
import { joinSql, rawSql, sql, type Sql } from '../../store/sql.ts';
import { expandPattern } from './condition.ts';
import { isNumericField, keywordText, requireField, requireLogsource, scopeSelection } from './fields.ts';
import type { ConditionNode, FieldMatcher, MatchValue, Rule, Selection } from './types.ts';

const TRUE = rawSql('TRUE');
const FALSE = rawSql('FALSE');

/** The rule's condition restricted to the events of its logsource (throws RuleNotMapped when none). */
export function compileCondition(rule: Rule, node: ConditionNode): Sql {
  return sql`(${requireLogsource(rule.logsource)} AND ${compileNode(rule, node)})`;
}

function compileNode(rule: Rule, node: ConditionNode): Sql {
  const names = [...rule.selections.keys()];
  const sel = (name: string): Sql => {
    const s = rule.selections.get(name);
    if (!s) throw new Error(`${rule.file}:${rule.line}: unknown selection ${name}`);
    return compileSelection(s, rule.logsource);
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

function group(parts: Sql[], sep: string): Sql {
  if (parts.length === 0) return sep === ' AND ' ? TRUE : FALSE;
  return sql`(${joinSql(parts, sep)})`;
}

export function compileSelection(s: Selection, logsource: Rule['logsource'] = {}): Sql {
  if (s.keywords.length > 0) {
    const text = keywordText(logsource);
    return group(s.keywords.map((k) => likeMatch(text, `*${k}*`, false)), ' OR ');
  }
  return group(s.alternatives.map((alt) => scopeSelection(logsource, group(alt.map((m) => compileMatcher(m, logsource)), ' AND '))), ' OR ');
}

function compileMatcher(m: FieldMatcher, logsource: Rule['logsource']): Sql {
  const expr = requireField(logsource, m.field);
  const mods = new Set(m.modifiers);
  const parts = m.values.map((v) => compileValue(expr, m.field, mods, v));
  return group(parts, mods.has('all') ? ' AND ' : ' OR ');
}

function compileValue(expr: Sql, field: string, mods: Set<string>, value: MatchValue): Sql {
  if (mods.has('exists')) return value === false ? sql`${expr} IS NULL` : sql`${expr} IS NOT NULL`;
  if (value === null) return sql`${expr} IS NULL`;
  for (const [mod, op] of [['gt', '>'], ['gte', '>='], ['lt', '<'], ['lte', '<=']] as const) {
    if (mods.has(mod)) {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`|${mod} needs a number, got ${String(value)}`);
      return sql`TRY_CAST(${expr} AS DOUBLE) ${rawSql(op)} ${n}`;
    }
  }
  if (isNumericField(field) && typeof value === 'number' && !mods.has('re')) return sql`${expr} = ${value}`;
  const text = isNumericField(field) ? sql`CAST(${expr} AS VARCHAR)` : expr;
  const cased = mods.has('cased');
  const s = String(value);
  if (mods.has('re')) {
    // DuckDB (RE2) takes flags as a third argument; the common `(?i)` prefix works inline too.
    return sql`coalesce(regexp_matches(${text}, ${s}), FALSE)`;
  }
  if (mods.has('contains')) return likeMatch(text, `*${s}*`, cased);
  if (mods.has('startswith')) return likeMatch(text, `${s}*`, cased);
  if (mods.has('endswith')) return likeMatch(text, `*${s}`, cased);
  return likeMatch(text, s, cased);
}

/** Glob (`*`, `?`, `\*` for a literal star) → LIKE/ILIKE with every other character literal. */
function likeMatch(expr: Sql, glob: string, cased: boolean): Sql {
  let pattern = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '\\' && (glob[i + 1] === '*' || glob[i + 1] === '?')) {
      pattern += glob[i + 1];
      i++;
    } else if (c === '*') pattern += '%';
    else if (c === '?') pattern += '_';
    else if (c === '%' || c === '_' || c === '\\') pattern += `\\${c}`;
    else pattern += c;
  }
  return cased ? sql`(${expr} LIKE ${pattern} ESCAPE '\\')` : sql`(${expr} ILIKE ${pattern} ESCAPE '\\')`;
}
