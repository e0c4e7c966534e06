import { setBaseline } from '../../core/case/baseline.ts';
import { CaseStore } from '../../core/store/case-store.ts';
import { CliUsageError, parse, type Command } from '../command.ts';

export const baselineCommand: Command = {
  usage: 'baseline CASE CAPTURE_ID [--off] [--json]',
  summary: 'marks a capture as the known-good baseline that findings compare against (--off clears the mark)',
  async run(argv) {
    const { values, positionals } = parse(argv, { off: { type: 'boolean' }, json: { type: 'boolean' } });
    const [casePath, captureText] = positionals;
    if (!casePath || captureText === undefined || positionals.length !== 2) throw new CliUsageError('need a case file and a capture id');
    if (!/^\d+$/.test(captureText)) throw new CliUsageError(`CAPTURE_ID must be a whole number, got "${captureText}"`);
    const store = await CaseStore.open(casePath, { create: false });
    try {
      const c = await setBaseline(store, Number(captureText), !values.off);
      if (values.json) process.stdout.write(`${JSON.stringify(c, null, 2)}\n`);
      else process.stdout.write(`capture ${c.capture_id} (${c.file_name}): ${c.is_baseline ? 'baseline' : 'not a baseline'}\n`);
      return 0;
    } finally {
      store.close();
    }
  },
};
