// Which case file a launch names. The first launch opens it; a second launch (the OS opening a
// `.duckdb` file while Tracebench runs) hands its arguments to the first instance, which opens it
// there instead of starting a second window over the same case.
import { isAbsolute, resolve } from 'node:path';

/** The last `.duckdb` argument, made absolute against the launch's working directory. */
export function caseArgument(argv: readonly string[], cwd: string): string | null {
  const found = [...argv].reverse().find((a) => !a.startsWith('-') && a.toLowerCase().endsWith('.duckdb'));
  if (!found) return null;
  return isAbsolute(found) ? found : resolve(cwd, found);
}
