// SHA-256 of a whole file, streamed, for files the import did not read itself (an offered file
// whose format was not recognised), so the report can name its exact bytes.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Files larger than this are not hashed just to be listed (reading them would stall the answer). */
export const OFFERED_HASH_LIMIT = 64 * 1024 * 1024;

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
