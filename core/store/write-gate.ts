// One writer at a time on a case's DuckDB instance, for the moments when it matters: an
// import's COMMIT must find no other write transaction open, or DuckDB cannot checkpoint at
// that commit and writes it to the WAL instead (see commitThroughCheckpoint in case-store.ts).
export class WriteGate {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `fn` once every earlier holder has finished; the next waits for this one. */
  async hold<T>(fn: () => Promise<T>): Promise<T> {
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await before;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
