// The evidence manifest every report carries: the SHA-256 of each source, the case-state digest
// (case-state.ts) with the audit chain's head, and the SHA-256 of the report body. How the body is
// cut out of the file is fixed here so `tracebench verify` can recompute it:
//
// - HTML: the manifest block is the text from '\n<div id="tracebench-manifest">\n' through the
//   first "\n</div>\n" after it, placed before the last "</body>". Body = the file without that
//   block. The manifest is the JSON between the block's first "{" and last "}".
// - Markdown: the block runs from "\n<!-- tracebench-manifest:begin -->\n" through
//   "\n<!-- tracebench-manifest:end -->\n", appended at the end; the JSON sits in a ```json fence.
// - JSON: the manifest is the report object's last member, written on one line as
//   `,\n  "manifest": {…}\n}\n` at the end of the file. Body = the file with that member
//   removed, i.e. the text up to it followed by "\n}\n".
// - PDF: a detached manifest, FILE.pdf.manifest.json; body = the PDF's bytes.
//
// Inside the embedded JSON, <, >, & and ` are written as \u escapes, so neither a marker line nor
// the end of a fence can appear in it; capture text in the body is escaped (<, newlines), so it
// cannot forge a marker line either. Exactly one block must be present.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { CaseState } from './case-state.ts';
import type { ReportData } from './model.ts';

/** Where the manifest block starts and ends, per format (the first end after the start). */
const MARKERS = {
  html: { begin: '\n<div id="tracebench-manifest">\n', end: '\n</div>\n' },
  md: { begin: '\n<!-- tracebench-manifest:begin -->\n', end: '\n<!-- tracebench-manifest:end -->\n' },
} as const;
const JSON_MEMBER = ',\n  "manifest": ';

export const manifestSchema = z.object({
  manifest_version: z.literal(1),
  hash: z.literal('sha256'),
  format: z.enum(['html', 'md', 'json', 'pdf']),
  generated_at: z.string(),
  case: z.object({
    path: z.string(),
    name: z.string(),
    schema_version: z.number(),
    state_sha256: z.string().regex(/^[0-9a-f]{64}$/),
    audit_head: z.object({ seq: z.number().int().nonnegative(), entry_hash: z.string() }),
  }),
  sources: z.array(
    z.object({ capture_id: z.number(), file_name: z.string(), sha256: z.string(), size_bytes: z.number() }),
  ),
  body_sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export type ReportManifest = z.infer<typeof manifestSchema>;
export type ManifestFormat = ReportManifest['format'];

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function makeManifest(data: ReportData, state: CaseState, format: ManifestFormat, body: string | Uint8Array): ReportManifest {
  return {
    manifest_version: 1,
    hash: 'sha256',
    format,
    generated_at: data.generated_at,
    case: {
      path: data.case.path,
      name: data.case.name,
      schema_version: data.case.schema_version,
      state_sha256: state.sha256,
      audit_head: state.audit_head,
    },
    sources: data.sources.map((s) => ({ capture_id: s.capture_id, file_name: s.file_name, sha256: s.sha256, size_bytes: s.size_bytes })),
    body_sha256: sha256Hex(body),
  };
}

/** JSON with nothing that could close a comment, a fence or a tag. */
function inertJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/[<>&`]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The report file: `body` with `manifest` embedded as the format defines (see the file comment). */
export function embedManifest(format: 'html' | 'md' | 'json', body: string, manifest: ReportManifest): string {
  switch (format) {
    case 'html': {
      const at = body.lastIndexOf('</body>');
      if (at < 0) throw new Error('HTML report has no </body>');
      // The inner <div> closes right after the JSON's "}", so the first "\n</div>\n" is the block's end.
      const block = `${MARKERS.html.begin}<h2>Evidence manifest</h2>
<p class="muted">SHA-256 of each source, of the case state and of this report without this section. Check with: tracebench verify CASE REPORT</p>
<div class="mono" style="white-space:pre">${inertJson(manifest, 2)}</div>${MARKERS.html.end}`;
      return body.slice(0, at) + block + body.slice(at);
    }
    case 'md':
      return `${body}${MARKERS.md.begin}## Evidence manifest

SHA-256 of each source, of the case state and of this report without this section. Check with: tracebench verify CASE REPORT

\`\`\`json
${inertJson(manifest, 2)}
\`\`\`${MARKERS.md.end}`;
    case 'json': {
      if (!body.endsWith('\n}\n')) throw new Error('JSON report does not end with "\\n}\\n"');
      return `${body.slice(0, -3)}${JSON_MEMBER}${inertJson(manifest)}\n}\n`;
    }
  }
}

export class ManifestError extends Error {}

/** Splits a report file into its body and the manifest it carries; throws ManifestError when it has none. */
export function extractManifest(format: 'html' | 'md' | 'json', text: string): { body: string; manifest: ReportManifest } {
  let body: string;
  let json: string;
  if (format === 'json') {
    const at = text.lastIndexOf(JSON_MEMBER);
    if (at < 0 || !text.endsWith('\n}\n')) throw new ManifestError('the JSON report carries no manifest member');
    json = text.slice(at + JSON_MEMBER.length, -3);
    if (json.includes('\n')) throw new ManifestError('the manifest member is not the last one on one line');
    body = `${text.slice(0, at)}\n}\n`;
  } else {
    const markers = MARKERS[format];
    const begin = text.indexOf(markers.begin);
    const end = begin < 0 ? -1 : text.indexOf(markers.end, begin + markers.begin.length);
    if (begin < 0 || end < 0) throw new ManifestError('the report carries no manifest block');
    if (text.indexOf(markers.begin, begin + 1) >= 0) throw new ManifestError('the report carries more than one manifest block');
    const block = text.slice(begin, end);
    json = block.slice(block.indexOf('{'), block.lastIndexOf('}') + 1);
    body = text.slice(0, begin) + text.slice(end + markers.end.length);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    throw new ManifestError(`the manifest is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const checked = manifestSchema.safeParse(parsed);
  if (!checked.success) throw new ManifestError(`the manifest is malformed: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { body, manifest: checked.data };
}

/** Parses a detached manifest (a PDF's FILE.manifest.json). */
export function parseDetachedManifest(text: string): ReportManifest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ManifestError(`the detached manifest is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const checked = manifestSchema.safeParse(parsed);
  if (!checked.success) throw new ManifestError(`the detached manifest is malformed: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return checked.data;
}
