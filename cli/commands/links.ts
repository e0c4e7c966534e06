import type { Link } from '../../core/links/build-links.ts';
import { linkChain, readLinks } from '../../core/links/store.ts';
import { DEFAULT_FOLLOW_OPTIONS, followChain } from '../../core/links/follow.ts';
import { readFlowSummaries } from '../../core/links/flows.ts';
import { orderUncertainWords } from '../../core/links/ordering.ts';
import { CaseStore } from '../../core/store/case-store.ts';
import { CliUsageError, parse, type Command } from '../command.ts';

export const linksCommand: Command = {
  usage: 'links CASE [--event ID] [--kind KIND] [--follow ID [--window SECONDS]] [--flows [--process TEXT]] [--json]',
  summary: 'prints the links between captures: socket calls → wire flows → ICS operations → device records and alarms',
  help: `
  Links are kept in the case and rebuilt when captures change (import, alignment). Kinds:
  socket-call (a call on a socket → the call that opened it), socket-flow (connect/accept or a
  Windows network record → the flow on the wire, by 5-tuple or peer and time), flow-ics (the flow →
  each ICS request it carried), ics-device / flow-device (→ a device record naming the flow's
  client), ics-alarm (a write → an alarm within the window after it).
  --event ID      only the chain around this event
  --kind KIND     only links of this kind
  --follow ID     the ordered chain process → call → flow → ICS operations → device records →
                  alarms from this event (JSON: {event_id, process, steps, links, truncated})
  --window S      with --follow: alarms this many seconds after the chain's last write join it
                  even when no link names them (default 5)
  --flows         who talked to which controller: flows by process or client host, server and
                  protocol, with functions, counts, first/last seen
  --process TEXT  with --flows: only processes whose name contains TEXT
  --json          print the list [{from_event, to_event, kind, confidence, rule}]`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      event: { type: 'string' }, kind: { type: 'string' }, json: { type: 'boolean' }, follow: { type: 'string' }, window: { type: 'string' },
      flows: { type: 'boolean' }, process: { type: 'string' },
    });
    const [casePath] = positionals;
    if (!casePath || positionals.length > 1) throw new CliUsageError('need exactly one case file');
    if (values.event !== undefined && !/^\d+$/.test(values.event)) throw new CliUsageError(`--event must be a whole number, got "${values.event}"`);
    if (values.follow !== undefined && !/^\d+$/.test(values.follow)) throw new CliUsageError(`--follow must be an event id, got "${values.follow}"`);
    if (values.window !== undefined && !/^\d+(\.\d+)?$/.test(values.window)) throw new CliUsageError(`--window must be seconds, got "${values.window}"`);
    const store = await CaseStore.open(casePath, { create: false });
    try {
      if (values.follow !== undefined) {
        const windowUs = values.window === undefined ? DEFAULT_FOLLOW_OPTIONS.alarm_window_us : Math.round(Number(values.window) * 1e6);
        const chain = await followChain(store, Number(values.follow), { ...DEFAULT_FOLLOW_OPTIONS, alarm_window_us: windowUs });
        if (values.json) process.stdout.write(`${JSON.stringify(chain, null, 2)}\n`);
        else {
          const p = chain.process;
          if (p) process.stdout.write(`process ${p.image ?? '?'} (pid ${p.pid})${p.ancestry.length > 0 ? ` ← ${p.ancestry.join(' ← ')}` : ''}\n`);
          for (const s of chain.steps) {
            const e = s.event;
            const order = s.order_uncertain ? `  [${orderUncertainWords(s.order_uncertain)}]` : '';
            process.stdout.write(`${s.role.padEnd(6)} #${e.event_id}  ${new Date(e.ts_us / 1000).toISOString()}  ${e.op}${e.target ? ` ${e.target}` : ''}${order}\n`);
          }
          process.stdout.write(`${chain.steps.length} step(s), ${chain.links.length} link(s)${chain.truncated ? ' (bounded: more links lie beyond)' : ''}\n`);
        }
        return 0;
      }
      if (values.flows) {
        const flows = await readFlowSummaries(store, values.process === undefined ? {} : { process: values.process });
        if (values.json) process.stdout.write(`${JSON.stringify(flows, null, 2)}\n`);
        else {
          for (const f of flows) {
            const fns = f.functions.map((fn) => `${fn.op}×${fn.count}${fn.write ? '!' : ''}`).join(' ');
            process.stdout.write(`${f.key}  ${f.connections} conn (${f.linked_connections} linked)  ${f.requests} req  ${f.writes} writes  ${fns}\n`);
          }
          process.stdout.write(`${flows.length} talker → server pair(s)\n`);
        }
        return 0;
      }
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
