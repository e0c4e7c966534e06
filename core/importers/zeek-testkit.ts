// Test support for the network/ICS importers (zeek, tshark tests): reading Zeek/tshark epoch
// stamps independently of the importers. Running an importer and collecting what it reports is
// core/testing/collecting-sink.ts. Tests only; never imported by production code.

/** "1693979103.320536" → µs by string arithmetic, independent of the importers' parsing. */
export function epochTextToUs(text: string): number {
  const [sec, frac = ''] = text.split('.');
  return Number(sec) * 1_000_000 + Number(frac.padEnd(6, '0').slice(0, 6));
}
