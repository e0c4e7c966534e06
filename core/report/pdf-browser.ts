// A Chromium started ahead of the report it will print: `startPdfPrinter()` launches it (headless,
// DevTools protocol over a pipe, pdf-cdp.ts) and opens a blank page while the caller is still
// gathering and rendering the report, so Chromium's start-up (about 2 s, docs/benchmarks.md)
// overlaps that work instead of following it. `print(html)` then loads the print edition into the
// waiting page and prints it. When this Chromium cannot start or talk over the pipe, printing
// falls back to a plain `--print-to-pdf` run (pdf.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { CdpConnection, CdpError } from './pdf-cdp.ts';
import { CHROMIUM_FLAGS, findChromium, pdfSandboxAttempts, printPdf, PRINT_TIMEOUT_MS } from './pdf.ts';

/**
 * What Page.printToPDF is asked for — what `--print-to-pdf` gives: backgrounds (the tags' colours),
 * the page size, margins and running header of the report's @page CSS, no tagging (pdf.ts).
 */
export const PRINT_TO_PDF_PARAMS = {
  preferCSSPageSize: true,
  displayHeaderFooter: false,
  printBackground: true,
  generateTaggedPDF: false,
  generateDocumentOutline: false,
  transferMode: 'ReturnAsBase64',
} as const;

export interface PdfPrinter {
  /** Prints one HTML document (the print edition) to PDF bytes; at most once per printer. */
  print(htmlText: string): Promise<Buffer>;
  /** Ends Chromium and removes its profile; safe to call more than once, and without printing. */
  close(): Promise<void>;
}

interface Launched {
  child: ChildProcess;
  cdp: CdpConnection;
  /** The blank page's DevTools session, once Chromium has opened it. */
  session: Promise<string>;
}

/** Launches Chromium with the DevTools pipe and opens the page the report will be printed in. */
function launch(chromium: string, profile: string, sandboxed: boolean): Launched {
  const args = [...CHROMIUM_FLAGS, ...(sandboxed ? [] : ['--no-sandbox']), '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'];
  // fd 3: commands to Chromium; fd 4: its replies and events.
  // Its own process group, so that stop() ends every process of it at once (pdf-browser.ts's stop).
  const child = spawn(chromium, args, { detached: true, stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  const cdp = new CdpConnection(child.stdio[3] as Writable, child.stdio[4] as Readable);
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4096);
  });
  const exited = (why: string) => cdp.fail(new CdpError(`Chromium ${why}: ${stderr.split('\n').filter(Boolean).slice(-3).join(' ')}`));
  child.on('error', (err) => exited(`could not start (${err.message})`));
  child.on('exit', (code, signal) => exited(`exited (${code ?? signal ?? '?'})`));
  const session = (async () => {
    const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
    if (typeof sessionId !== 'string') throw new CdpError('Target.attachToTarget gave no session');
    await cdp.send('Page.enable', {}, sessionId);
    return sessionId;
  })();
  // Awaited in print(); a failure here (no sandbox possible, say) must not go unhandled meanwhile.
  session.catch(() => {});
  return { child, cdp, session };
}

/**
 * Starts Chromium now, for a report printed later. `warn` hears about a fall-back (no sandbox, or
 * the one-shot `--print-to-pdf` run). Without Chromium installed, print() throws
 * PdfUnavailableError as pdf.ts's printPdf does.
 */
export function startPdfPrinter(warn: (message: string) => void = () => {}, options: { executable?: string } = {}): PdfPrinter {
  // `executable`: the program started for the DevTools pipe (tests give one that cannot start).
  const chromium = findChromium() === undefined ? undefined : (options.executable ?? findChromium());
  const dir = mkdtempSync(join(tmpdir(), 'tracebench-pdf-'));
  let current: Launched | null = null;
  let closing: Promise<void> | null = null;
  const closedError = () => new CdpError('the PDF printer was closed');

  /** The first launch whose page opens: sandboxed first where Chromium allows it (pdf.ts). */
  const ready: Promise<Launched> = (async () => {
    if (!chromium) throw new CdpError('no Chromium');
    let failure: unknown = null;
    for (const sandboxed of pdfSandboxAttempts(process.getuid?.())) {
      if (closing) throw closedError();
      if (!sandboxed && failure) warn('Chromium\'s sandbox could not start here; printing without it (the report has no script)');
      const attempt = launch(chromium, join(dir, sandboxed ? 'profile' : 'profile-unsandboxed'), sandboxed);
      current = attempt;
      try {
        await attempt.session;
        return attempt;
      } catch (err) {
        failure = err;
        await stop(attempt.child);
      }
    }
    throw failure instanceof Error ? failure : new CdpError(String(failure));
  })();
  ready.catch(() => {});

  const close = (): Promise<void> => {
    closing ??= (async () => {
      // Killed at once, even mid start-up (a report that failed before printing).
      if (current) await stop(current.child);
      await ready.catch(() => null);
      if (current) await stop(current.child);
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
      } catch (err) {
        warn(`could not remove Chromium's temporary profile ${dir}: ${err instanceof Error ? err.message : String(err)}`);
      }
    })();
    return closing;
  };

  return {
    async print(htmlText: string): Promise<Buffer> {
      if (closing) throw closedError();
      if (!chromium) return printPdf(htmlText, warn);
      let launched: Launched;
      try {
        launched = await ready;
      } catch (err) {
        warn(`Chromium did not start for printing over its DevTools pipe (${err instanceof Error ? err.message : String(err)}); printing with --print-to-pdf`);
        return printPdf(htmlText, warn);
      }
      const page = join(dir, 'report.html');
      writeFileSync(page, htmlText);
      return withTimeout(printPage(launched, pathToFileURL(page).href), PRINT_TIMEOUT_MS, () => {
        launched.cdp.fail(new CdpError(`Chromium did not print the report within ${PRINT_TIMEOUT_MS / 1000} s`));
        launched.child.kill('SIGKILL');
      });
    },
    close,
  };
}

async function printPage(launched: Launched, url: string): Promise<Buffer> {
  const sessionId = await launched.session;
  const loaded = launched.cdp.once('Page.loadEventFired', sessionId);
  const navigation = await launched.cdp.send('Page.navigate', { url }, sessionId);
  if (typeof navigation['errorText'] === 'string' && navigation['errorText']) throw new CdpError(`Chromium could not open the report: ${navigation['errorText']}`);
  await loaded;
  const { data } = await launched.cdp.send('Page.printToPDF', PRINT_TO_PDF_PARAMS, sessionId);
  if (typeof data !== 'string') throw new CdpError('Page.printToPDF returned no data');
  return Buffer.from(data, 'base64');
}

function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  const timer = setTimeout(onTimeout, ms);
  return work.finally(() => clearTimeout(timer));
}

/**
 * Ends one Chromium and waits for it to exit. Killed outright, its whole process group: its
 * profile is a throwaway one with nothing to save, a polite shutdown costs the user half a second
 * or more of waiting, and killing the browser process alone leaves its helpers writing into the
 * profile for a while (its removal then fails with ENOTEMPTY).
 */
function stop(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  // A spawn that failed (no pid) never exits.
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // No process group (Windows): the browser process alone.
      child.kill('SIGKILL');
    }
  });
}
