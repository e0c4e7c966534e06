// Case report entry point: gathers the data once and lays it out in the requested format.
import type { ReportFile, ReportRequest } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import { gatherReport } from './gather.ts';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';

export async function buildReport(store: CaseStore, request: ReportRequest): Promise<ReportFile> {
  const data = await gatherReport(store);
  const stem = `${data.case.name}-report`;
  switch (request.format) {
    case 'html':
      return { file_name: `${stem}.html`, mime: 'text/html', content: renderHtml(data) };
    case 'md':
      return { file_name: `${stem}.md`, mime: 'text/markdown', content: renderMarkdown(data) };
    case 'json':
      return { file_name: `${stem}.json`, mime: 'application/json', content: `${JSON.stringify(data, null, 2)}\n` };
  }
}
