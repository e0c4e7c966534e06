// A minimal client of Chromium's DevTools protocol over `--remote-debugging-pipe`: Chromium reads
// commands on its fd 3 and writes replies and events on its fd 4, each message one JSON text
// ended by a NUL byte. Only what printing a report needs: commands with replies (matched by id),
// events awaited by name, and every pending command failed when the pipe closes — a hand-written
// client rather than a browser-automation library as a runtime dependency (Electron packaging).
import type { Readable, Writable } from 'node:stream';

/** Splits the bytes Chromium writes into its NUL-terminated messages, across chunk boundaries. */
export class CdpFrameReader {
  private pending: Buffer[] = [];

  /** The complete messages this chunk ends (as text); a partial one is kept for the next chunk. */
  push(chunk: Buffer): string[] {
    const messages: string[] = [];
    let start = 0;
    for (let end = chunk.indexOf(0, start); end !== -1; end = chunk.indexOf(0, start)) {
      this.pending.push(chunk.subarray(start, end));
      messages.push(Buffer.concat(this.pending).toString('utf8'));
      this.pending = [];
      start = end + 1;
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
    return messages;
  }
}

/** One command as Chromium reads it: JSON, then the NUL that ends it. */
export function encodeCdpMessage(message: { id: number; method: string; params?: object; sessionId?: string }): Buffer {
  // JSON.stringify escapes U+0000 inside strings, so the only NUL is the terminator.
  return Buffer.from(`${JSON.stringify(message)}\0`, 'utf8');
}

interface Reply {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message?: string; code?: number };
  sessionId?: string;
}

export class CdpError extends Error {}

/** Commands and events over one pipe pair; `closed` fails everything still waiting. */
export class CdpConnection {
  private nextId = 1;
  private readonly waiting = new Map<number, { method: string; resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<{ method: string; sessionId: string | undefined; resolve: (p: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  private closedWith: Error | null = null;

  constructor(
    private readonly out: Writable,
    input: Readable,
  ) {
    const reader = new CdpFrameReader();
    input.on('data', (chunk: Buffer) => {
      for (const text of reader.push(chunk)) this.dispatch(text);
    });
    input.on('close', () => this.fail(new CdpError('Chromium closed the DevTools pipe')));
    input.on('error', (err) => this.fail(new CdpError(`DevTools pipe: ${err.message}`)));
    out.on('error', (err) => this.fail(new CdpError(`DevTools pipe: ${err.message}`)));
  }

  /** Sends a command; resolves with its result, rejects with Chromium's error or the pipe's closing. */
  send(method: string, params: object = {}, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { method, resolve, reject });
      this.out.write(encodeCdpMessage({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  /** The next event of this name (on this session), registered before the command that causes it is sent. */
  once(method: string, sessionId?: string): Promise<Record<string, unknown>> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    return new Promise((resolve, reject) => {
      this.listeners.add({ method, sessionId, resolve, reject });
    });
  }

  /** Fails every pending command and awaited event (Chromium exited, or the caller gave up). */
  fail(reason: Error): void {
    if (this.closedWith) return;
    this.closedWith = reason;
    for (const w of this.waiting.values()) w.reject(reason);
    this.waiting.clear();
    for (const l of this.listeners) l.reject(reason);
    this.listeners.clear();
  }

  private dispatch(text: string): void {
    let message: Reply;
    try {
      message = JSON.parse(text) as Reply;
    } catch {
      this.fail(new CdpError(`Chromium sent a message that is not JSON: ${text.slice(0, 80)}`));
      return;
    }
    if (typeof message.id === 'number') {
      const w = this.waiting.get(message.id);
      if (!w) return;
      this.waiting.delete(message.id);
      if (message.error) w.reject(new CdpError(`${w.method}: ${message.error.message ?? 'failed'}`));
      else w.resolve(message.result ?? {});
      return;
    }
    if (typeof message.method !== 'string') return;
    for (const l of this.listeners) {
      if (l.method === message.method && l.sessionId === message.sessionId) {
        this.listeners.delete(l);
        l.resolve(message.params ?? {});
      }
    }
  }
}
