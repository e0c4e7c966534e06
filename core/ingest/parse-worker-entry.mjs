// Entry of the parse worker thread. The worker's code is TypeScript; module hooks given to a
// worker through execArgv do not reach its entry on Node 20, so the entry registers tsx itself
// (as bin/tracebench.js does) and then loads the worker.
import { register } from 'tsx/esm/api';

register();
await import('./parse-worker.ts');
