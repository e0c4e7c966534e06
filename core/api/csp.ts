// The Content-Security-Policy both shells send with the renderer (browser shell headers,
// Electron session headers): no inline script, nothing loaded from anywhere but the app itself.
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'";
