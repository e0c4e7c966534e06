#!/usr/bin/env node
// Entry point of the `tracebench` command. The sources are TypeScript; tsx compiles them on
// load so `npx tracebench` works right after `npm install`, with no build step.
import { register } from 'tsx/esm/api';

register();
// `tracebench query … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
// A PDF report printed by Chromium (--pdf-engine chromium): Chromium starts now, while the CLI's
// modules load (core/report/pdf-early.ts).
const early = process.argv[2] === 'report' ? await import('../core/report/pdf-early.ts') : null;
early?.startEarlyPdfPrinter(process.argv.slice(3), (message) => process.stderr.write(`tracebench report: ${message}\n`));
const { main } = await import('../cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
await early?.closeEarlyPdfPrinter();
