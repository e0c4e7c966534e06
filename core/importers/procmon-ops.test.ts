import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { procmonRecordToEvent, type ProcmonRecord } from './procmon-ops.ts';

const record = (pid: number | null, eventClass: string, extra: ProcmonRecord['extra']): ProcmonRecord => ({
  tsUs: 0,
  durUs: null,
  pid,
  tid: null,
  ppid: null,
  process: 'p.exe',
  op: 'ReadFile',
  eventClass,
  path: 'C:\\x',
  result: 'SUCCESS',
  detail: '',
  host: null,
  extra,
});

describe('shared Procmon fields', () => {
  // Rows are drawn from few PIDs and few values so that PIDs are reused with other values, values
  // move between PIDs, and columns come and go: the cases a reuse cache could get wrong.
  const extraArb = fc.record(
    {
      image_path: fc.constantFrom('C:\\a.exe', 'C:\\b.exe'),
      command_line: fc.constantFrom('a.exe', 'a.exe -x', 'b.exe'),
      user: fc.constantFrom('NT AUTHORITY\\SYSTEM', 'HOST\\ana'),
      session: fc.constantFrom('0', '1'),
    },
    { requiredKeys: [] },
  );
  const rowArb = fc.tuple(fc.constantFrom(4, 8, null), fc.constantFrom('File System', 'Registry'), extraArb);

  it('are always the event class plus the row\'s own columns, and one object per distinct content', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 60 }), (rows) => {
        const byContent = new Map<string, object>();
        for (const [pid, eventClass, extra] of rows) {
          // Fresh string objects, as a parser slicing a line makes them.
          const copy = Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, `${v} `.slice(0, -1)]));
          const fields = procmonRecordToEvent(record(pid, eventClass, copy), 1).fields;
          expect(fields).toEqual({ event_class: eventClass, ...extra });
          expect(Object.isFrozen(fields)).toBe(true);
          const content = JSON.stringify([eventClass, Object.entries(extra).sort()]);
          const seen = byContent.get(content);
          if (seen) expect(fields).toBe(seen);
          else if (fields) byContent.set(content, fields);
        }
      }),
    );
  });
});
