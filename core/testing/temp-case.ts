// Test helper: one case in a fresh temporary folder for a test file, opened before its tests and
// closed and removed after them.
import { afterAll, beforeAll } from 'vitest';
import { CaseStore } from '../store/case-store.ts';
import { tempDir } from './temp.ts';

/** Registers the hooks; `opened` receives the case once it is open. */
export function caseForTests(opened: (store: CaseStore) => void, name = 'case.duckdb'): void {
  const dir = tempDir();
  let store: CaseStore | undefined;
  beforeAll(async () => {
    store = await CaseStore.open(dir.file(name));
    opened(store);
  });
  afterAll(() => {
    store?.close();
    dir.remove();
  });
}
