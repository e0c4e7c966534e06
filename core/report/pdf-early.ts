// A Chromium started by the `tracebench` entry point (bin/tracebench.js) before it loads the CLI's
// modules, when the command line asks for a PDF report printed by Chromium (`--pdf-engine
// chromium`; the default native writer needs no browser): loading them takes about as long as
// Chromium's start-up (docs/benchmarks.md), so the start-up is hidden behind it instead of behind
// the shorter gathering of the case alone. The report command takes it (takeEarlyPdfPrinter);
// the entry point closes one nobody took (a usage error, say) so that the process can exit.
import { startPdfPrinter, type PdfPrinter } from './pdf-browser.ts';

let early: PdfPrinter | undefined;

/**
 * Whether `tracebench report ARGS` will print a PDF with Chromium: `--format pdf` and
 * `--pdf-engine chromium` (either spelling of each), and no help asked.
 */
export function reportWantsPdf(args: readonly string[]): boolean {
  if (args.includes('--help') || args.includes('-h')) return false;
  const has = (option: string, value: string) => args.some((a, i) => a === `${option}=${value}` || (a === option && args[i + 1] === value));
  return has('--format', 'pdf') && has('--pdf-engine', 'chromium');
}

/** Starts Chromium now when `tracebench report ARGS` is a PDF report printed by Chromium. */
export function startEarlyPdfPrinter(args: readonly string[], warn: (message: string) => void): void {
  if (early === undefined && reportWantsPdf(args)) early = startPdfPrinter(warn);
}

/** The Chromium started early, if any, now the caller's to use and close. */
export function takeEarlyPdfPrinter(): PdfPrinter | undefined {
  const printer = early;
  early = undefined;
  return printer;
}

/** Closes a Chromium started early that no command took. */
export async function closeEarlyPdfPrinter(): Promise<void> {
  await takeEarlyPdfPrinter()?.close();
}
