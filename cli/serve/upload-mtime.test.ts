// An uploaded copy keeps the original file's modification time when the browser sends it, so
// the import's documented defaults (the date of time-of-day captures, the start of frida-trace
// logs) come from the original, not from the upload.
import type { IncomingMessage } from 'node:http';
import { statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../core/testing/temp.ts';
import { receiveUpload, UploadTooLargeError } from './upload.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const body = () => Readable.from([Buffer.from('  120 ms  open()\n')]) as unknown as IncomingMessage;

describe('upload modification time', () => {
  it('gives the copy the original modification time when sent', async () => {
    const modified = Date.parse('2026-11-26T06:40:00.250Z');
    const up = await receiveUpload(body(), dir.path, 'frida.txt', 1 << 30, () => new UploadTooLargeError('too large'), modified);
    expect(statSync(up.path).mtimeMs).toBe(modified);
  });

  it('leaves the upload time otherwise', async () => {
    const before = Date.now() - 5_000;
    const up = await receiveUpload(body(), dir.path, 'frida.txt', 1 << 30, () => new UploadTooLargeError('too large'));
    expect(statSync(up.path).mtimeMs).toBeGreaterThan(before);
  });
});
