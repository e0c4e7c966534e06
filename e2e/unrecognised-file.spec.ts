// A file no importer recognises from its content: the import dialog says so, shows its first
// lines and lets the analyst pick a reader (closest formats, the generic readers, every other
// format); importing with the chosen reader puts its events in the case.
import { ImportDialog } from './pages/import-dialog.ts';
import { StartPage } from './pages/start-page.ts';
import { WorkbenchPage } from './pages/workbench-page.ts';
import { expect, test } from './fixtures/tracebench.ts';
import { fixture } from '../core/testing/corpus.ts';

// An application log that is mostly Java stack traces (core/importers/fixtures/logs/SOURCES.md).
const STACK_TRACES = fixture('logs/flowview-stacktraces.log');
const FILE_NAME = 'flowview-stacktraces.log';

test('an unrecognised log is imported with a reader the analyst picks after seeing its first lines', async ({ page, tracebench }) => {
  const start = new StartPage(page);
  const importer = new ImportDialog(page);
  const workbench = new WorkbenchPage(page);

  await test.step('create a new case', async () => {
    await start.open(tracebench.url);
    await start.createCase('unrecognised file');
  });

  const item = importer.item(FILE_NAME);
  await test.step('the dialog says no importer recognised the file, names the closest and shows its first lines', async () => {
    await importer.openFromHeader();
    await importer.chooseFiles([STACK_TRACES]);
    const picker = item.getByTestId('import-picker');
    await expect(picker).toBeVisible();
    await expect(picker.getByTestId('import-undetected')).toContainText('textlog (0.25)');
    await expect(picker.getByTestId('import-preview')).toContainText('ALARM [plc] HIGH LEVEL tank T-100');
    await expect(picker.getByTestId('import-preview')).toContainText('at flowview.plc.Poller.run');
    await expect(item).toHaveAttribute('data-state', 'blocked');
    await expect(importer.root.getByTestId('import-start')).toBeDisabled();
  });

  await test.step('the picker offers the closest format, the generic readers and the other formats', async () => {
    const select = item.getByTestId('import-format');
    const groupOptions = async (label: string): Promise<string[]> => {
      const values: string[] = [];
      for (const option of await select.locator(`optgroup[label="${label}"] option`).all()) values.push((await option.getAttribute('value')) ?? '');
      return values;
    };
    expect(await groupOptions('closest to this file')).toEqual(['textlog']);
    expect((await groupOptions('generic readers')).sort()).toEqual(['csv', 'jsonl']);
    expect(await groupOptions('other formats')).toContain('strace');
  });

  await test.step('pick the text-log reader and import', async () => {
    await item.getByTestId('import-format').selectOption('textlog');
    await expect(item).toHaveAttribute('data-state', 'ready');
    await importer.start();
    const [result] = await importer.waitUntilFinished([FILE_NAME]);
    expect(result?.state).toBe('done');
    // Three timed lines; the stack-trace lines are continuations of the line before them.
    expect(result?.events).toBe(3);
    expect(result?.rejected).toBe(0);
    await importer.close();
  });

  await test.step('the ALARM line is in the table as an alarm with its level', async () => {
    await workbench.table.getByTestId('filter-kind').selectOption('alarm');
    await expect(workbench.rows()).toHaveCount(1);
    await expect(workbench.rows().first()).toHaveAttribute('data-level', 'alarm');
  });
});
