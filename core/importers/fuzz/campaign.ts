// The fuzz campaign: which inputs each importer gets, derived from a run seed so that any one
// input can be rebuilt from (seed, format, case number) alone. Case 0 is the seed file itself, then
// truncations at chunk boundaries, then every mutation once, then random stacks of mutations.
import { mulberry32 } from '../../testing/prng.ts';
import type { Importer } from '../types.ts';
import { chunkBoundaryTruncations, MUTATIONS, randomInt, type MutationSizes, type Rng } from './mutations.ts';
import type { Seed } from './seeds.ts';
import { INGEST_CHUNK_BYTES } from './harness.ts';

export interface FuzzCase {
  format: string;
  index: number;
  seedName: string;
  /** What was done to the seed, in order. */
  steps: string[];
  /** How many bytes the ingest is fed at a time (splits lines and characters across chunks). */
  chunkBytes: number;
  bytes: Uint8Array;
}

export interface CampaignSizes extends MutationSizes {
  /** Chunk size whose boundaries the truncations land on. */
  truncationChunk: number;
  /** At most this many truncations per seed (spread over the file); Infinity for all. */
  maxTruncationsPerSeed: number;
  /** Seed files given unchanged and truncated: at most this many (spread over the list); Infinity for all. */
  maxSeeds: number;
}

/** Chunk sizes the ingest might as well have used: each splits lines and UTF-8 characters elsewhere. */
const CHUNK_CHOICES = [INGEST_CHUNK_BYTES, INGEST_CHUNK_BYTES, 4096, 1000, 61, 7];

function caseRng(runSeed: number, format: string, index: number): Rng {
  let h = runSeed >>> 0;
  for (const ch of `${format}#${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x9e3779b1) >>> 0;
  return mulberry32(h);
}

function spread<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  return Array.from({ length: max }, (_, i) => items[Math.floor((i * items.length) / max)]!);
}

/** The fixed part of an importer's campaign: seeds, their chunk-boundary truncations, each mutation once. */
export function fixedCases(importer: Importer, seeds: Seed[], runSeed: number, sizes: CampaignSizes): FuzzCase[] {
  const format = importer.format;
  const cases: FuzzCase[] = [];
  const add = (seedName: string, steps: string[], chunkBytes: number, bytes: Uint8Array): void => {
    cases.push({ format, index: cases.length, seedName, steps, chunkBytes, bytes });
  };
  const chosen = spread(seeds, sizes.maxSeeds);
  for (const seed of chosen) add(seed.name, [], INGEST_CHUNK_BYTES, seed.bytes);
  for (const seed of chosen) {
    for (const cut of spread(chunkBoundaryTruncations(seed.bytes, sizes.truncationChunk), sizes.maxTruncationsPerSeed)) {
      add(seed.name, [`truncate@${cut.length}`], sizes.truncationChunk, cut);
    }
  }
  for (const m of MUTATIONS) {
    if (m.appliesTo === 'text' && importer.mode === 'binary') continue;
    const rng = caseRng(runSeed, format, cases.length);
    const seed = seeds[randomInt(rng, seeds.length)]!;
    add(seed.name, [m.name], CHUNK_CHOICES[randomInt(rng, CHUNK_CHOICES.length)]!, m.apply(seed.bytes, rng, sizes));
  }
  return cases;
}

/** Random cases are numbered from here, well after any importer's fixed cases. */
export const FIRST_RANDOM_CASE = 100_000;

/** Random case number `index` (from FIRST_RANDOM_CASE): one to three stacked mutations of a random seed. */
export function randomCase(importer: Importer, seeds: Seed[], runSeed: number, index: number, sizes: CampaignSizes): FuzzCase {
  const rng = caseRng(runSeed, importer.format, index);
  const usable = MUTATIONS.filter((m) => (m.appliesTo === 'any' || importer.mode === 'text') && !m.name.startsWith('long-line'));
  const seed = seeds[randomInt(rng, seeds.length)]!;
  let bytes = seed.bytes;
  const steps: string[] = [];
  const stack = 1 + randomInt(rng, 3);
  for (let i = 0; i < stack; i++) {
    const m = usable[randomInt(rng, usable.length)]!;
    steps.push(m.name);
    bytes = m.apply(bytes, rng, sizes);
  }
  return { format: importer.format, index, seedName: seed.name, steps, chunkBytes: CHUNK_CHOICES[randomInt(rng, CHUNK_CHOICES.length)]!, bytes };
}

export function describeCase(c: FuzzCase, runSeed: number): string {
  return `${c.format} case ${c.index} (seed ${runSeed}): ${c.seedName} ${c.steps.join(' + ') || 'unchanged'}, ${c.bytes.length} bytes in ${c.chunkBytes}-byte chunks`;
}
