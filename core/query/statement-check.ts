// Checks the parse tree of an analyst's statement, as DuckDB's own parser wrote it
// (json_serialize_sql), against the query console's allow-list. Working on DuckDB's tree rather
// than the text means comments, quoting, escapes and odd spacing cannot hide a call: what is
// checked is what DuckDB will bind. Everything not known to be harmless is refused, naming it.
//
// The tree's shape (DuckDB 1.5): each statement is {node}; a query node has `type` *_NODE and a
// `cte_map.map` of {key, value: {query: {node}}}; a table reference has a `type` such as
// BASE_TABLE (table_name, schema_name, catalog_name) or TABLE_FUNCTION (function); an
// expression has a `class` (FUNCTION and WINDOW carry function_name, schema, catalog).
import { z } from 'zod';
import { QueryRefusedError } from './query-errors.ts';
import type { QueryPolicy } from './sql-allow-list.ts';

type Node = Record<string, unknown>;

const QUERY_NODES = new Set(['SELECT_NODE', 'SET_OPERATION_NODE', 'RECURSIVE_CTE_NODE', 'CTE_NODE']);

/** Table references that only combine or produce rows of their own; BASE_TABLE and SHOW_REF are checked by name. */
const PLAIN_TABLE_REFS = new Set(['SUBQUERY', 'JOIN', 'EXPRESSION_LIST', 'EMPTY', 'PIVOT']);
const TABLE_REF_TYPES = new Set([...PLAIN_TABLE_REFS, 'BASE_TABLE', 'SHOW_REF', 'TABLE_FUNCTION', 'CTE', 'COLUMN_DATA', 'DELIM_GET', 'INVALID']);

/** Expression classes that compute from their children and call nothing by name. */
const PLAIN_EXPRESSIONS = new Set([
  'BETWEEN',
  'CASE',
  'CAST',
  'COLLATE',
  'COLUMN_REF',
  'COMPARISON',
  'CONJUNCTION',
  'CONSTANT',
  'OPERATOR',
  'STAR',
  'SUBQUERY',
  'LAMBDA',
  'LAMBDA_REF',
  'POSITIONAL_REFERENCE',
]);

const SERIALIZED = z.union([
  z.object({ error: z.literal(true), error_type: z.string().optional(), error_message: z.string().optional() }),
  z.object({ error: z.literal(false), statements: z.array(z.object({ node: z.record(z.string(), z.unknown()) })) }),
]);

export type ParsedSelect = { ok: true; node: Node } | { ok: false; kind: string; message: string };

/** json_serialize_sql's answer → the one query node, or DuckDB's reason it gave none. */
export function readSerialized(json: string): ParsedSelect {
  const parsed = SERIALIZED.parse(JSON.parse(json));
  if (parsed.error) return { ok: false, kind: parsed.error_type ?? '', message: parsed.error_message ?? 'not a SELECT' };
  const [first, ...rest] = parsed.statements;
  if (!first || rest.length > 0) return { ok: false, kind: 'count', message: `${parsed.statements.length} statements` };
  return { ok: true, node: first.node };
}

function isNode(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v.toLowerCase() : '';
}

function relationList(policy: QueryPolicy): string {
  return [...policy.relations].sort().join(', ');
}

class Checker {
  constructor(private readonly policy: QueryPolicy) {}

  visit(v: unknown, ctes: ReadonlySet<string>): void {
    if (Array.isArray(v)) {
      for (const x of v) this.visit(x, ctes);
      return;
    }
    if (!isNode(v)) return;
    if (typeof v['class'] === 'string') return this.expression(v, ctes);
    const type = typeof v['type'] === 'string' ? v['type'] : '';
    if (QUERY_NODES.has(type)) return this.queryNode(v, ctes);
    if (type.endsWith('_NODE')) throw new QueryRefusedError(`not allowed in the query console: a ${type} query`);
    if (TABLE_REF_TYPES.has(type)) return this.tableRef(type, v, ctes);
    this.children(v, ctes);
  }

  private children(v: Node, ctes: ReadonlySet<string>, skip?: string): void {
    for (const [key, child] of Object.entries(v)) if (key !== skip) this.visit(child, ctes);
  }

