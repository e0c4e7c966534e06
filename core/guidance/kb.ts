// The guidance knowledge base: YAML files in core/guidance/kb/, validated with zod when loaded
// (a malformed entry is an error naming the file and entry, never a silent gap).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { GuidanceEntry } from '../api.ts';

export const KB_DIR = join(import.meta.dirname, 'kb');

const ENTERPRISE_ID = /^T1\d{3}(\.\d{3})?$/;
const ICS_ID = /^T0\d{3}$/;

const entrySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9_.:-]+$/i),
    ops: z.array(z.string().min(1)).min(1),
    platform: z.enum(['linux', 'windows', 'any']),
    source_kind: z.string().min(1),
    title: z.string().min(3),
    what_it_does: z.string().min(10),
    benign: z.array(z.string().min(3)).min(1),
    suspicious: z.array(z.string().min(3)).min(1),
    check_next: z.array(z.string().min(3)).min(1),
    attack_enterprise: z.array(z.string().regex(ENTERPRISE_ID, 'ATT&CK Enterprise ids look like T1055 or T1003.001')),
    attack_ics: z.array(z.string().regex(ICS_ID, 'ATT&CK for ICS ids look like T0855')),
    references: z.array(z.url()).min(1),
  })
  .strict();

const fileSchema = z.object({ entries: z.array(z.unknown()).min(1) }).strict();

export interface KnowledgeBase {
  entries: GuidanceEntry[];
  /** Lower-cased op → entries covering it (several platforms may share a name, e.g. connect). */
  byOp: Map<string, GuidanceEntry[]>;
}

export function loadKnowledgeBase(dir = KB_DIR): KnowledgeBase {
  const entries: GuidanceEntry[] = [];
  const ids = new Set<string>();
  for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
    const file = join(dir, name);
    const doc = fileSchema.safeParse(parse(readFileSync(file, 'utf8')));
    if (!doc.success) throw new Error(`${file}: ${doc.error.issues[0]?.message ?? 'not a knowledge-base file'}`);
    doc.data.entries.forEach((raw, i) => {
      const parsed = entrySchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`${file}: entry ${i + 1}${isNamed(raw) ? ` (${raw.id})` : ''}: ${issue?.path.join('.')}: ${issue?.message}`);
      }
      if (ids.has(parsed.data.id)) throw new Error(`${file}: duplicate entry id ${parsed.data.id}`);
      ids.add(parsed.data.id);
      entries.push(parsed.data);
    });
  }
  const byOp = new Map<string, GuidanceEntry[]>();
  for (const e of entries) for (const op of e.ops) byOp.set(op.toLowerCase(), [...(byOp.get(op.toLowerCase()) ?? []), e]);
  return { entries, byOp };
}

function isNamed(x: unknown): x is { id: string } {
  return typeof x === 'object' && x !== null && typeof (x as { id?: unknown }).id === 'string';
}

let cached: KnowledgeBase | null = null;
/** The shipped knowledge base, loaded once per process. */
export function knowledgeBase(): KnowledgeBase {
  cached ??= loadKnowledgeBase();
  return cached;
}
