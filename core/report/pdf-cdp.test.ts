// The DevTools pipe client: NUL-terminated framing across arbitrary chunk boundaries, replies
// matched to their commands by id, events awaited per session, and a closed pipe failing
// everything still waiting.
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CdpConnection, CdpFrameReader, encodeCdpMessage } from './pdf-cdp.ts';

/** Splits bytes at the given cut points (indexes into them, any order, duplicates allowed). */
function cut(bytes: Buffer, points: number[]): Buffer[] {
  const sorted = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of [...sorted, bytes.length]) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  return chunks;
}

describe('DevTools pipe framing', () => {
  it('ends each command with one NUL, the only one even when a string holds U+0000', () => {
    const bytes = encodeCdpMessage({ id: 7, method: 'Page.navigate', params: { url: 'file:///a\u0000b' } });
    expect(bytes[bytes.length - 1]).toBe(0);
    expect(bytes.indexOf(0)).toBe(bytes.length - 1);
    expect(JSON.parse(bytes.subarray(0, -1).toString('utf8'))).toEqual({ id: 7, method: 'Page.navigate', params: { url: 'file:///a\u0000b' } });
  });

  it('gives back every message whole, however the bytes are cut (multi-byte characters split included)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 12 }), (texts, points) => {
        const messages = texts.map((t, i) => JSON.stringify({ id: i, result: { t } }));
        const bytes = Buffer.from(messages.map((m) => `${m}\0`).join(''), 'utf8');
        const reader = new CdpFrameReader();
        const out = cut(bytes, points).flatMap((c) => reader.push(c));
        expect(out).toEqual(messages);
      }),
    );
  });

  it('keeps a message without its NUL until the NUL arrives', () => {
    const reader = new CdpFrameReader();
    expect(reader.push(Buffer.from('{"id":1,'))).toEqual([]);
    expect(reader.push(Buffer.from('"result":{}}'))).toEqual([]);
    expect(reader.push(Buffer.from('\0{"id":2'))).toEqual(['{"id":1,"result":{}}']);
  });
});

/** A connection whose "Chromium" is the test: `sent` reads what the client wrote, `reply` writes back. */
function fakeChromium() {
  const toChromium = new PassThrough();
  const fromChromium = new PassThrough();
  const cdp = new CdpConnection(toChromium, fromChromium);
  const received: Array<{ id: number; method: string; params?: unknown; sessionId?: string }> = [];
  const reader = new CdpFrameReader();
  toChromium.on('data', (chunk: Buffer) => {
    for (const m of reader.push(chunk)) received.push(JSON.parse(m) as (typeof received)[number]);
  });
  const reply = (message: object) => fromChromium.write(`${JSON.stringify(message)}\0`);
  return { cdp, received, reply, fromChromium };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('DevTools pipe connection', () => {
  it('matches replies to commands by id, in whatever order they come, and sends the session id', async () => {
    const { cdp, received, reply } = fakeChromium();
    const first = cdp.send('Target.createTarget', { url: 'about:blank' });
    const second = cdp.send('Page.enable', {}, 'S1');
    await tick();
    expect(received.map((m) => [m.method, m.sessionId])).toEqual([
      ['Target.createTarget', undefined],
      ['Page.enable', 'S1'],
    ]);
    const [a, b] = received;
    reply({ id: b?.id, result: { ok: 2 }, sessionId: 'S1' });
    reply({ id: a?.id, result: { targetId: 'T1' } });
    await expect(first).resolves.toEqual({ targetId: 'T1' });
    await expect(second).resolves.toEqual({ ok: 2 });
  });

  it('rejects a command Chromium answers with an error, naming the command', async () => {
    const { cdp, received, reply } = fakeChromium();
    const navigation = cdp.send('Page.navigate', { url: 'file:///x' }, 'S1');
    await tick();
    reply({ id: received[0]?.id, error: { code: -32000, message: 'Session with given id not found.' } });
    await expect(navigation).rejects.toThrow('Page.navigate: Session with given id not found.');
  });

  it('hands an awaited event to its own session only', async () => {
    const { cdp, reply } = fakeChromium();
    const loaded = cdp.once('Page.loadEventFired', 'S2');
    let settled = false;
    void loaded.then(() => (settled = true));
    reply({ method: 'Page.loadEventFired', params: { timestamp: 1 }, sessionId: 'S1' });
    await tick();
    expect(settled).toBe(false);
    reply({ method: 'Page.loadEventFired', params: { timestamp: 2 }, sessionId: 'S2' });
    await expect(loaded).resolves.toEqual({ timestamp: 2 });
  });

  it('fails every pending command and event when Chromium closes the pipe, and refuses new ones', async () => {
    const { cdp, fromChromium } = fakeChromium();
    const pending = cdp.send('Page.printToPDF', {}, 'S1');
    const event = cdp.once('Page.loadEventFired', 'S1');
    fromChromium.destroy();
    await expect(pending).rejects.toThrow('Chromium closed the DevTools pipe');
    await expect(event).rejects.toThrow('Chromium closed the DevTools pipe');
    await expect(cdp.send('Browser.close')).rejects.toThrow('Chromium closed the DevTools pipe');
  });

  it('fails everything when Chromium sends something that is not JSON', async () => {
    const { cdp, fromChromium } = fakeChromium();
    const pending = cdp.send('Page.enable', {}, 'S1');
    fromChromium.write('not json\0');
    await expect(pending).rejects.toThrow('not JSON');
  });
});
