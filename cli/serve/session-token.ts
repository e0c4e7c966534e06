// The browser shell's token and its idle expiry. Every accepted request counts as activity; after
// `idleMs` without one the token is replaced by a new one (handed to `onRotate`, which prints the
// new URL on the terminal) and the old one is refused with a message saying so. A leaked URL
// therefore stops working once the analyst has left the shell alone for a while, without
// stopping the server or an import (an import in progress is polled by the page, which is
// activity). Only a token that has been used expires: one that was only printed (at start, or as
// the replacement) is on the terminal alone, so it is not replaced again and again while nobody
// comes back. idleMs 0 turns expiry off (the Electron shell's backend: its token never leaves
// Electron's main process).
import { newToken, tokensEqual } from './security.ts';

export type TokenCheck = 'ok' | 'missing' | 'wrong' | 'expired';

export interface SessionTokenOptions {
  token?: string;
  /** Milliseconds without an accepted request before the token is replaced; 0 = never. */
  idleMs: number;
  now?: () => number;
  onRotate?: (token: string) => void;
}

export class SessionToken {
  private current: string;
  private previous: string | null = null;
  private lastUsed: number;
  /** Whether a request has presented the current token yet. */
  private used = false;
  private readonly now: () => number;

  constructor(private readonly options: SessionTokenOptions) {
    this.now = options.now ?? Date.now;
    this.current = options.token ?? newToken();
    this.lastUsed = this.now();
  }

  get value(): string {
    return this.current;
  }

  /** Replaces the token when the session has been idle too long; true when it did. */
  expireIfIdle(): boolean {
    if (this.options.idleMs <= 0 || !this.used || this.now() - this.lastUsed <= this.options.idleMs) return false;
    this.previous = this.current;
    this.current = newToken();
    this.used = false;
    this.lastUsed = this.now();
    this.options.onRotate?.(this.current);
    return true;
  }

  /** Checks a presented token; an accepted one refreshes the idle clock. */
  check(given: string | undefined): TokenCheck {
    this.expireIfIdle();
    if (given === undefined) return 'missing';
    if (tokensEqual(given, this.current)) {
      this.used = true;
      this.lastUsed = this.now();
      return 'ok';
    }
    return this.previous !== null && tokensEqual(given, this.previous) ? 'expired' : 'wrong';
  }

  /** Marks activity that is not a new request (an upload that took long finishing). */
  touch(): void {
    this.lastUsed = this.now();
  }
}
