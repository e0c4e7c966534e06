// Test support for the workbench modules: builds a case holding exactly the events a test
// describes (written through the real CaptureWriter, as an import would), one capture per list.
import type { CanonicalEvent } from '../model/event.ts';
import { CaptureWriter } from '../store/capture-writer.ts';
import type { CaseStore } from '../store/case-store.ts';

export type EventSpec = Partial<CanonicalEvent> & { ts_us: number };

export async function addCapture(store: CaseStore, fileName: string, events: EventSpec[], host: string | null = null): Promise<number> {
  const writer = await CaptureWriter.begin(store, {
    fileName,
    filePath: null,
    format: 'test',
    importerVersion: 'test@0',
    host,
    dateBasis: null,
    tz: 'UTC',
  });
  events.forEach((e, i) => writer.addEvent({ kind: 'api', op: 'openat', category: 'file', source_line: i + 1, ...e }));
  const summary = await writer.commit({ sha256: '0'.repeat(64), sizeBytes: 0, continuationLines: 0, skippedLines: 0, warnings: [] });
  return summary.capture_id;
}
