// The checks every IPC call from the renderer passes in the main process, kept free of Electron
// imports so they are unit-tested without the Electron binary: the sender must be the app's own
// page (app://tracebench/index.html, top frame), the channel must name a WorkbenchApi
// method, and the payload must pass that method's zod schema.
import { z } from 'zod';
import type { WorkbenchMethod } from '../core/api.ts';
import { isWorkbenchMethod, validateArgs } from '../core/api/schemas.ts';

export const CHANNEL_PREFIX = 'wb:';

export class IpcRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IpcRefusedError';
  }
}

/**
 * True when `senderUrl` is exactly the app page (ignoring query and fragment): same scheme, host
 * and path. The page is served on the app's own `app://` scheme (app-protocol.ts); a file:// URL
 * is never trusted, since every local file would share its origin.
 */
export function isTrustedSender(senderUrl: string | undefined, appPageUrl: string): boolean {
  if (!senderUrl) return false;
  let sender: URL;
  let app: URL;
  try {
    sender = new URL(senderUrl);
    app = new URL(appPageUrl);
  } catch {
    return false;
  }
  return app.protocol !== 'file:' && sender.protocol === app.protocol && sender.host === app.host && sender.pathname === app.pathname;
}

export function methodOfChannel(channel: string): WorkbenchMethod | null {
  if (!channel.startsWith(CHANNEL_PREFIX)) return null;
  const name = channel.slice(CHANNEL_PREFIX.length);
  return isWorkbenchMethod(name) ? name : null;
}

/** Checks sender and payload, then relays the validated arguments to the backend. */
export async function guardedCall(
  method: WorkbenchMethod,
  sender: { url: string | undefined; isTopFrame: boolean },
  appPageUrl: string,
  payload: unknown,
  relay: (method: WorkbenchMethod, args: unknown) => Promise<unknown>,
): Promise<unknown> {
  if (!sender.isTopFrame || !isTrustedSender(sender.url, appPageUrl)) {
    throw new IpcRefusedError(`refused ${method}: the call did not come from the Tracebench window`);
  }
  return relay(method, validateArgs(method, payload));
}

/** A report the renderer asks to save: checked before a save dialog opens. */
export const reportFileSchema = z
  .object({
    file_name: z.string().min(1).max(255),
    mime: z.string().max(200),
    content: z.string().max(512 * 1024 * 1024),
    // A PDF report comes base64-encoded, with its detached manifest as a companion file.
    encoding: z.literal('base64').optional(),
    companions: z
      .array(z.object({ file_name: z.string().min(1).max(255), mime: z.string().max(200), content: z.string().max(64 * 1024 * 1024) }).strict())
      .max(4)
      .optional(),
  })
  .strict();

/**
 * Where a report's companion file goes: one named after the report (FILE.pdf.manifest.json)
 * follows the name the analyst chose; another (the Markdown figure, linked by its name) keeps its
 * own name, in the same folder.
 */
export function companionPath(chosenPath: string, reportName: string, companionName: string): string {
  const dir = chosenPath.slice(0, Math.max(chosenPath.lastIndexOf('/'), chosenPath.lastIndexOf('\\')) + 1);
  if (companionName.startsWith(reportName)) return `${chosenPath}${companionName.slice(reportName.length).replace(/[^\w.()-]/g, '_')}`;
  return `${dir}${safeReportName(companionName)}`;
}

/** A suggested file name for the save dialog: the last path part, safe characters only. */
export function safeReportName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  const clean = last.replace(/[^\w .()-]/g, '_').replace(/^\.+/, '').slice(0, 200);
  return clean === '' ? 'tracebench-report' : clean;
}
