import { describe, expect, it } from 'vitest';
import { loadImporter } from './load-importer.ts';
import { IMPORTERS } from './registry.ts';

describe('loadImporter', () => {
  it('finds every registered importer from its own module, as the parse worker does', async () => {
    for (const importer of IMPORTERS) expect(await loadImporter(importer.module, importer.format)).toBe(importer);
  });

  it('names the module and format when the module has no such importer', async () => {
    const strace = IMPORTERS.find((i) => i.format === 'strace')!;
    await expect(loadImporter(strace.module, 'zeek')).rejects.toThrow(/defines no importer for format "zeek"/);
  });
});
