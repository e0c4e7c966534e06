// `npm run bench -- parsers`: our hand-written CSV splitter and XML element reader against
// well-kept libraries (uDSV and csv-parse for CSV; saxes and fast-xml-parser for XML), on the
// real samples: the public Procmon CSV exports, tshark and Wireshark CSV, the evtxexport XML of
// sysmon.evtx, and a large Procmon CSV generated from the real rows (procmon-gen.ts). Every side
// reads the same text already in memory (the file read and UTF-8 decoding are the same for all),
// in 64 Ki-character chunks as the parse worker hands them over, and must give the same records;
// sides alternate run by run (BENCH_RUNS, default 5, after one warm-up each) and the median is
// reported with every run. A run of a small sample parses it several times over (at least 16 MB in
// all) and reports the time of one pass, so that one GC pause or a busy neighbour does not decide
// it. docs/benchmarks.md records the figures and the decision.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as csvParseStream } from 'csv-parse';
import { parse as csvParseSync } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { SaxesParser } from 'saxes';
import { initParser, inferSchema } from 'udsv';
import { CsvRecordReader, RFC4180, splitCsv, type CsvDialect } from '../core/importers/csv-split.ts';
import { EventElementSplitter } from '../core/importers/evtx/xml-event-splitter.ts';
import { parseXmlElement } from '../core/importers/evtx/xml-reader.ts';
import { localName, windowsEventFromXml, type XmlElement, type XmlNode } from '../core/importers/evtx/xml-tree.ts';
import { LineSplitter } from '../core/ingest/line-splitter.ts';
import { generateProcmonCsv } from './procmon-gen.ts';

const CAPTURES = '/work/shared/captures';
const OUT = join(import.meta.dirname, 'out');
const CHUNK = 64 * 1024;
const MB = 1024 * 1024;

/** What a side produced: records and a checksum of their fields, to prove the sides agree. */
interface Output {
  records: number;
  fieldChars: number;
}

type Side = () => Output | Promise<Output>;

function chunksOf(text: string): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += CHUNK) chunks.push(text.slice(i, i + CHUNK));
  return chunks;
}

function tally(out: Output, fields: readonly string[]): void {
  out.records++;
  for (const f of fields) out.fieldChars += f.length;
}

// ── CSV sides ──────────────────────────────────────────────────────────────────────────────

/** Ours, as the importers use it: lines from the ingest splitter, a record reader fed line by line. */
function oursCsv(chunks: string[], dialect: CsvDialect): Output {
  const out: Output = { records: 0, fieldChars: 0 };
  const reader = new CsvRecordReader(dialect);
  const lines = new LineSplitter({
    line: (text) => {
      if (text === '' && reader.openLines === 0) return;
      const fields = reader.push(text);
      if (fields) tally(out, fields);
    },
    overlong: () => undefined,
  });
  for (const c of chunks) lines.push(c);
  lines.end();
  return out;
}

/** uDSV's incremental parser over the same chunks (rows are counted, not kept). */
function udsvCsv(chunks: string[], delimiter: string): Output {
  const out: Output = { records: 0, fieldChars: 0 };
  const parser = initParser(udsvSchema(chunks[0] ?? '', delimiter));
  const onData = (row: string[]): void => tally(out, row);
  for (const c of chunks) parser.chunk<string[]>(c, parser.stringArrs, onData);
  parser.end();
  return out;
}

/** uDSV at its best: the whole text in one call (needs the whole file in memory, unlike the ingest). */
function udsvWholeCsv(text: string, delimiter: string): Output {
  const out: Output = { records: 0, fieldChars: 0 };
  initParser(udsvSchema(text, delimiter)).stringArrs<string[]>(text, (row) => tally(out, row));
  return out;
}

function udsvSchema(head: string, delimiter: string): ReturnType<typeof inferSchema> {
  const row = head.includes('\r\n') ? '\r\n' : '\n';
  return inferSchema(head.slice(0, CHUNK), { col: delimiter, row, encl: '"', header: () => [] });
}

