// Every importer the workbench knows, and content-based format detection over them.
// To add a format: write core/importers/<format>.ts exporting an Importer, then list it here.
import type { DetectSample, Importer } from './types.ts';
import { jsonLinesImporter } from './jsonl.ts';
import { evtxImporter } from './evtx.ts';
import { windowsEventXmlImporter } from './winevent-xml.ts';
import { windowsEventJsonImporter } from './winevent-jsonl.ts';
import { procmonCsvImporter } from './procmon-csv.ts';
import { procmonPmlImporter } from './procmon-pml.ts';
import { capeImporter } from './cape.ts';
import { delimitedImporter } from './delimited.ts';
import { textLogImporter } from './textlog.ts';
import { accessLogImporter } from './access-log.ts';
import { auditdImporter } from './auditd.ts';
import { zeekImporter } from './zeek.ts';
import { tsharkCsvImporter } from './tshark-csv.ts';
import { tsharkJsonImporter } from './tshark-json.ts';
import { icsProbeCsvImporter } from './ics-probe-csv.ts';
import { straceImporter } from './strace.ts';
import { ltraceImporter } from './ltrace.ts';
import { fridaTraceImporter } from './frida-trace.ts';
import { sniffEncoding } from '../util/encoding.ts';
import { splitLinesByEnding } from '../util/line-ending.ts';

export const IMPORTERS: readonly Importer[] = [jsonLinesImporter, delimitedImporter, textLogImporter, accessLogImporter, auditdImporter, procmonCsvImporter, procmonPmlImporter, capeImporter, zeekImporter, tsharkCsvImporter, tsharkJsonImporter, icsProbeCsvImporter, evtxImporter, windowsEventXmlImporter, windowsEventJsonImporter, straceImporter, ltraceImporter, fridaTraceImporter];

export interface DetectionCandidate {
  format: string;
  confidence: number;
}

/** Confidence below which a format is not considered at all. */
export const MIN_CONFIDENCE = 0.3;
/** Two candidates closer than this are ambiguous: the analyst must choose. */
export const AMBIGUITY_MARGIN = 0.1;

/** Whether `importer` would need a date for this sample (see Importer.needsDate). */
export function needsDateFor(importer: Importer, sample: DetectSample): boolean {
  const rule = importer.needsDate;
  if (typeof rule === 'function') {
    try {
      return rule(sample);
    } catch {
      return false;
    }
  }
  return rule ?? false;
}

export function importerByFormat(format: string): Importer | undefined {
  return IMPORTERS.find((i) => i.format === format);
}

/** All formats that fit the sample, best first. */
export function detectFormats(sample: DetectSample): DetectionCandidate[] {
  const out: DetectionCandidate[] = [];
  for (const imp of IMPORTERS) {
    let confidence: number;
    try {
      confidence = imp.detect(sample);
    } catch {
      confidence = 0; // a detector that throws on odd input simply does not claim the file
    }
    if (confidence >= MIN_CONFIDENCE) out.push({ format: imp.format, confidence });
  }
  return out.sort((a, b) => b.confidence - a.confidence);
}

export type Detection =
  | { status: 'found'; importer: Importer; confidence: number; candidates: DetectionCandidate[] }
  | { status: 'ambiguous'; candidates: DetectionCandidate[] }
  | { status: 'unknown'; candidates: DetectionCandidate[] };

export function detectFormat(sample: DetectSample): Detection {
  const candidates = detectFormats(sample);
  const [best, second] = candidates;
  if (!best) return { status: 'unknown', candidates };
  if (second && best.confidence - second.confidence < AMBIGUITY_MARGIN) {
    return { status: 'ambiguous', candidates };
  }
  const importer = importerByFormat(best.format);
  if (!importer) return { status: 'unknown', candidates };
  return { status: 'found', importer, confidence: best.confidence, candidates };
}

const SAMPLE_BYTES = 64 * 1024;

/** Builds a detection sample from the first bytes of a file. */
export function makeDetectSample(fileName: string, head: Uint8Array): DetectSample {
  const bytes = head.subarray(0, SAMPLE_BYTES);
  const { encoding, bomLength } = sniffEncoding(bytes);
  const text = new TextDecoder(encoding, { fatal: false }).decode(bytes.subarray(bomLength));
  return { fileName, bytes, lines: splitLinesByEnding(text) };
}

export { SAMPLE_BYTES };
