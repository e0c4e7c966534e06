// Case report builder entry point. (Placeholder until the report lands.)
import type { ReportFile, ReportRequest } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';

export async function buildReport(store: CaseStore, request: ReportRequest): Promise<ReportFile> {
  throw new Error(`report format ${request.format} not available yet for ${store.path}`);
}
