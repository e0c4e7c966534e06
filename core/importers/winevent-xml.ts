// Windows events as XML text: evtxexport -f xml, wevtutil qe /f:xml, Get-WinEvent | ToXml(),
// Event Viewer "Save as XML". Many <Event> roots in one file, with or without an <Events>
// wrapper, one event over many lines or many events on one line. The first line of an event
// carries it; the lines after it are continuations.
import type { TextImporter } from './types.ts';
import { parseXmlElement, XmlSyntaxError } from './evtx/xml-reader.ts';
import { EventElementSplitter } from './evtx/xml-event-splitter.ts';
import { windowsEventFromXml } from './evtx/xml-tree.ts';
import { WindowsEventEmitter } from './evtx/clock-alignment.ts';

const EVENT_NAMESPACE = 'http://schemas.microsoft.com/win/2004/08/events/event';

export const windowsEventXmlImporter: TextImporter = {
  mode: 'text',
  format: 'winevent-xml',
  module: import.meta.url,
  title: 'Windows events as XML',
  reads: 'XML exports of Windows event logs (evtxexport -f xml, wevtutil qe /f:xml, Event Viewer "Save as XML")',
  version: '1.0.0',
  detect(sample) {
    const head = sample.lines.slice(0, 200).join('\n');
    if (head.includes(EVENT_NAMESPACE) && /<(?:\w+:)?Event[\s>]/.test(head)) return 0.9;
    if (/<Event[\s>]/.test(head) && /<System>/.test(head) && /<EventID[\s>]/.test(head)) return 0.8;
    return 0;
  },
  open(ctx, sink) {
    const emitter = new WindowsEventEmitter(sink, { tz: ctx.tz, fallbackHost: ctx.host });
    let seenEvent = false;
    let strayHandled = false;
    const splitter = new EventElementSplitter({
      event(text, startLine) {
        seenEvent = true;
        let root;
        try {
          root = parseXmlElement(text);
        } catch (err) {
          const why = err instanceof XmlSyntaxError ? err.message : String(err);
          return sink.reject(startLine, `malformed <Event> XML: ${why}`, text);
        }
        const ev = windowsEventFromXml(root);
        if (typeof ev === 'string') return sink.reject(startLine, ev, text);
        emitter.add(ev, startLine, text);
      },
      stray(text, lineNumber) {
        strayHandled = true;
        // Text before the first event is a tool banner ("evtxexport 20181227"); after it, noise.
        if (!seenEvent) sink.skip(lineNumber);
        else sink.reject(lineNumber, 'text outside any <Event> element', text);
      },
      abandoned(reason, startLine) {
        sink.reject(startLine, reason, '');
      },
    });
    return {
      line(text, n) {
        const continuing = splitter.inEvent;
        strayHandled = false;
        const { eventsStarted } = splitter.line(text, n);
        if (continuing) sink.continuation(n);
        else if (eventsStarted === 0 && !strayHandled) sink.skip(n);
      },
      end() {
        const left = splitter.end();
        if (left !== null) sink.reject(splitter.pendingStartLine, '<Event> element not closed before the end of the file (cut short?)', left);
        emitter.finish();
      },
    };
  },
};