/** csv-parse's stream parser over the same chunks. */
async function csvParseCsv(chunks: string[], delimiter: string): Promise<Output> {
  const out: Output = { records: 0, fieldChars: 0 };
  const parser = csvParseStream({ delimiter, relax_quotes: true, relax_column_count: true, skip_empty_lines: true });
  parser.on('data', (row: string[]) => tally(out, row));
  const done = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
  });
  for (const c of chunks) parser.write(c);
  parser.end();
  await done;
  return out;
}

// ── XML sides: the event element text → the XmlElement tree windowsEventFromXml reads ─────

const fxp = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
});

type FxpNode = Record<string, unknown>;

function fromFxp(node: FxpNode): XmlNode {
  if ('#text' in node) return String(node['#text']);
  const name = Object.keys(node).find((k) => k !== ':@') ?? '';
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries((node[':@'] ?? {}) as Record<string, unknown>)) if (!k.startsWith('xmlns')) attrs[localName(k)] = String(v);
  const children = (node[name] as FxpNode[]).map(fromFxp);
  if (name === '#cdata') return children.join('');
  return { name: localName(name), attrs, children };
}

function parseWithFxp(text: string): XmlElement {
  const nodes = fxp.parse(text) as FxpNode[];
  const first = nodes.map(fromFxp).find((n): n is XmlElement => typeof n !== 'string');
  if (!first) throw new Error('no element');
  return first;
}

/** One saxes parser, reset by close() after each event. */
function saxesElementParser(): (text: string) => XmlElement {
  const parser = new SaxesParser({ xmlns: false, position: false });
  let stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) if (!k.startsWith('xmlns')) attrs[localName(k)] = v;
    const el: XmlElement = { name: localName(tag.name), attrs, children: [] };
    const top = stack.at(-1);
    if (top) top.children.push(el);
    else root ??= el;
    if (!tag.isSelfClosing) stack.push(el);
  });
  parser.on('closetag', (tag) => {
    if (!tag.isSelfClosing) stack.pop();
  });
  parser.on('text', (t) => stack.at(-1)?.children.push(t));
  parser.on('cdata', (t) => stack.at(-1)?.children.push(t));
  return (text) => {
    stack = [];
    root = null;
    parser.write(text).close();
    if (!root) throw new Error('no element');
    return root;
  };
}

/** The winevent-xml path without the sink: lines → event splitter → element parser → WindowsEvent. */
function xmlImport(chunks: string[], parse: (text: string) => XmlElement): Output {
  const out: Output = { records: 0, fieldChars: 0 };
  const splitter = new EventElementSplitter({
    event(text) {
      const ev = windowsEventFromXml(parse(text));
      if (typeof ev === 'string') throw new Error(ev);
      tally(out, Object.values(ev.data));
    },
    stray: () => undefined,
    abandoned: (reason) => {
      throw new Error(reason);
    },
  });
  const lines = new LineSplitter({ line: (t, n) => void splitter.line(t, n), overlong: () => undefined });
  for (const c of chunks) lines.push(c);
  lines.end();
  return out;
}

// ── the runs ───────────────────────────────────────────────────────────────────────────────

/** Passes per timed run for a sample of `chars` characters: at least 16 MB parsed per run. */
function passesFor(chars: number): number {
  return Math.max(1, Math.ceil((16 * MB) / chars));
}

async function timeSides(label: string, sides: Record<string, Side>, passes: number): Promise<Record<string, string>> {
  const runs = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 5));
  const times: Record<string, number[]> = {};
  const outputs: Record<string, Output> = {};
  for (const [name, side] of Object.entries(sides)) outputs[name] = await side(); // warm-up, and the output compared
  for (let r = 0; r < runs; r++) {
    for (const [name, side] of Object.entries(sides)) {
      const t0 = performance.now();
      for (let p = 0; p < passes; p++) await side();
      (times[name] ??= []).push((performance.now() - t0) / passes);
    }
  }
  const first = Object.values(outputs)[0];
  const row: Record<string, string> = {};
  const medians: Record<string, number> = {};
  for (const [name, list] of Object.entries(times)) {
    const sorted = [...list].sort((a, b) => a - b);
    medians[name] = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
  }
  const ours = Object.values(medians)[0] ?? 1;
  for (const [name, list] of Object.entries(times)) {
    const o = outputs[name];
    const same = o && first && o.records === first.records && o.fieldChars === first.fieldChars;
    const median = medians[name] ?? 0;
    row[name] =
      `${median.toFixed(1)} ms (${(median / ours).toFixed(2)}× ours; runs ${list.map((t) => t.toFixed(1)).join(' / ')}; ` +
      `${o?.records ?? 0} records${same ? '' : `, DIFFERENT output: ${o?.fieldChars} field chars vs ${first?.fieldChars}`})`;
  }
  process.stderr.write(`${label} (${passes} passes a run)\n${Object.entries(row).map(([k, v]) => `  ${k.padEnd(16)} ${v}`).join('\n')}\n`);
  return row;
}

