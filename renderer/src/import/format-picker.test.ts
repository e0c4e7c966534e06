import { describe, expect, it } from 'vitest';
import type { FormatProbe } from '../../../core/api.ts';
import { blockingReason, importRequest, needsDate, needsPick, newItem, pickerGroups, withProbe } from './importItem.ts';

/** A probe as the server answers for a file no importer recognised (core/api/workbench.ts). */
const unrecognised: FormatProbe = {
  file_id: 'cap_0123456789abcdef0123456789abcdef',
  display_name: 'app.log',
  size_bytes: 900,
  chosen: null,
  candidates: [],
  formats: [
    { format: 'textlog', confidence: 0.25, title: 'Timestamped text log', needs_date: false, generic: true },
    { format: 'jsonl', confidence: 0, title: 'JSON Lines', needs_date: false, generic: true },
    { format: 'csv', confidence: 0, title: 'CSV / TSV', needs_date: false, generic: true },
    { format: 'procmon-csv', confidence: 0, title: 'Procmon CSV', needs_date: true, generic: false },
    { format: 'strace', confidence: 0, title: 'strace', needs_date: false, generic: false },
  ],
  preview: ['2026-11-26 06:14:17,620 ALARM [plc] HIGH LEVEL tank T-100', '    at flowview.plc.Poller.run(Poller.java:41)'],
  undetected_reason: 'format not recognised from its content: the closest formats were textlog (0.25), below the 0.30 needed',
};
const staged = { file_id: 'cap_0123456789abcdef0123456789abcdef', display_name: 'app.log', last_modified: Date.UTC(2026, 10, 26, 7) };

describe('the format picker for a file detection did not settle', () => {
  it('groups the closest formats first, then the generic readers, then the rest', () => {
    expect(pickerGroups(unrecognised).map((g) => [g.label, g.options.map((o) => o.format)])).toEqual([
      ['closest to this file', ['textlog']],
      ['generic readers', ['jsonl', 'csv']],
      ['other formats', ['procmon-csv', 'strace']],
    ]);
  });

  it('blocks the file until a reader is picked, then imports with that format', () => {
    const item = withProbe(newItem(staged), unrecognised);
    expect(needsPick(item)).toBe(true);
    expect(blockingReason(item)).toBe('no importer recognises this file: pick a reader');
    const picked = { ...item, format: 'textlog' };
    expect(blockingReason(picked)).toBeNull();
    expect(importRequest(picked)).toMatchObject({ file_id: 'cap_0123456789abcdef0123456789abcdef', format: 'textlog' });
  });

  it('asks for a date when the picked format has times of day only, though it was no candidate', () => {
    const item = { ...withProbe(newItem(staged), unrecognised), format: 'procmon-csv' };
    expect(needsDate(item)).toBe(true);
    expect(blockingReason(item)).toMatch(/type the date/);
  });

  it('a recognised file needs no pick', () => {
    const found: FormatProbe = { ...unrecognised, chosen: 'textlog', candidates: [{ format: 'textlog', confidence: 0.6, title: 't', needs_date: false }], undetected_reason: null };
    expect(needsPick(withProbe(newItem(staged), found))).toBe(false);
  });
});
