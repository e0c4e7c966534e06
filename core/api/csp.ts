// The Content-Security-Policy both shells send with the renderer (browser shell headers,
// Electron session headers): no inline script, nothing loaded from anywhere but the app itself,
// no plugins (object-src), no <base> that would re-point relative URLs (base-uri; it does not
// fall back to default-src), no form posting anywhere, never framed.
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The same policy as renderer/index.html's meta tag carries it (the page's own copy, which also
 * covers Electron's file:// load): a meta tag cannot set frame-ancestors (browsers ignore it and
 * warn), so it is left out there; the header carries it. csp.test.ts keeps the two in step.
 */
export const META_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.split('; ')
  .filter((d) => !d.startsWith('frame-ancestors'))
  .join('; ');
