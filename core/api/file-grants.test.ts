// The capability registry: ids are random, per kind, and only ids it issued resolve.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FILE_ID_PATTERN, FileGrants, UnknownFileIdError } from './file-grants.ts';

describe('FileGrants', () => {
  it('issues an unguessable id per file and kind, and resolves only its own ids', () => {
    const grants = new FileGrants();
    const capture = grants.grant('capture', '/captures/strace.txt', 'strace.txt');
    const kase = grants.grant('case', '/cases/a.duckdb');
    expect(capture).toMatch(FILE_ID_PATTERN);
    expect(capture.startsWith('cap_')).toBe(true);
    expect(kase.startsWith('case_')).toBe(true);
    expect(grants.resolve('capture', capture)).toEqual({ kind: 'capture', path: '/captures/strace.txt', display_name: 'strace.txt' });
    expect(grants.resolve('case', kase).display_name).toBe('a.duckdb');
    // the same file keeps its id; another registry (another session) issues different ones
    expect(grants.grant('capture', '/captures/strace.txt')).toBe(capture);
    expect(new FileGrants().grant('capture', '/captures/strace.txt')).not.toBe(capture);
  });

  it('refuses a path, a made-up id and an id of the other kind', () => {
    const grants = new FileGrants();
    const capture = grants.grant('capture', '/captures/strace.txt');
    expect(() => grants.resolve('capture', '/etc/passwd')).toThrow(UnknownFileIdError);
    expect(() => grants.resolve('capture', `cap_${'0'.repeat(32)}`)).toThrow(/unknown file id/);
    expect(() => grants.resolve('case', capture)).toThrow(/unknown case id/);
  });

  it('forgets a revoked file', () => {
    const grants = new FileGrants();
    const id = grants.grant('capture', '/uploads/x.jsonl');
    grants.revokePath('capture', '/uploads/x.jsonl');
    expect(() => grants.resolve('capture', id)).toThrow(UnknownFileIdError);
    expect(grants.idOf('capture', '/uploads/x.jsonl')).toBeNull();
  });

  it('resolves no string it did not issue', () => {
    const grants = new FileGrants();
    grants.grant('capture', '/a');
    grants.grant('case', '/b.duckdb');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(FILE_ID_PATTERN)), (guess) => {
        expect(() => grants.resolve('capture', guess)).toThrow(UnknownFileIdError);
        expect(() => grants.resolve('case', guess)).toThrow(UnknownFileIdError);
      }),
    );
  });
});
