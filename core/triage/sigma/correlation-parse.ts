// The `correlation:` section of a Sigma correlation rule (Sigma correlation specification 2.0):
// type, rules (ids or names), group-by, timespan, condition, field, aliases, generate.
// References are resolved by the loader (rules-load.ts); evaluation is in correlation.ts.
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { parseDurationUs } from '../../util/time.ts';
import type { CountCondition, SigmaCorrelation } from './types.ts';

type Fail = (node: Node | Pair | null | undefined, msg: string) => never;
type Get = (map: YAMLMap, key: string) => Node | null;

const KINDS: readonly SigmaCorrelation['kind'][] = ['event_count', 'value_count', 'temporal', 'temporal_ordered'];
const BOUNDS = ['gt', 'gte', 'lt', 'lte', 'eq'] as const;

export function parseSigmaCorrelation(node: Node, fail: Fail, get: Get): SigmaCorrelation {
  if (!isMap(node)) return fail(node, 'correlation must be a mapping (type, rules, group-by, timespan, condition)');
  const text = (key: string): string | null => {
    const v = get(node, key);
    if (v === null) return null;
    return isScalar(v) && v.value !== null ? String(v.value) : fail(v, `correlation.${key} must be a scalar`);
  };
  const list = (key: string): string[] => {
    const v = get(node, key);
    if (v === null) return [];
    if (isScalar(v) && v.value !== null) return [String(v.value)];
    if (!isSeq(v)) return fail(v, `correlation.${key} must be a list`);
    return v.items.map((x) => (isScalar(x) ? String(x.value) : fail(x as Node, `correlation.${key} items must be text`)));
  };

  const kind = text('type');
  if (!kind || !(KINDS as readonly string[]).includes(kind)) return fail(get(node, 'type') ?? node, `correlation.type must be one of ${KINDS.join(', ')}`);
  const rules = list('rules');
  if (rules.length === 0) fail(node, 'correlation.rules must name at least one rule (id or name)');
  if ((kind === 'temporal' || kind === 'temporal_ordered') && rules.length < 2) fail(get(node, 'rules'), `a ${kind} correlation needs two or more rules`);
  const span = text('timespan') ?? text('timeframe');
  if (span === null) return fail(node, 'correlation.timespan is required (e.g. 5m, 1h)');
  const withinUs = parseDurationUs(span);
  if (withinUs === null || withinUs <= 0) return fail(get(node, 'timespan'), `correlation.timespan "${span}" is not a duration such as 30s, 5m, 1h or 1d`);

  const condition: CountCondition = {};
  let field: string | null = null;
  const condNode = get(node, 'condition');
  if (condNode !== null) {
    if (!isMap(condNode)) return fail(condNode, 'correlation.condition must be a mapping such as {gte: 10}');
    for (const pair of condNode.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const value = pair.value as Node | null;
      if (key === 'field') {
        field = value && isScalar(value) ? String(value.value) : fail(pair, 'correlation.condition.field must be a field name');
        continue;
      }
      if (!(BOUNDS as readonly string[]).includes(key)) fail(pair, `correlation.condition: "${key}" is not one of ${BOUNDS.join(', ')}, field`);
      const n = value && isScalar(value) ? Number(value.value) : NaN;
      if (!Number.isFinite(n)) fail(pair, `correlation.condition.${key} must be a number`);
      condition[key as (typeof BOUNDS)[number]] = n;
    }
  }
  if ((kind === 'event_count' || kind === 'value_count') && Object.keys(condition).length === 0) fail(condNode ?? node, `a ${kind} correlation needs a condition such as {gte: 10}`);
  if (kind === 'value_count' && field === null) fail(condNode ?? node, 'a value_count correlation needs condition.field');

  const aliases: Record<string, Record<string, string>> = {};
  const aliasNode = get(node, 'aliases');
  if (aliasNode !== null) {
    if (!isMap(aliasNode)) return fail(aliasNode, 'correlation.aliases must map alias → {rule: field}');
    for (const pair of aliasNode.items) {
      const alias = isScalar(pair.key) ? String(pair.key.value) : fail(pair, 'alias names must be text');
      const perRule = pair.value as Node | null;
      if (!perRule || !isMap(perRule)) return fail(pair, `alias "${alias}" must map rule names to field names`);
      aliases[alias] = Object.fromEntries(perRule.items.map((p) => [isScalar(p.key) ? String(p.key.value) : '', isScalar(p.value) ? String(p.value.value) : '']));
    }
  }
  const generate = text('generate');
  return {
    type: 'sigma',
    kind: kind as SigmaCorrelation['kind'],
    rules,
    resolved: [],
    groupFields: list('group-by'),
    aliases,
    withinUs,
    condition,
    field,
    generate: generate === 'true',
    groupBy: 'host',
  };
}

/** Whether a count meets every bound of the condition (temporal: defaults to "all rules seen"). */
export function meetsCount(n: number, c: CountCondition): boolean {
  return (c.gt === undefined || n > c.gt) && (c.gte === undefined || n >= c.gte) && (c.lt === undefined || n < c.lt) && (c.lte === undefined || n <= c.lte) && (c.eq === undefined || n === c.eq);
}
