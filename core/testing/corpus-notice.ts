// Vitest global setup: says in one line whether the shared corpus suite runs.
import { CORPUS_ROOT, corpusPresent } from './corpus.ts';

export default function corpusNotice(): void {
  if (corpusPresent) console.log(`corpus: ${CORPUS_ROOT} found; the corpus suite runs`);
  else console.log(`corpus: ${CORPUS_ROOT} not found; the corpus suite is skipped (the core suite runs on the repository's own fixtures)`);
}
