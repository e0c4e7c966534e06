import { createAnnotation, defaultAuthor } from '../../core/annotations/annotations.ts';
import { parseTags } from '../../core/annotations/tags.ts';
import { CaseStore } from '../../core/store/case-store.ts';
import { epochSecondsTextToUs, isoToUs, usToIso } from '../../core/util/time.ts';
import { CliUsageError, parse, type Command } from '../command.ts';

export const annotateCommand: Command = {
  usage: 'annotate CASE (--event ID | --from TS --to TS) --tag TAG [--tag TAG…] [--note TEXT] [--author NAME] [--json]',
  summary: 'marks an event or a time range (benign, suspicious, malicious, needs-review, or free text)',
  help: `
  TS is ISO 8601 (UTC unless it carries an offset), e.g. 2026-11-26T06:15:01.25Z, or epoch seconds.
  --tag may be repeated (or take tags separated by commas): the annotation carries every tag.
  The author is --author, else $TRACEBENCH_AUTHOR, else the account running the command.`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      event: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      tag: { type: 'string', multiple: true },
      note: { type: 'string' },
      author: { type: 'string' },
      json: { type: 'boolean' },
    });
    const [casePath] = positionals;
    if (!casePath || positionals.length !== 1) throw new CliUsageError('need exactly one case file');
    const tags = parseTags(values.tag);
    if (tags.length === 0) throw new CliUsageError('--tag is required');
    const byEvent = values.event !== undefined;
    const byRange = values.from !== undefined || values.to !== undefined;
    if (byEvent === byRange) throw new CliUsageError('give either --event ID or --from TS --to TS');
    let eventId: number | null = null;
    let from: number | undefined;
    let to: number | undefined;
    if (byEvent) {
      eventId = Number(values.event);
      if (!Number.isSafeInteger(eventId) || eventId < 0) throw new CliUsageError(`--event wants an event id, got "${values.event}"`);
    } else {
      if (values.from === undefined || values.to === undefined) throw new CliUsageError('a range needs both --from and --to');
      from = parseTime(values.from, '--from');
      to = parseTime(values.to, '--to');
    }
    const store = await CaseStore.open(casePath, { create: false });
    try {
      const a = await createAnnotation(store, { event_id: eventId, from_us: from, to_us: to, tags, note: values.note ?? '' }, values.author ?? defaultAuthor());
      if (values.json) process.stdout.write(`${JSON.stringify(a, null, 2)}\n`);
      else
        process.stdout.write(
          `annotation ${a.annotation_id}: [${a.tag}] ${a.event_id !== null ? `event ${a.event_id} ` : ''}${usToIso(a.from_us)} … ${usToIso(a.to_us)}${a.note ? ` — ${a.note}` : ''}\n`,
        );
      return 0;
    } finally {
      store.close();
    }
  },
};

function parseTime(text: string, flag: string): number {
  const us = isoToUs(text) ?? epochSecondsTextToUs(text);
  if (us === null) throw new CliUsageError(`${flag} wants an ISO 8601 time or epoch seconds, got "${text}"`);
  return us;
}
