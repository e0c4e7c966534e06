// Entry of the parse worker thread when it runs from TypeScript sources (no bundle, see
// worker-bundle.ts). Module hooks given to a worker through execArgv do not reach its entry on
// Node 20, so the entry registers tsx itself (as bin/tracebench.js does), then loads the worker
// and only the importer module the request names.
import { register } from 'tsx/esm/api';

register();
const { runParseWorker } = await import('./parse-worker.ts');
const { loadImporter } = await import('../importers/load-importer.ts');
runParseWorker((request) => loadImporter(request.module, request.format));
