// Types of bin/renderer-build.mjs for TypeScript callers (bench/ui.ts).
export function ensureRendererBuilt(root: string, say?: (line: string) => void): boolean;
