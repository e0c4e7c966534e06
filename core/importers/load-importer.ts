// Loads one importer by its module URL (Importer.module) without loading the registry, for the
// parse worker: a new thread that imported every importer would start ~0.1 s later.
import type { Importer } from './types.ts';

export async function loadImporter(moduleUrl: string, format: string): Promise<Importer> {
  return importerIn((await import(moduleUrl)) as Record<string, unknown>, moduleUrl, format);
}

/** The importer for `format` among a module's exports. */
export function importerIn(exports: Record<string, unknown>, moduleUrl: string, format: string): Importer {
  for (const value of Object.values(exports)) {
    if (isImporter(value) && value.format === format) return value;
  }
  throw new Error(`${moduleUrl} defines no importer for format "${format}"`);
}

function isImporter(value: unknown): value is Importer {
  return typeof value === 'object' && value !== null && 'format' in value && 'mode' in value;
}
