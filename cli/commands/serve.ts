import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Session } from '../../core/api/session.ts';
import { createWorkbench } from '../../core/api/workbench.ts';
import { CliUsageError, parse, type Command } from '../command.ts';
import { startServer } from '../serve/server.ts';
import { ensureRendererBuilt } from '../../bin/renderer-build.mjs';

const REPO_ROOT = join(import.meta.dirname, '..', '..');

export const serveCommand: Command = {
  usage: 'serve [CASE] [--port N] [--workspace DIR] [--open-sample]',
  summary: 'starts the browser shell on 127.0.0.1 and prints its URL with a one-time token',
  help: `
  CASE            case file to open (created when missing); without it the UI offers open / new / sample
  --port N        port to listen on (default 0: a free port)
  --workspace DIR folder for new cases and the sample case (default $TRACEBENCH_HOME/cases or ~/.tracebench/cases)
  --open-sample   open the sample case (built from samples/demo the first time)
  Stop it with Ctrl-C.`,
  async run(argv) {
    const { values, positionals } = parse(argv, {
      port: { type: 'string' },
      workspace: { type: 'string' },
      'open-sample': { type: 'boolean' },
      shell: { type: 'string' },
    });
    if (positionals.length > 1) throw new CliUsageError('give at most one case file');
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliUsageError(`--port wants 0…65535, got "${values.port}"`);
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
    const server = await startServer({
      api: createWorkbench(session),
      distDir: join(REPO_ROOT, 'renderer', 'dist'),
      port,
      uploadsDir: () => {
        const open = session.info().case_path;
        const dir = open ? join(dirname(open), 'uploads') : join(session.workspace, 'uploads');
        mkdirSync(dir, { recursive: true });
        return resolve(dir);
      },
    });
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
