import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_PAGE, resolveAppRequest } from './app-protocol.ts';

const DIST = resolve('/opt/tracebench/renderer/dist');

describe('app:// scheme', () => {
  it('serves the page and its assets from the renderer folder', () => {
    expect(resolveAppRequest(APP_PAGE, DIST)).toEqual({ path: join(DIST, 'index.html'), mime: 'text/html; charset=utf-8' });
    expect(resolveAppRequest('app://tracebench/', DIST)?.path).toBe(join(DIST, 'index.html'));
    expect(resolveAppRequest('app://tracebench/assets/index-abc.js?x=1#y', DIST)).toEqual({
      path: join(DIST, 'assets', 'index-abc.js'),
      mime: 'text/javascript; charset=utf-8',
    });
  });

  it('refuses anything outside the folder, other hosts and schemes, and unknown types', () => {
    for (const url of [
      'app://tracebench/../../etc/passwd',
      'app://tracebench/assets/..%2f..%2f..%2fsecret.js',
      'app://tracebench/a%5c..%5c..%5cx.js',
      'app://tracebench/index.html%00.js',
      'app://tracebench/%E0%A4%A',
      'app://other/index.html',
      'file:///opt/tracebench/renderer/dist/index.html',
      'https://tracebench/index.html',
      'app://tracebench/case.duckdb',
      'not a url',
    ]) {
      expect(resolveAppRequest(url, DIST), url).toBeNull();
    }
  });

  it('keeps dot segments the URL parser resolves inside the folder', () => {
    // The URL standard folds encoded dot segments before we see the path: still under DIST.
    expect(resolveAppRequest('app://tracebench/%2e%2e/%2e%2e/etc/passwd.html', DIST)?.path).toBe(join(DIST, 'etc', 'passwd.html'));
  });
});
