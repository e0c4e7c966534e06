// One JSON record (a JSON Lines line, a Zeek JSON line, a Winlogbeat/NXLog line, a tshark packet
// object) parsed for an importer, with its nesting bounded. V8's JSON.parse reads any depth
// without recursion, but everything after it recurses: our flatteners and JSON.stringify (which
// the flatteners and the event packer call on nested values) overflow the stack on a line of
// 100,000 "[" and abort the whole file. A record deeper than MAX_JSON_DEPTH is therefore refused
// here, before any walker sees it, and becomes one reject. Real records are a few levels deep
// (Winlogbeat ≈ 4, tshark -T ek ≈ 6).

/** Deepest nesting of arrays and objects accepted (the record itself is level 1). */
export const MAX_JSON_DEPTH = 64;

export type JsonRecordProblem = 'syntax' | 'not-object' | 'too-deep';

export type JsonRecord =
  | { ok: true; value: Record<string, unknown> }
  | { ok: false; problem: JsonRecordProblem; message: string };

/** Whether `value` nests arrays/objects deeper than `max` levels; iterative, stops at the first too-deep branch. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const stack: unknown[] = [value];
  const depths: number[] = [1];
  while (stack.length > 0) {
    const v = stack.pop();
    const depth = depths.pop() ?? 0;
    if (depth > max) return true;
    const children = Array.isArray(v) ? (v as unknown[]) : Object.values(v as Record<string, unknown>);
    for (const child of children) {
      if (child !== null && typeof child === 'object') {
        stack.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/** Parses `text` as one JSON object no deeper than MAX_JSON_DEPTH; never throws. */
export function parseJsonRecord(text: string): JsonRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: 'syntax', message: `not valid JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problem: 'not-object', message: 'not a JSON object' };
  }
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
    return { ok: false, problem: 'too-deep', message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
