// Whether a sample's lines stamp time of day only (strace/ltrace -t/-tt): then the analyst
// must be asked for the date. Epoch stamps (-ttt) and untimed traces need none.

const TRACE_STAMP = /^\s*(?:\[pid\s+\d+\]\s+|\d+\s+)?(\d{1,2}:\d{2}:\d{2}(?:\.\d+)?|\d{9,12}\.\d+)\s/;

export function traceStampsTimeOfDay(lines: readonly string[]): boolean {
  for (const line of lines.slice(0, 200)) {
    const m = TRACE_STAMP.exec(line);
    if (m?.[1]) return m[1].includes(':');
  }
  return false;
}