function csvSides(raw: string, dialect: CsvDialect, withCsvParse = true): Record<string, Side> {
  const text = raw.replace(/^\uFEFF/, '');
  const chunks = chunksOf(text);
  const sides: Record<string, Side> = {
    ours: () => oursCsv(chunks, dialect),
    'udsv chunks': () => udsvCsv(chunks, dialect.delimiter),
    'udsv whole': () => udsvWholeCsv(text, dialect.delimiter),
  };
  if (withCsvParse) sides['csv-parse'] = () => csvParseCsv(chunks, dialect.delimiter);
  return sides;
}

/** Which parts run: BENCH_PARSERS=cases,csv,gen,xml (default all). */
function partChosen(part: string): boolean {
  const chosen = process.env['BENCH_PARSERS'];
  return chosen === undefined || chosen.split(',').includes(part);
}

// ── the cases our tests name (csv-split.test.ts, winevent-xml.test.ts): does each side agree? ──

const TRIM: CsvDialect = { delimiter: ',', quotes: '"', trim: true };
const TAB_EITHER_QUOTE: CsvDialect = { delimiter: '\t', quotes: `"'`, trim: false };
/** [test name, record text, dialect]; the expected fields are what our splitter gives (the tests assert them). */
const CSV_CASES: [string, string, CsvDialect][] = [
  ['quoted delimiters, doubled quotes, empty fields', '"a,b","say ""hi""",,"x"', RFC4180],
  ['keeps text after a closing quote', '"a"b"c,d', RFC4180],
  ['a quote inside an unquoted field is a character', 'x"y,"z"', RFC4180],
  ['trims unquoted fields in the generic dialect', ' a , "b" ', TRIM],
  ["opens fields with either quote in tshark's dialect", `'a\tb'\t"c'"\td`, TAB_EITHER_QUOTE],
  ['a record whose quoted field holds newlines', '1,"first\nsecond "" line\nend",2', RFC4180],
  ['reports an open quote as incomplete (the next line continues it)', 'a,"b', RFC4180],
];

function udsvRecord(text: string, d: CsvDialect): string {
  try {
    const schema = inferSchema(`${text}\n`, { col: d.delimiter, row: '\n', encl: d.quotes[0] ?? '"', trim: d.trim, header: () => [] });
    return JSON.stringify(initParser(schema).stringArrs(`${text}\n`));
  } catch (err) {
    return `throws: ${err instanceof Error ? err.message : String(err)}`;
  }
}

