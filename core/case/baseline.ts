// Marks a capture as a baseline ("known good" behaviour) or clears the mark. Findings compare
// suspect captures against baselines; the flag itself changes no event. Audited.
import type { CaptureInfo } from '../api.ts';
import type { CaseStore } from '../store/case-store.ts';
import { sql } from '../store/sql.ts';
import { getCapture } from './case-info.ts';

export async function setBaseline(store: CaseStore, captureId: number, baseline: boolean): Promise<CaptureInfo> {
  const before = await getCapture(store, captureId);
  if (before.is_baseline !== baseline) {
    await store.transaction(async () => {
      await store.exec(sql`UPDATE captures SET is_baseline = ${baseline} WHERE capture_id = ${captureId}`);
      await store.audit('baseline', { capture_id: captureId, file_name: before.file_name, baseline });
    });
  }
  return getCapture(store, captureId);
}
