// Rule files → Rule objects. Walks the YAML node tree (not plain JS) so that every error names
// the file and the line it comes from. One file may hold several rules separated by `---`.
import { LineCounter, parseAllDocuments, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { expandPattern, parseCondition, referencedNames } from './condition.ts';
import { isKnownField } from './fields.ts';
import { planModifiers } from './modifiers.ts';
import { checkRegex } from './regex.ts';
import { parseSigmaCorrelation } from './correlation-parse.ts';
import { LEVELS, RuleError, type ConditionNode, type Correlation, type FieldMatcher, type GroupBy, type Level, type MatchValue, type Rule, type Selection } from './types.ts';
import { parseDurationUs } from '../../util/time.ts';

const GROUPS: readonly GroupBy[] = ['process', 'tree', 'host', 'target'];

/** One document of a rule file: its rule, or why it did not parse (with what id/title it shows). */
export type ParsedDocument = { ok: true; rule: Rule } | { ok: false; error: RuleError; id: string; title: string };

/** Parses every document of a rule file; throws the first error (file:line). */
export function parseRuleFile(text: string, file: string): Rule[] {
  return parseRuleDocuments(text, file).map((d) => {
    if (!d.ok) throw d.error;
    return d.rule;
  });
}

/** Parses each document on its own, so one bad document does not hide the others. */
export function parseRuleDocuments(text: string, file: string): ParsedDocument[] {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  if (!Array.isArray(docs)) return []; // an empty stream
  const lineOf = (node: Node | Pair | null | undefined): number => {
    const range = node && 'range' in node ? node.range : isPairWithKey(node) ? keyRange(node) : undefined;
    return range ? lineCounter.linePos(range[0]).line : 1;
  };
  const out: ParsedDocument[] = [];
  for (const doc of docs) {
    const label = (key: string): string => {
      const v = isMap(doc.contents) ? doc.contents.items.find((p) => isScalar(p.key) && p.key.value === key)?.value : undefined;
      return isScalar(v) ? String(v.value) : '';
    };
    try {
      const err = doc.errors[0];
      if (err) throw new RuleError(file, lineCounter.linePos(err.pos[0]).line, `YAML: ${err.message.split('\n')[0]}`);
      if (doc.contents === null) continue;
      const root = doc.contents;
      if (!isMap(root)) throw new RuleError(file, lineOf(root), 'a rule must be a YAML mapping (title, id, detection, …)');
      out.push({ ok: true, rule: parseRule(root, file, lineOf) });
    } catch (e) {
      if (!(e instanceof RuleError)) throw e;
      out.push({ ok: false, error: e, id: label('id'), title: label('title') });
    }
  }
  return out;
}

function isPairWithKey(n: unknown): n is Pair<Node, Node> {
  return typeof n === 'object' && n !== null && 'key' in n;
}
function keyRange(p: Pair<Node, Node>): [number, number, number] | undefined {
  return p.key && 'range' in p.key ? (p.key.range ?? undefined) : undefined;
}

type LineOf = (node: Node | Pair | null | undefined) => number;

function parseRule(root: YAMLMap, file: string, lineOf: LineOf): Rule {
  const fail = (node: Node | Pair | null | undefined, msg: string): never => {
    throw new RuleError(file, lineOf(node), msg);
  };
  const get = (map: YAMLMap, key: string): Node | null => {
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
    return (pair?.value as Node | undefined) ?? null;
  };
  const str = (map: YAMLMap, key: string, required: boolean): string => {
    const v = get(map, key);
    if (v === null) return required ? fail(map, `missing "${key}"`) : '';
    if (!isScalar(v) || typeof v.value === 'object') return fail(v, `"${key}" must be text`);
    return String(v.value);
  };
  const strList = (map: YAMLMap, key: string): string[] => {
    const v = get(map, key);
    if (v === null) return [];
    if (isScalar(v) && v.value !== null) return [String(v.value)]; // one item written without a list
    if (!isSeq(v)) return fail(v, `"${key}" must be a list`);
    return v.items.map((x) => (isScalar(x) ? String(x.value) : fail(x as Node, `"${key}" items must be text`)));
  };

  const action = get(root, 'action');
  if (action && isScalar(action)) fail(action, `rule collections ("action: ${String(action.value)}") are Sigma v1 and not supported: write one rule per document`);

  const title = str(root, 'title', true);
  const id = str(root, 'id', true);
  const levelText = str(root, 'level', false) || 'medium';
  if (!(LEVELS as readonly string[]).includes(levelText)) fail(get(root, 'level'), `level must be one of ${LEVELS.join(', ')}`);
  const tags = strList(root, 'tags');
  const attack = tags.flatMap((t) => {
    const m = /^attack\.(?:ics\.)?(t\d{4}(?:\.\d{3})?)$/i.exec(t);
    return m?.[1] ? [m[1].toUpperCase()] : [];
  });
  const logsourceNode = get(root, 'logsource');
  const logsource: Record<string, string> = {};
  if (logsourceNode && isMap(logsourceNode)) {
    for (const p of logsourceNode.items) if (isScalar(p.key) && isScalar(p.value)) logsource[String(p.key.value)] = String(p.value.value);
  }
  const scoreNode = get(root, 'score');
  let score: number | null = null;
  if (scoreNode) {
    if (!isScalar(scoreNode) || typeof scoreNode.value !== 'number' || scoreNode.value < 0 || scoreNode.value > 100) fail(scoreNode, 'score must be a number 0–100');
    else score = scoreNode.value;
  }
  const groupText = str(root, 'group_by', false) || 'tree';
  if (!(GROUPS as readonly string[]).includes(groupText)) fail(get(root, 'group_by'), `group_by must be one of ${GROUPS.join(', ')}`);

  const meta = {
    name: str(root, 'name', false) || undefined,
    author: str(root, 'author', false) || undefined,
    license: str(root, 'license', false) || undefined,
  };
  const sigmaCorrelation = get(root, 'correlation');
  if (sigmaCorrelation && !get(root, 'detection')) {
    // A Sigma correlation rule: a document with `correlation` and no detection of its own.
    const correlation = parseSigmaCorrelation(sigmaCorrelation, fail, get);
    return {
      id, title, description: str(root, 'description', false), level: levelText as Level, attack: [...new Set(attack)], tags, logsource,
      selections: new Map(), condition: null, correlation, why: str(root, 'why', false), check_next: strList(root, 'check_next'),
      falsepositives: strList(root, 'falsepositives'), score, groupBy: correlation.groupBy, file, line: lineOf(root), ...meta,
    };
  }

  const detection = get(root, 'detection');
  if (!detection || !isMap(detection)) return fail(detection ?? root, '"detection" must be a mapping of named selections plus "condition"');
  const selections = new Map<string, Selection>();
  let conditionNode: Node | null = null;
  for (const pair of detection.items) {
    if (!isScalar(pair.key)) fail(pair, 'selection names must be text');
    const name = String((pair.key as { value: unknown }).value);
    if (name === 'condition') {
      conditionNode = pair.value as Node;
      continue;
    }
    if (name === 'timeframe') continue; // Sigma's own timeframe: use correlation.within instead
    selections.set(name, parseSelection(name, pair.value as Node, fail, lineOf));
  }
  const names = [...selections.keys()];
  const parseCond = (node: Node, text: string): ConditionNode => {
    let cond: ConditionNode;
    try {
      cond = parseCondition(text);
    } catch (e) {
      return fail(node, `condition: ${(e as Error).message}`);
    }
    for (const ref of referencedNames(cond)) if (!selections.has(ref)) fail(node, `condition names "${ref}", which is not a selection of this rule`);
    checkPatterns(cond, names, (p) => fail(node, `condition "of ${p}" matches no selection`));
    return cond;
  };
  let condition: ConditionNode | null = null;
  if (conditionNode) {
    if (!isScalar(conditionNode) || typeof conditionNode.value !== 'string') fail(conditionNode, 'condition must be one text expression');
    else condition = parseCond(conditionNode, conditionNode.value);
  }

  const correlationNode = get(root, 'correlation');
  const correlation = correlationNode ? parseCorrelation(correlationNode, fail, get, parseCond) : null;
  if (!condition && correlation?.type !== 'sequence') fail(detection, 'detection needs a "condition"');

  return {
    id,
    title,
    description: str(root, 'description', false),
    level: levelText as Level,
    attack: [...new Set(attack)],
    tags,
    logsource,
    selections,
    condition,
    correlation,
    why: str(root, 'why', false),
    check_next: strList(root, 'check_next'),
    falsepositives: strList(root, 'falsepositives'),
    score,
    groupBy: groupText as GroupBy,
    file,
    line: lineOf(root),
    ...meta,
  };
}

type Fail = (node: Node | Pair | null | undefined, msg: string) => never;

function parseSelection(name: string, node: Node, fail: Fail, lineOf: LineOf): Selection {
  const line = lineOf(node);
  // Keywords: a bare string, or a list of strings, searched in the event's whole text.
  if (isScalar(node)) return { name, alternatives: [[keywordMatcher([], [scalarValue(node, 'keyword', fail)], node, line, fail)]], line };
  if (isMap(node)) return { name, alternatives: [parseMatcherMap(node, fail, lineOf)], line };
  if (isSeq(node)) {
    if (node.items.every((x) => isScalar(x))) {
      return { name, alternatives: [[keywordMatcher([], node.items.map((x) => scalarValue(x as Node, 'keyword', fail)), node, line, fail)]], line };
    }
    const alternatives = node.items.map((x) => (isMap(x) ? parseMatcherMap(x, fail, lineOf) : fail(x as Node, `selection "${name}": a list must hold only mappings or only keywords`)));
    return { name, alternatives, line };
  }
  return fail(node, `selection "${name}" must be a mapping (AND of fields) or a list (OR)`);
}

/** A keyword matcher: like a field matcher on the whole text, `contains` unless told otherwise. */
function keywordMatcher(modifiers: string[], values: MatchValue[], at: Node | Pair, line: number, fail: Fail): FieldMatcher {
  const shaped = modifiers.some((m) => ['contains', 'startswith', 'endswith', 're', 'cidr', 'exists', 'fieldref', 'lt', 'lte', 'gt', 'gte'].includes(m.toLowerCase()));
  const mods = shaped ? modifiers : ['contains', ...modifiers];
  return { field: '', modifiers: mods, plan: planOrFail('keywords', mods, values, at, fail), values, line };
}

/** Reads the modifier chain (and checks |re patterns), failing at `at` with the problem. */
function planOrFail(field: string, modifiers: string[], values: MatchValue[], at: Node | Pair, fail: Fail): FieldMatcher['plan'] {
  let plan: FieldMatcher['plan'];
  try {
    plan = planModifiers(modifiers);
  } catch (e) {
    return fail(at, `"${field}": ${(e as Error).message}`);
  }
  if (plan.kind === 're') {
    for (const value of values) {
      const problem = checkRegex(String(value));
      if (problem) fail(at, `regular expression for "${field}": ${problem}`);
    }
  }
  return plan;
}

/** A YAML scalar as a Sigma value; numbers keep their written form when YAML would change it (0x1410). */
function scalarValue(n: Node | null, what: string, fail: Fail): MatchValue {
  if (n === null) return null;
  if (!isScalar(n)) return fail(n, `value of "${what}" must be a scalar or a list of scalars`);
  const x = n.value;
  if (typeof x === 'number' && typeof n.source === 'string' && n.source !== String(x)) return n.source;
  return typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean' || x === null ? x : fail(n, `unsupported value for "${what}"`);
}

function parseMatcherMap(map: YAMLMap, fail: Fail, lineOf: LineOf): FieldMatcher[] {
  return map.items.map((pair) => {
    if (!isScalar(pair.key)) return fail(pair, 'field names must be text');
    const [field = '', ...modifiers] = String(pair.key.value).split('|');
    const v = pair.value as Node | null;
    const values: MatchValue[] = [];
    if (v !== null && isSeq(v)) for (const item of v.items) values.push(scalarValue(item as Node, field, fail));
    else values.push(scalarValue(v, field, fail));
    const line = lineOf(pair);
    if (field === '') return keywordMatcher(modifiers, values, pair, line, fail); // `'|all': [a, b]`
    return { field, modifiers, plan: planOrFail(field, modifiers, values, pair, fail), values, line };
  });
}

function parseCorrelation(
  node: Node,
  fail: Fail,
  get: (map: YAMLMap, key: string) => Node | null,
  parseCond: (node: Node, text: string) => ConditionNode,
): Correlation {
  if (!isMap(node)) return fail(node, 'correlation must be a mapping (type, within, …)');
  const text = (key: string): string | null => {
    const v = get(node, key);
    if (v === null) return null;
    return isScalar(v) ? String(v.value) : fail(v, `correlation.${key} must be a scalar`);
  };
  const within = (): number => {
    const t = text('within');
    if (t === null) return fail(node, 'correlation needs "within" (e.g. 10s, 2m)');
    const us = parseDurationUs(t);
    return us !== null && us > 0 ? us : fail(get(node, 'within'), `correlation.within "${t}" is not a duration such as 10s or 2m`);
  };
  const groupBy = (): GroupBy => {
    const g = text('group_by') ?? 'tree';
    return (GROUPS as readonly string[]).includes(g) ? (g as GroupBy) : fail(get(node, 'group_by'), `group_by must be one of ${GROUPS.join(', ')}`);
  };
  const type = text('type');
  switch (type) {
    case 'sequence': {
      const steps = get(node, 'steps');
      if (!steps || !isSeq(steps) || steps.items.length < 2) return fail(steps ?? node, 'a sequence needs "steps": a list of two or more conditions');
      const parsed = steps.items.map((s) => (isScalar(s) ? parseCond(s as Node, String(s.value)) : fail(s as Node, 'each step is a condition text')));
      return { type: 'sequence', steps: parsed, withinUs: within(), groupBy: groupBy() };
    }
    case 'threshold': {
      const count = Number(text('count'));
      if (!Number.isInteger(count) || count < 2) fail(get(node, 'count') ?? node, 'threshold needs "count": an integer ≥ 2');
      const distinct = text('distinct');
      if (distinct !== null && !isKnownField(distinct)) fail(get(node, 'distinct'), `unknown field "${distinct}"`);
      return { type: 'threshold', count, distinct, withinUs: within(), groupBy: groupBy() };
    }
    case 'novel': {
      const key = get(node, 'key');
      if (!key || !isSeq(key) || key.items.length === 0) return fail(key ?? node, 'a novel correlation needs "key": a list of fields');
      const fields = key.items.map((k) => (isScalar(k) && isKnownField(String(k.value)) ? String(k.value) : fail(k as Node, 'key items must be known fields')));
      const base = get(node, 'baseline');
      const baseline = base === null ? null : isScalar(base) ? parseCond(base, String(base.value)) : fail(base, 'correlation.baseline must be a condition text');
      return { type: 'novel', key: fields, baseline };
    }
    default:
      return fail(get(node, 'type') ?? node, 'correlation.type must be sequence, threshold or novel');
  }
}

function checkPatterns(node: ConditionNode, names: string[], onEmpty: (p: string) => void): void {
  if (node.type === 'of' && expandPattern(node.pattern, names).length === 0) onEmpty(node.pattern);
  if (node.type === 'and' || node.type === 'or') node.items.forEach((n) => checkPatterns(n, names, onEmpty));
  if (node.type === 'not') checkPatterns(node.item, names, onEmpty);
}
