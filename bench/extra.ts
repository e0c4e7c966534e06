// Further benchmarks (Procmon CSV vs read_csv, UI in a real browser) register here.
export const BENCHES_EXTRA: Record<string, () => Promise<Record<string, number | string>>> = {};
