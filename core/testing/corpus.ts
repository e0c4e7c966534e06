// The team's larger corpus of real captures lives beside the repository, in ../shared/captures.
// A clean clone does not have it, so every test that reads it is wrapped in `describeCorpus`:
// it runs when the corpus is there (CI has it) and is skipped otherwise, with one line said once
// by the vitest global setup (core/testing/corpus-notice.ts). The core suite never needs it:
// small fixtures live in core/importers/fixtures/<format>/, each folder with a SOURCES.md.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'vitest';

const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** ../shared/captures, beside the repository. */
export const CORPUS_ROOT = join(REPO_ROOT, '..', 'shared', 'captures');

/** Whether the shared corpus is present on this machine. */
export const corpusPresent: boolean = existsSync(CORPUS_ROOT);

/** Path of a real capture under ../shared/captures. */
export function corpusCapture(relative: string): string {
  return join(CORPUS_ROOT, relative);
}

/** Path of a fixture kept in the repository, under core/importers/fixtures/. */
export function fixture(relative: string): string {
  return join(REPO_ROOT, 'core', 'importers', 'fixtures', relative);
}

/** `describe` for tests over the shared corpus: skipped when it is absent. */
export const describeCorpus = describe.skipIf(!corpusPresent);
