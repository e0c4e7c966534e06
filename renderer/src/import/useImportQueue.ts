// Runs the dialog's items one after another: startImport, then importStatus every ~200 ms until
// the job ends. Polling uses timers, so the UI stays responsive however large the file is.
import { useCallback, useRef, useState } from 'react';
import type { ImportJob, WorkbenchApi } from '../../../core/api.ts';
import { messageOf } from '../state/workbench.tsx';
import { type ImportItem, blockingReason, importRequest, newItem, withProbe } from './importItem.ts';
import type { StagedFile } from '../api/shell.ts';

const POLL_MS = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface ImportQueue {
  items: ImportItem[];
  running: boolean;
  addStaged(files: StagedFile[]): Promise<void>;
  update(index: number, change: Partial<ImportItem>): void;
  runAll(): Promise<void>;
  cancel(index: number): Promise<void>;
}

export function useImportQueue(api: WorkbenchApi, onImported: () => void): ImportQueue {
  const [items, setItems] = useState<ImportItem[]>([]);
  const [running, setRunning] = useState(false);
  const itemsRef = useRef(items);
  itemsRef.current = items;

  const update = useCallback((index: number, change: Partial<ImportItem>) => {
    setItems((list) => list.map((item, i) => (i === index ? { ...item, ...change } : item)));
  }, []);

  const addStaged = useCallback(
    async (files: StagedFile[]) => {
      const offset = itemsRef.current.length;
      setItems((list) => [...list, ...files.map(newItem)]);
      await Promise.all(
        files.map(async (file, i) => {
          try {
            const probe = await api.probeFormat({ file_id: file.file_id, display_name: file.display_name });
            setItems((list) => list.map((item, j) => (j === offset + i ? withProbe(item, probe) : item)));
          } catch (error) {
            update(offset + i, { probeError: messageOf(error) });
          }
        }),
      );
    },
    [api, update],
  );

  const runOne = useCallback(
    async (index: number, item: ImportItem) => {
      let job: ImportJob;
      try {
        job = await api.startImport(importRequest(item));
      } catch (error) {
        update(index, { startError: messageOf(error) });
        return;
      }
      update(index, { job });
      while (job.state === 'running') {
        await sleep(POLL_MS);
        try {
          job = await api.importStatus({ job_id: job.job_id });
        } catch (error) {
          update(index, { startError: messageOf(error) });
          return;
        }
        update(index, { job });
      }
      if (job.state === 'done') onImported();
    },
    [api, update, onImported],
  );

  const runAll = useCallback(async () => {
    setRunning(true);
    try {
      const snapshot = itemsRef.current;
      for (let index = 0; index < snapshot.length; index++) {
        const item = snapshot[index];
        if (item && !item.job && !item.startError && blockingReason(item) === null) await runOne(index, item);
      }
    } finally {
      setRunning(false);
    }
  }, [runOne]);

  const cancel = useCallback(
    async (index: number) => {
      const job = itemsRef.current[index]?.job;
      if (!job || job.state !== 'running') return;
      try {
        update(index, { job: await api.cancelImport({ job_id: job.job_id }) });
      } catch (error) {
        update(index, { startError: messageOf(error) });
      }
    },
    [api, update],
  );

  return { items, running, addStaged, update, runAll, cancel };
}
