// Further benchmarks (Procmon CSV vs read_csv, UI in a real browser) register here.
import { procmonBench } from './procmon.ts';
import { uiBench } from './ui.ts';
export const BENCHES_EXTRA: Record<string, () => Promise<Record<string, number | string>>> = {
  procmon: procmonBench,
  ui: uiBench,
};
