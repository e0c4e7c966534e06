// The manifest's canonicalisation as properties: for any body, embedding then extracting gives
// back exactly the body and the manifest; capture text escaped for the body cannot forge a
// marker, so a hostile string never moves where verify cuts the manifest out.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown } from './escape.ts';
import { embedManifest, extractManifest, type ReportManifest } from './manifest.ts';

const manifestArb: fc.Arbitrary<ReportManifest> = fc.record({
  manifest_version: fc.constant(1 as const),
  hash: fc.constant('sha256' as const),
  format: fc.constantFrom('html' as const, 'md' as const, 'json' as const),
  generated_at: fc.string(),
  case: fc.record({
    path: fc.string(),
    name: fc.string(),
    schema_version: fc.nat(),
    state_sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
    audit_head: fc.record({ seq: fc.nat(), entry_hash: fc.string() }),
  }),
  sources: fc.array(fc.record({ capture_id: fc.nat(), file_name: fc.string(), sha256: fc.string(), size_bytes: fc.nat() }), { maxLength: 4 }),
  body_sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
});

// Hostile text: marker fragments, fences, comment ends, newlines.
const hostile = fc.array(
  fc.oneof(fc.string(), fc.constantFrom('<!-- tracebench-manifest:begin -->', '<!-- tracebench-manifest:end -->', '\n', '</div>', '<div id="tracebench-manifest">', '```', '-->', '</body>', '"manifest": {')),
  { maxLength: 8 },
).map((parts) => parts.join(''));

describe('evidence manifest canonicalisation', () => {
  it('HTML: embed then extract returns the body and the manifest, whatever escaped capture text the body holds', () => {
    fc.assert(
      fc.property(hostile, manifestArb, (capture, manifest) => {
        const body = `<!DOCTYPE html><html><body><p>${escapeHtml(capture)}</p></body></html>\n`;
        const out = extractManifest('html', embedManifest('html', body, manifest));
        expect(out.body).toBe(body);
        expect(out.manifest).toEqual(manifest);
      }),
    );
  });

  it('Markdown: the same', () => {
    fc.assert(
      fc.property(hostile, manifestArb, (capture, manifest) => {
        const body = `# Report\n\n| ${escapeMarkdown(capture)} |\n`;
        const out = extractManifest('md', embedManifest('md', body, manifest));
        expect(out.body).toBe(body);
        expect(out.manifest).toEqual(manifest);
      }),
    );
  });

  it('JSON: the same, and the file is still JSON with the manifest last', () => {
    fc.assert(
      fc.property(hostile, manifestArb, (capture, manifest) => {
        const body = `${JSON.stringify({ report_version: 1, text: capture }, null, 2)}\n`;
        const file = embedManifest('json', body, manifest);
        const out = extractManifest('json', file);
        expect(out.body).toBe(body);
        expect(out.manifest).toEqual(manifest);
        expect(Object.keys(JSON.parse(file) as object).at(-1)).toBe('manifest');
      }),
    );
  });
});
