import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from './csp.ts';

const INDEX_HTML = join(import.meta.dirname, '..', '..', 'renderer', 'index.html');

function directives(policy: string): Map<string, string> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values.join(' ')]));
}

describe('content security policy', () => {
  it('forbids plugins, <base>, form posts and framing, and runs only the app\'s own scripts', () => {
    const policy = directives(CONTENT_SECURITY_POLICY);
    expect(policy.get('object-src')).toBe("'none'");
    expect(policy.get('base-uri')).toBe("'none'");
    expect(policy.get('form-action')).toBe("'none'");
    expect(policy.get('frame-ancestors')).toBe("'none'");
    expect(policy.get('script-src')).toBe("'self'");
  });

  it('is the same in renderer/index.html\'s meta tag, less frame-ancestors which a meta tag cannot set', () => {
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(readFileSync(INDEX_HTML, 'utf8'));
    expect(meta?.[1]).toBe(META_CONTENT_SECURITY_POLICY);
    const inPage = directives(META_CONTENT_SECURITY_POLICY);
    expect(inPage.has('frame-ancestors')).toBe(false);
    expect(inPage.get('object-src')).toBe("'none'");
    expect(inPage.get('base-uri')).toBe("'none'");
  });
});
