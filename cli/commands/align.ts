import { alignCapture, formatOffset } from '../../core/case/align.ts';
import { applyCaptureClocks, estimateCaptureClocks } from '../../core/links/auto-align.ts';
import { CaseStore } from '../../core/store/case-store.ts';
import { parseDurationUs } from '../../core/util/time.ts';
import { CliUsageError, parse, type Command } from '../command.ts';

export const alignCommand: Command = {
  usage: 'align CASE CAPTURE_ID (--offset DURATION | --same EVENT_ID EVENT_ID) [--json]  |  align CASE --auto [--apply] [--json]',
  summary: "shifts one capture's clock: by a duration, or so that two events are the same moment; or estimates every capture's offset",
  help: `
  --offset DURATION   e.g. 5s, 1h2m, --offset=-250ms (a negative value needs the = form); replaces any
                      earlier offset, raw times are kept
  --same A B          event A (in CAPTURE_ID) happened at the same moment as event B (in another capture):
                      the capture is moved so that A lands on B
  --auto              estimates each host capture's offset against the wire capture with the most
                      matched connections, from connect ↔ SYN pairs, with an uncertainty interval;
                      offset_us is what must be added to the capture's current times
  --apply             with --auto: moves the captures by their estimates (basis recorded)`,
  async run(argv) {
    // --same takes two values; parseArgs handles one, so the second is taken from the positionals.
    const { values, positionals } = parse(argv, {
      offset: { type: 'string' },
      same: { type: 'string' },
      json: { type: 'boolean' },
      auto: { type: 'boolean' },
      apply: { type: 'boolean' },
    });
    if (values.auto) return runAuto(positionals, values.apply === true, values.json === true, values.offset !== undefined || values.same !== undefined);
    if (values.apply) throw new CliUsageError('--apply goes with --auto');
    const [casePath, captureText, ...rest] = positionals;
    if (!casePath || captureText === undefined) throw new CliUsageError('need a case file and a capture id');
    const captureId = wholeNumber(captureText, 'CAPTURE_ID');
    if ((values.offset === undefined) === (values.same === undefined)) throw new CliUsageError('give either --offset DURATION or --same EVENT_ID EVENT_ID');
    let request: { capture_id: number; offset_us?: number; same?: [number, number] };
    if (values.offset !== undefined) {
      if (rest.length > 0) throw new CliUsageError(`unexpected arguments: ${rest.join(' ')}`);
      const offset = parseDurationUs(values.offset);
      if (offset === null) throw new CliUsageError(`--offset wants a duration such as 5s, -250ms or 1h2m, got "${values.offset}"`);
      request = { capture_id: captureId, offset_us: offset };
    } else {
      if (rest.length !== 1 || values.same === undefined) throw new CliUsageError('--same wants two event ids: --same A B');
      request = { capture_id: captureId, same: [wholeNumber(values.same, 'EVENT_ID'), wholeNumber(rest[0] ?? '', 'EVENT_ID')] };
    }
    const store = await CaseStore.open(casePath, { create: false });
    try {
      const c = await alignCapture(store, request);
      if (values.json) process.stdout.write(`${JSON.stringify(c, null, 2)}\n`);
      else process.stdout.write(`capture ${c.capture_id} (${c.file_name}): clock offset ${formatOffset(c.clock_offset_us)} — ${c.clock_offset_basis ?? ''}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};

async function runAuto(positionals: string[], apply: boolean, json: boolean, manual: boolean): Promise<number> {
  if (manual) throw new CliUsageError('--auto estimates the offsets itself: give no --offset or --same with it');
  const [casePath, ...rest] = positionals;
  if (!casePath) throw new CliUsageError('need a case file');
  if (rest.length > 0) throw new CliUsageError(`--auto takes only the case file, got also: ${rest.join(' ')}`);
  const store = await CaseStore.open(casePath, { create: false });
  try {
    const clocks = apply ? await applyCaptureClocks(store) : await estimateCaptureClocks(store);
    if (json) {
      process.stdout.write(`${JSON.stringify(clocks, null, 2)}\n`);
      return 0;
    }
    if (clocks.length === 0) process.stdout.write('no host connection matched a wire flow: nothing to estimate from\n');
    for (const c of clocks) {
      if (c.capture_id === c.reference_capture_id) {
        process.stdout.write(`capture ${c.capture_id}: reference (${c.pairs} matched connection(s))\n`);
        continue;
      }
      const drift = c.drift_ppm !== null ? `, drift ${c.drift_ppm} ppm` : '';
      const state = c.applied ? 'applied' : apply ? 'already aligned' : 'not applied (add --apply)';
      process.stdout.write(`capture ${c.capture_id}: ${formatOffset(c.offset_us)} ± ${c.uncertainty_us} µs from ${c.pairs} pair(s)${drift} — ${state}\n`);
    }
    return 0;
  } finally {
    store.close();
  }
}

function wholeNumber(text: string, what: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new CliUsageError(`${what} must be a whole number, got "${text}"`);
  return n;
}
