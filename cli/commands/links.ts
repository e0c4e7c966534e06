import type { Link } from '../../core/links/build-links.ts';
import { linkChain, readLinks } from '../../core/links/store.ts';
import { CaseStore } from '../../core/store/case-store.ts';
import { CliUsageError, parse, type Command } from '../command.ts';

export const linksCommand: Command = {
  usage: 'links CASE [--event ID] [--kind KIND] [--json]',
  summary: 'prints the links between captures: socket calls → wire flows → ICS operations → device records and alarms',
  help: `
  Links are kept in the case and rebuilt when captures change (import, alignment). Kinds:
  socket-call (a call on a socket → the call that opened it), socket-flow (connect/accept or a
  Windows network record → the flow on the wire, by 5-tuple or peer and time), flow-ics (the flow →
  each ICS request it carried), ics-device / flow-device (→ a device record naming the flow's
  client), ics-alarm (a write → an alarm within the window after it).
  --event ID      only the chain around this event
  --kind KIND     only links of this kind
  --json          print the list [{from_event, to_event, kind, confidence, rule}]`,
  async run(argv) {
    const { values, positionals } = parse(argv, { event: { type: 'string' }, kind: { type: 'string' }, json: { type: 'boolean' } });
    const [casePath] = positionals;
    if (!casePath || positionals.length > 1) throw new CliUsageError('need exactly one case file');
    if (values.event !== undefined && !/^\d+$/.test(values.event)) throw new CliUsageError(`--event must be a whole number, got "${values.event}"`);
    const store = await CaseStore.open(casePath, { create: false });
    try {
      let links: Link[] = values.event !== undefined ? await linkChain(store, Number(values.event)) : await readLinks(store);
      if (values.kind !== undefined) links = links.filter((l) => l.kind === values.kind);
      if (values.json) process.stdout.write(`${JSON.stringify(links, null, 2)}\n`);
      else {
        for (const l of links) process.stdout.write(`${l.from_event} → ${l.to_event}  ${l.kind.padEnd(11)} ${l.confidence.toFixed(2)}  ${l.rule}\n`);
        process.stdout.write(`${links.length} link(s)\n`);
      }
      return 0;
    } finally {
      store.close();
    }
  },
};
