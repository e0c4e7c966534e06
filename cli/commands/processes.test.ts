// `tracebench processes` on the shipped demo capture (real programs traced by strace -f): the
// plant starts the PLC, the HMI and the intruder, and the intruder's shell runs id and uname.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../core/testing/temp.ts';
import type { ProcessNode } from '../../core/model/process.ts';
import { runCli } from '../../core/testing/cli-run.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const tb = (...args: string[]) => runCli(args);

describe('tracebench processes', () => {
  const dir = tempDir();
  const casePath = dir.file('case.duckdb');
  beforeAll(() => {
    const r = tb('import', casePath, join(ROOT, 'samples', 'demo', 'strace.txt'), join(ROOT, 'samples', 'demo', 'app-log.jsonl'), '--json');
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(() => dir.remove());

  it('prints the tree, children indented under their parents', () => {
    const r = tb('processes', casePath);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const shell = lines.findIndex((l) => /\/bin\/sh — \/bin\/sh -c id; uname -a \[exit 0\]/.test(l));
    expect(shell).toBeGreaterThan(0);
    const indent = (l: string | undefined) => (l ?? '').length - (l ?? '').trimStart().length;
    const intruder = lines.findIndex((l) => l.includes('intruder.py'));
    expect(intruder).toBeGreaterThanOrEqual(0);
    expect(indent(lines[shell])).toBe(indent(lines[intruder]) + 2);
    expect(lines.slice(shell + 1, shell + 3).map((l) => l.trim().split(' ')[1])).toEqual(['/usr/bin/id', '/usr/bin/uname']);
    expect(lines.at(-1)).toMatch(/^\d+ processes$/);
  });

  it('--json gives each process its parent, command line, exit and captures', () => {
    const r = tb('processes', casePath, '--json');
    expect(r.status, r.stderr).toBe(0);
    const nodes = JSON.parse(r.stdout) as ProcessNode[];
    const byId = new Map(nodes.map((n) => [n.proc_id, n]));
    const id = nodes.find((n) => n.image === '/usr/bin/id');
    expect(id).toMatchObject({ command_line: 'id', exited: true, exit_code: 0 });
    const sh = byId.get(id?.parent_id ?? -1);
    expect(sh?.command_line).toBe('/bin/sh -c id; uname -a');
    expect(byId.get(sh?.parent_id ?? -1)?.command_line).toMatch(/intruder\.py/);
    // The app log names the same pids at the same times: the processes carry both captures.
    expect(nodes.some((n) => n.captures.length === 2)).toBe(true);
  });
});