  /** A query node: its CTEs are visible to the CTEs after them (and to itself when recursive) and to its body. */
  private queryNode(v: Node, outer: ReadonlySet<string>): void {
    const map = isNode(v['cte_map']) && Array.isArray(v['cte_map']['map']) ? v['cte_map']['map'] : [];
    let inScope = new Set(outer);
    for (const entry of map) {
      if (!isNode(entry)) continue;
      const name = str(entry['key']);
      const body = entry['value'];
      const bodyNode = isNode(body) && isNode(body['query']) ? body['query']['node'] : undefined;
      const recursive = isNode(bodyNode) && bodyNode['type'] === 'RECURSIVE_CTE_NODE';
      this.visit(body, recursive ? new Set([...inScope, name]) : inScope);
      inScope = new Set([...inScope, name]);
    }
    this.children(v, inScope, 'cte_map');
  }

  private tableRef(type: string, v: Node, ctes: ReadonlySet<string>): void {
    if (PLAIN_TABLE_REFS.has(type)) return this.children(v, ctes);
    if (type === 'BASE_TABLE') {
      this.baseTable(v, ctes);
      return this.children(v, ctes);
    }
    if (type === 'SHOW_REF' && isNode(v['query'])) return this.children(v, ctes); // DESCRIBE / SUMMARIZE of a query
    if (type === 'SHOW_REF') {
      throw new QueryRefusedError(`not allowed in the query console: SHOW/DESCRIBE of the catalog (the case's tables are ${relationList(this.policy)})`);
    }
    if (type === 'TABLE_FUNCTION') {
      const fn = isNode(v['function']) ? String(v['function']['function_name'] ?? '?') : '?';
      throw new QueryRefusedError(
        `not allowed in the query console: table function ${fn}() (file readers and other table functions are refused; query the case's tables: ${relationList(this.policy)})`,
      );
    }
    throw new QueryRefusedError(`not allowed in the query console: a ${type} table reference`);
  }

  private baseTable(v: Node, ctes: ReadonlySet<string>): void {
    const name = str(v['table_name']);
    const schema = str(v['schema_name']);
    const catalog = str(v['catalog_name']);
    if (catalog === '' && schema === '' && ctes.has(name)) return;
    const ownCatalog = catalog === '' || catalog === this.policy.database;
    const ownSchema = schema === '' || schema === 'main';
    if (ownCatalog && ownSchema && this.policy.relations.has(name)) return;
    const shown = [v['catalog_name'], v['schema_name'], v['table_name']].filter((p) => typeof p === 'string' && p !== '').join('.');
    const looksLikeFile = /[/\\:]|\.[a-z0-9]{1,8}$/i.test(name);
    throw new QueryRefusedError(
      `not allowed in the query console: "${shown}" is not a table of this case${looksLikeFile ? ' (reading files is refused)' : ''}; the case's tables are ${relationList(this.policy)}`,
    );
  }

  private expression(v: Node, ctes: ReadonlySet<string>): void {
    const cls = String(v['class']);
    if (cls === 'FUNCTION' || cls === 'WINDOW') this.functionCall(v);
    else if (!PLAIN_EXPRESSIONS.has(cls)) throw new QueryRefusedError(`not allowed in the query console: a ${cls.toLowerCase()} expression`);
    this.children(v, ctes);
  }

  private functionCall(v: Node): void {
    const name = str(v['function_name']);
    const schema = str(v['schema']);
    const catalog = str(v['catalog']);
    if (catalog !== '' || (schema !== '' && schema !== 'main')) {
      throw new QueryRefusedError(`not allowed in the query console: the qualified function ${[catalog, schema, name].filter(Boolean).join('.')}() (call functions by their plain name)`);
    }
    if (!this.policy.functions.has(name)) {
      throw new QueryRefusedError(
        `not allowed in the query console: function ${name}() (it is unknown, or it reaches files, settings, secrets, extensions or the catalog)`,
      );
    }
  }
}

/** Throws QueryRefusedError naming the first thing in the query node that is not allowed. */
export function checkSelectTree(node: Node, policy: QueryPolicy): void {
  new Checker(policy).visit(node, new Set());
}
