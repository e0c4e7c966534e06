// Dispatch in cli/main.ts: commands load on demand, names are looked up as own keys only.
import { describe, expect, it, vi } from 'vitest';
import { main } from './main.ts';

function captured(stream: NodeJS.WriteStream): { text: () => string; restore: () => void } {
  let out = '';
  const spy = vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  return { text: () => out, restore: () => spy.mockRestore() };
}

describe('tracebench dispatch', { timeout: 60_000 }, () => {
  it('help lists every command, each loaded for its summary', async () => {
    const out = captured(process.stdout);
    const code = await main(['--help']).finally(out.restore);
    expect(code).toBe(0);
    for (const name of ['import', 'query', 'report', 'serve', 'verify', 'rules', 'case']) expect(out.text()).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });

  it('an inherited property name is an unknown command, not a crash', async () => {
    const err = captured(process.stderr);
    const code = await main(['constructor']).finally(err.restore);
    expect(code).toBe(2);
    expect(err.text()).toContain('unknown command "constructor"');
  });

  it("a command's --help loads that command only and prints its usage", async () => {
    const out = captured(process.stdout);
    const code = await main(['formats', '--help']).finally(out.restore);
    expect(code).toBe(0);
    expect(out.text()).toMatch(/^usage: tracebench formats/);
  });
});