function csvParseRecord(text: string, d: CsvDialect): string {
  try {
    return JSON.stringify(csvParseSync(`${text}\n`, { delimiter: d.delimiter, quote: d.quotes[0] ?? '"', relax_quotes: true, relax_column_count: true, trim: d.trim }));
  } catch (err) {
    return `throws: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  }
}

export function csvConformance(): Record<string, string> {
  const row: Record<string, string> = {};
  for (const [name, text, dialect] of CSV_CASES) {
    const ours = splitCsv(text, dialect);
    const expected = JSON.stringify(ours === null ? 'incomplete' : [ours]);
    const u = udsvRecord(text, dialect);
    const c = csvParseRecord(text, dialect);
    row[`csv case: ${name}`] = `ours ${expected}; udsv ${u === expected ? 'same' : u}; csv-parse ${c === expected ? 'same' : c}`;
  }
  return row;
}

const XML_CASES: [string, string][] = [
  ['entities in text and attributes', `<Event a='x&amp;y'><Data Name='Image'>C:\\a&amp;b.exe &lt;1&gt;</Data></Event>`],
  ['a mismatched end tag is malformed', '<Event><System><EventID>1</EventID></Foo></Event>'],
  ['an unknown entity', '<Event><Data>&nbsp;</Data></Event>'],
  ['a control character', '<Event><Data>a\u0001b</Data></Event>'],
];

export function xmlConformance(): Record<string, string> {
  const row: Record<string, string> = {};
  const attempt = (parse: (t: string) => XmlElement, text: string): string => {
    try {
      return JSON.stringify(parse(text));
    } catch (err) {
      return `throws: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
    }
  };
  for (const [name, text] of XML_CASES) {
    const ours = attempt(parseXmlElement, text);
    const s = attempt(saxesElementParser(), text); // a fresh parser: one that threw is not reused
    const f = attempt(parseWithFxp, text);
    row[`xml case: ${name}`] = `ours ${ours}; saxes ${s === ours ? 'same' : s}; fast-xml-parser ${f === ours ? 'same' : f}`;
  }
  return row;
}

export async function parserLibsBench(): Promise<Record<string, number | string>> {
  const results: Record<string, number | string> = partChosen('cases') ? { ...csvConformance(), ...xmlConformance() } : {};
  for (const [k, v] of Object.entries(results)) process.stderr.write(`${k}\n  ${v}\n`);
  const put = (label: string, row: Record<string, string>): void => {
    for (const [side, figure] of Object.entries(row)) results[`${label} · ${side}`] = figure;
  };
  const TSHARK: CsvDialect = { delimiter: ',', quotes: `"'`, trim: false };
  const csvSamples: [string, string, CsvDialect][] = [
    ['procmon CompressedLogFileUTC64ProcessCSV.csv', 'public/procmon/CompressedLogFileUTC64ProcessCSV.csv', RFC4180],
    ['procmon CompressedLogfileTests32bitUTCCSV.slice', 'public/procmon/CompressedLogfileTests32bitUTCCSV.slice-24361-27860.csv', RFC4180],
    ['tshark -T fields CSV (hmi-dev net.csv)', 'linux/hmi-dev/net.csv', TSHARK],
    ['Wireshark CSV (wireshark_modbus.csv)', 'public/ics/wireshark_modbus.csv', TSHARK],
  ];
  for (const [label, rel, dialect] of csvSamples) {
    const path = join(CAPTURES, rel);
    if (!partChosen('csv') || !existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    put(label, await timeSides(label, csvSides(text, dialect), passesFor(text.length)));
  }
  if (partChosen('gen')) {
    // csv-parse is left out here: 9–20× slower than ours on every real sample, it would take
    // minutes a run on this file.
    const genMb = Number(process.env['BENCH_PROCMON_MB'] ?? 160);
    const genPath = join(OUT, `procmon-${genMb}mb.csv`);
    if (!existsSync(genPath)) {
      process.stderr.write(`generating a ${genMb} MB Procmon CSV…\n`);
      generateProcmonCsv(genPath, genMb * MB);
    }
    const label = `generated Procmon CSV ${genMb} MB`;
    put(label, await timeSides(label, csvSides(readFileSync(genPath, 'utf8'), RFC4180, false), 1));
  }

  const xmlPath = join(CAPTURES, 'public/evtx/derived/sysmon.evtx.evtxexport.xml');
  if (partChosen('xml') && existsSync(xmlPath)) {
    const text = readFileSync(xmlPath, 'utf8');
    const chunks = chunksOf(text);
    const saxes = saxesElementParser();
    const label = 'sysmon evtxexport XML (winevent-xml path)';
    const sides: Record<string, Side> = {
      ours: () => xmlImport(chunks, parseXmlElement),
      saxes: () => xmlImport(chunks, saxes),
      'fast-xml-parser': () => xmlImport(chunks, parseWithFxp),
    };
    put(label, await timeSides(label, sides, passesFor(text.length)));
  }
  return results;
}
