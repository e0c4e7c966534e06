import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCapture } from '../../core/api/testing-case.ts';
import { CaseStore } from '../../core/store/case-store.ts';
import { sql } from '../../core/store/sql.ts';
import { tempDir } from '../../core/testing/temp.ts';
import { main } from '../main.ts';

describe('tracebench align / baseline', () => {
  const dir = tempDir();
  const file = dir.file('cli.duckdb');
  beforeAll(async () => {
    const store = await CaseStore.open(file);
    await addCapture(store, 'a', [{ ts_us: 1_000_000 }]);
    await addCapture(store, 'b', [{ ts_us: 3_000_000 }]);
    store.close();
  });
  afterAll(() => dir.remove());

  const tsOf = async (captureId: number) => {
    const store = await CaseStore.open(file, { create: false });
    try {
      return (await store.one(sql`SELECT ts_us FROM event_rows WHERE capture_id = ${captureId}`, { ts_us: 'num' }))?.ts_us;
    } finally {
      store.close();
    }
  };

  it('applies --offset (a negative one with =) and --same', async () => {
    expect(await main(['align', file, '1', '--offset', '1.5s'])).toBe(0);
    expect(await tsOf(1)).toBe(2_500_000);
    expect(await main(['align', file, '1', '--offset=-500ms'])).toBe(0);
    expect(await tsOf(1)).toBe(500_000);
    expect(await main(['align', file, '1', '--same', '1', '2'])).toBe(0);
    expect(await tsOf(1)).toBe(3_000_000);
  });

  it('rejects bad usage with exit code 2', async () => {
    expect(await main(['align', file, '1'])).toBe(2);
    expect(await main(['align', file, '1', '--offset', 'soon'])).toBe(2);
    expect(await main(['align', file, 'x', '--offset', '1s'])).toBe(2);
  });

  it('marks and clears a baseline', async () => {
    expect(await main(['baseline', file, '2'])).toBe(0);
    expect(await main(['baseline', file, '2', '--off'])).toBe(0);
    expect(await main(['baseline', file, '9'])).toBe(1);
  });
});
