// Further benchmarks (Procmon CSV vs read_csv, UI in a real browser, parsers vs libraries) register here.
import { procmonBench } from './procmon.ts';
import { uiBench } from './ui.ts';
import { parserLibsBench } from './parser-libs.ts';
import { triageBench } from './triage.ts';
import { reportBench } from './report-bench.ts';
import { sigmaWindowsBench } from './sigma-windows.ts';
export const BENCHES_EXTRA: Record<string, () => Promise<Record<string, number | string>>> = {
  procmon: procmonBench,
  ui: uiBench,
  parsers: parserLibsBench,
  triage: triageBench,
  report: reportBench,
  'sigma-windows': sigmaWindowsBench,
};
