import { describe, expect, it } from 'vitest';
import type { FormatProbe } from '../../../core/api.ts';
import { blockingReason, importRequest, newItem, progressFraction, runningLabel, validDate, withProbe } from './importItem.ts';

const probe = (chosen: string | null): FormatProbe => ({
  file_id: 'cap_fedcba9876543210fedcba9876543210',
  display_name: 'strace.txt',
  size_bytes: 10,
  chosen,
  candidates: [
    { format: 'strace', confidence: 0.95, title: 'strace', needs_date: true },
    { format: 'jsonl', confidence: 0.4, title: 'JSON lines', needs_date: false },
  ],
  formats: [
    { format: 'strace', confidence: 0.95, title: 'strace', needs_date: true, generic: false },
    { format: 'jsonl', confidence: 0.4, title: 'JSON lines', needs_date: false, generic: true },
  ],
  preview: ['1234 openat(AT_FDCWD, "/etc/passwd", O_RDONLY) = 3'],
  undetected_reason: chosen === null ? 'the content fits several formats equally well' : null,
});

const staged = { file_id: 'cap_fedcba9876543210fedcba9876543210', display_name: 'strace.txt', last_modified: Date.UTC(2026, 10, 26, 7) };

describe('import items', () => {
  it('asks for a choice when the probe could not decide', () => {
    const item = withProbe(newItem(staged), probe(null));
    expect(blockingReason(item)).toBe('choose the format');
    expect(blockingReason({ ...item, format: 'jsonl' })).toBeNull();
  });

  it('needs a date, typed or explicitly left to the default', () => {
    const item = withProbe(newItem(staged), probe('strace'));
    expect(blockingReason(item)).toMatch(/type the date/);
    expect(blockingReason({ ...item, date: '2026-02-30' })).toMatch(/type the date/);
    expect(importRequest({ ...item, date: '2026-11-25' })).toEqual({ file_id: 'cap_fedcba9876543210fedcba9876543210', display_name: 'strace.txt', format: 'strace', date: '2026-11-25' });
    // the default is the import's own (the file's modification date), recorded as assumed
    expect(importRequest({ ...item, useDefaultDate: true }).date).toBeUndefined();
  });

  it('sends no date for formats with full timestamps, and the host when typed', () => {
    const item = { ...withProbe(newItem(staged), probe('strace')), format: 'jsonl', host: ' hmi-ws01 ' };
    expect(importRequest(item)).toEqual({ file_id: 'cap_fedcba9876543210fedcba9876543210', display_name: 'strace.txt', format: 'jsonl', host: 'hmi-ws01' });
  });

  it('validates calendar dates and reports progress', () => {
    expect(validDate('2024-02-29')).toBe(true);
    expect(validDate('2023-02-29')).toBe(false);
    const job = { job_id: 'j', file_name: 'f', state: 'running' as const, bytes_done: 50, bytes_total: 200, events: 0, rejected: 0, error: null, capture_id: null };
    expect(progressFraction(job)).toBe(0.25);
    expect(progressFraction({ ...job, state: 'done', bytes_total: 0 })).toBe(1);
  });

  it('shows "triage n/N" while the rules run over the imported capture', () => {
    const job = { job_id: 'j', file_name: 'f', state: 'running' as const, bytes_done: 200, bytes_total: 200, events: 1500, rejected: 0, error: null, capture_id: null };
    const count = (n: number) => n.toLocaleString('en-US');
    expect(runningLabel(job, count)).toBe('100% · 1,500 events');
    expect(runningLabel({ ...job, triage: { phase: 'rules', done: 12, total: 52 } }, count)).toBe('triage 12/52 · 1,500 events in');
  });
});
