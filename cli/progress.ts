// A one-line progress bar for terminals (redrawn in place with \r).
export interface ProgressBar {
  update(done: number, total: number, label: string): void;
  done(): void;
}

export function progressBar(stream: NodeJS.WriteStream): ProgressBar {
  let last = 0;
  let drawn = false;
  return {
    update(done, total, label) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const frac = total > 0 ? Math.min(1, done / total) : 1;
      const filled = Math.round(frac * width);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${label.slice(0, 60)}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
