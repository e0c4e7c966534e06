import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Session } from '../../core/api/session.ts';
import { createWorkbench } from '../../core/api/workbench.ts';
import { CliUsageError, parse, type Command } from '../command.ts';
import { DEFAULT_IDLE_MS, startServer } from '../serve/server.ts';
import { GRANT_SECRET_LINE, newGrantSecret } from '../serve/grant-endpoint.ts';
import { ensureRendererBuilt } from '../../bin/renderer-build.mjs';

const REPO_ROOT = join(import.meta.dirname, '..', '..');

export const serveCommand: Command = {
  usage: 'serve [CASE] [--port N] [--workspace DIR] [--open-sample] [--idle-minutes N]',
  summary: 'starts the browser shell on 127.0.0.1 and prints its URL with a one-time token',
  help: `
  CASE            case file to open (created when missing; the start screen offers it again by id
                  for this run), or a Parquet dataset folder (\`export --format parquet\`), opened
                  read-only; without it the UI lists the workspace's cases, new and sample
  --port N        port to listen on (default 0: a free port)
  --workspace DIR folder for new cases and the sample case (default $TRACEBENCH_HOME/cases or ~/.tracebench/cases)
  --open-sample   open the sample case (built from samples/demo the first time)
  --idle-minutes N  after N minutes without a request the token is replaced and the new URL
                  printed here (default ${DEFAULT_IDLE_MS / 60_000}; 0 keeps one token for the whole run)
  Stop it with Ctrl-C.`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      port: { type: 'string' },
      workspace: { type: 'string' },
      'open-sample': { type: 'boolean' },
      shell: { type: 'string' },
      'idle-minutes': { type: 'string' },
    });
    if (positionals.length > 1) throw new CliUsageError('give at most one case file');
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliUsageError(`--port wants 0…65535, got "${values.port}"`);
    const idleMinutes = values['idle-minutes'] === undefined ? DEFAULT_IDLE_MS / 60_000 : Number(values['idle-minutes']);
    if (!Number.isFinite(idleMinutes) || idleMinutes < 0) throw new CliUsageError(`--idle-minutes wants a number ≥ 0, got "${values['idle-minutes']}"`);
    const [casePath] = positionals;
    if (casePath && values['open-sample']) throw new CliUsageError('give a case file or --open-sample, not both');

    // --shell electron: this server is the Electron shell's backend (electron/backend.ts).
    if (values.shell !== undefined && values.shell !== 'electron' && values.shell !== 'browser') {
      throw new CliUsageError(`--shell wants electron or browser, got "${values.shell}"`);
    }
    // A fresh install has no renderer/dist: build it (or rebuild a stale one) as `npm start` does.
    // The Electron shell's main process loads the renderer itself and bin/start.js builds it first.
    if (values.shell !== 'electron') ensureRendererBuilt(REPO_ROOT);
    const session = new Session({ shell: values.shell === 'electron' ? 'electron' : 'browser', workspace: values.workspace });
    if (casePath) await session.openCase(casePath, true);
    else if (values['open-sample']) await session.openSampleCase();
    const electronBackend = values.shell === 'electron';
    // Electron's main process registers the files its dialogs return (POST /grant); the secret
    // goes to main alone, over this process's stdout. The browser shell has no such endpoint.
    const grantSecret = electronBackend ? newGrantSecret() : undefined;
    const server = await startServer({
      api: createWorkbench(session),
      grants: session.grants,
      grantSecret,
      distDir: join(REPO_ROOT, 'renderer', 'dist'),
      port,
      // The Electron backend's token never leaves Electron's main process, which could not learn
      // a replaced one: no idle expiry there.
      idleMs: electronBackend ? 0 : idleMinutes * 60_000,
      onTokenRotated: (url) => {
        process.stdout.write(`Tracebench browser shell: idle for ${idleMinutes} minutes, the old token no longer works; open the new URL:\n`);
        process.stdout.write(`Tracebench browser shell: ${url}\n`);
      },
      uploadsDir: () => {
        const open = session.info().case_path;
        const dir = open ? join(dirname(open), 'uploads') : join(session.workspace, 'uploads');
        mkdirSync(dir, { recursive: true });
        return resolve(dir);
      },
    });
    if (grantSecret !== undefined) process.stdout.write(`${GRANT_SECRET_LINE}${grantSecret}\n`);
    process.stdout.write(`Tracebench browser shell: ${server.url}\n`);
    await new Promise<void>((done) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        done();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await server.close();
    await session.close();
    return 0;
  },
};
