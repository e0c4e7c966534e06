// What to offer when content detection does not settle a file's format: every importer with
// the confidence its detector gave this file (also those below the detection threshold), the
// generic readers that take any delimited, JSON-lines or timestamped text file, and the
// analyst-facing sentence that names them. Used by `tracebench import` and the import dialog.
import { IMPORTERS, MIN_CONFIDENCE, needsDateFor, type Detection } from './registry.ts';
import type { DetectSample } from './types.ts';

/** Readers that take any file of their shape (header row, JSON object per line, leading time). */
export const GENERIC_FORMATS: readonly string[] = ['csv', 'jsonl', 'textlog'];

export interface FormatCandidate {
  format: string;
  title: string;
  /** The detector's score for this file, 0 … 1 (below MIN_CONFIDENCE it was not considered). */
  confidence: number;
  generic: boolean;
  needs_date: boolean;
}

/** Every importer, best fit first; generic readers before specific ones at equal confidence. */
export function rankFormats(sample: DetectSample): FormatCandidate[] {
  const ranked = IMPORTERS.map((imp, order) => {
    let confidence: number;
    try {
      confidence = imp.detect(sample);
    } catch {
      confidence = 0; // a detector that throws on odd input does not claim the file
    }
    const generic = GENERIC_FORMATS.includes(imp.format);
    return { order, candidate: { format: imp.format, title: imp.title, confidence, generic, needs_date: needsDateFor(imp, sample) } };
  });
  ranked.sort((a, b) => b.candidate.confidence - a.candidate.confidence || Number(b.candidate.generic) - Number(a.candidate.generic) || a.order - b.order);
  return ranked.map((r) => r.candidate);
}

/** The formats that came closest (any confidence above zero), at most `limit`. */
export function closestFormats(sample: DetectSample, limit = 3): FormatCandidate[] {
  return rankFormats(sample)
    .filter((c) => c.confidence > 0)
    .slice(0, limit);
}

const percent = (confidence: number): string => confidence.toFixed(2);

/**
 * Why the content did not settle the format, for an error or a record of the offered file:
 * the closest formats with their confidence, and how to force one.
 */
export function undetectedReason(detection: Exclude<Detection, { status: 'found' }>, sample: DetectSample): string {
  const closest = detection.status === 'ambiguous' ? detection.candidates.slice(0, 3) : closestFormats(sample);
  const list = closest.map((c) => `${c.format} (${percent(c.confidence)})`).join(', ');
  if (detection.status === 'ambiguous') return `the content fits several formats equally well: ${list}`;
  if (closest.length === 0) return 'format not recognised: no importer recognises any of its content';
  return `format not recognised from its content: the closest formats were ${list}, below the ${percent(MIN_CONFIDENCE)} needed`;
}

/** How to force a format on the command line. */
export function forceFormatHint(sample: DetectSample): string {
  const best = closestFormats(sample, 1)[0]?.format ?? 'textlog';
  return `force one with --format NAME (e.g. --format ${best}; the generic readers are ${GENERIC_FORMATS.map((f) => `--format ${f}`).join(', ')}; all formats: tracebench formats)`;
}

const PREVIEW_LINES = 12;
const PREVIEW_CHARS = 200;
const HEX_ROW = 16;

/**
 * The first lines of a file for the analyst to judge its format: text lines clipped (control
 * characters shown as "·"), or a hex dump when the file is binary (a NUL in its first bytes).
 */
export function previewLines(sample: DetectSample): string[] {
  const head = sample.bytes.subarray(0, 4096);
  if (head.includes(0)) {
    const out: string[] = [];
    for (let at = 0; at < Math.min(sample.bytes.length, PREVIEW_LINES * HEX_ROW); at += HEX_ROW) {
      const row = [...sample.bytes.subarray(at, at + HEX_ROW)];
      const hex = row.map((b) => b.toString(16).padStart(2, '0')).join(' ');
      const ascii = row.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '·')).join('');
      out.push(`${at.toString(16).padStart(8, '0')}  ${hex.padEnd(HEX_ROW * 3 - 1)}  ${ascii}`);
    }
    return out;
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is replaced
  const lines = sample.lines.slice(0, PREVIEW_LINES).map((l) => l.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '·'));
  return lines.map((l) => (l.length > PREVIEW_CHARS ? `${l.slice(0, PREVIEW_CHARS)}…` : l));
}
