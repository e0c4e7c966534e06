// Collection governance entered in its tab is stored in the case and shows in the report; the
// report exports from the UI in the format chosen (Markdown with its figure beside it, JSON).
import { readFile } from 'node:fs/promises';
import { StartPage } from './pages/start-page.ts';
import { expect, test } from './fixtures/tracebench.ts';

test('governance is saved from its tab and the report exports as Markdown and JSON from the UI', async ({ page, tracebench }) => {
  const start = new StartPage(page);
  await start.openSampleAt(tracebench.url);

  await page.getByTestId('tab-governance').click();
  const panel = page.getByTestId('governance-panel');
  await expect(panel).toBeVisible();
  await panel.getByTestId('governance-add-device').click();
  await panel.getByTestId('governance-host').last().fill('demo-hmi');
  await panel.getByTestId('governance-trigger').fill('alarm SETPOINT MISMATCH at 06:16');
  await panel.getByTestId('governance-custody').fill('copied from the HMI by the on-call engineer');
  await panel.getByTestId('governance-save').click();
  await expect
    .poll(async () => {
      const g = await tracebench.call<{ trigger: string | null; devices: Array<{ host: string }>; custody: Array<{ note: string }> }>('governance');
      return [g.trigger, g.devices.map((d) => d.host), g.custody.map((c) => c.note)];
    })
    .toEqual(['alarm SETPOINT MISMATCH at 06:16', ['demo-hmi'], ['copied from the HMI by the on-call engineer']]);

  // Markdown: the report and its timeline figure are both saved.
  await page.getByTestId('report-format').selectOption('md');
  const files: Array<{ name: string; text: string }> = [];
  page.on('download', (d) => {
    void d.path().then(async (p) => files.push({ name: d.suggestedFilename(), text: await readFile(p, 'utf8') }));
  });
  await page.getByTestId('export-report').click();
  await expect.poll(() => files.map((f) => f.name).sort()).toEqual(['sample-report-timeline.svg', 'sample-report.md']);
  const md = files.find((f) => f.name.endsWith('.md'))?.text ?? '';
  expect(md).toMatch(/^# /m);
  expect(md).toContain('alarm SETPOINT MISMATCH at 06:16');
  expect(md.indexOf('Executive summary')).toBeGreaterThanOrEqual(0);
  expect(files.find((f) => f.name.endsWith('.svg'))?.text).toMatch(/^<svg|<\?xml/);

  // JSON: the same facts, machine-readable.
  files.length = 0;
  await page.getByTestId('report-format').selectOption('json');
  await page.getByTestId('export-report').click();
  await expect.poll(() => files.map((f) => f.name)).toEqual(['sample-report.json']);
  const json = JSON.parse(files[0]?.text ?? '{}') as { governance?: { trigger?: string }; summary?: unknown };
  expect(json.summary).toBeDefined();
  expect(JSON.stringify(json)).toContain('alarm SETPOINT MISMATCH at 06:16');
});
