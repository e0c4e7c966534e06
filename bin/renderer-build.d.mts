// Types of bin/renderer-build.mjs for TypeScript callers (bench/ui.ts, cli/commands/serve.ts, electron/main.ts).
export function ensureRendererBuilt(root: string, say?: (line: string) => void): boolean;
