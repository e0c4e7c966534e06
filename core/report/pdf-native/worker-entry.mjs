// Entry of the PDF writer's worker thread (in-worker.ts). Module hooks given to a worker through
// execArgv do not reach its entry on Node 20, so the entry registers tsx itself (as
// bin/tracebench.js and the parse worker's entry do), then loads the writer.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
