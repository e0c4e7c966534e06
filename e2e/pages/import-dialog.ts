// The import dialog: set files on the file input, answer the date question, start, and wait
// until every file's job has finished.
import { type Locator, type Page, expect } from '@playwright/test';

export interface ImportedFile {
  name: string;
  state: string;
  events: number;
  rejected: number;
}

export class ImportDialog {
  readonly root: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByTestId('import-dialog');
  }

  async openFromHeader(): Promise<void> {
    await this.page.getByTestId('import-button').click();
    await expect(this.root).toBeVisible();
  }

  item(fileName: string): Locator {
    return this.root.locator(`[data-testid="import-item"][data-file-name="${fileName}"]`);
  }

  async chooseFiles(paths: string[]): Promise<void> {
    await this.root.getByTestId('import-input').setInputFiles(paths);
    await expect(this.root.getByTestId('import-item')).toHaveCount(paths.length);
    // Detection has answered when no item is still waiting for its probe.
    await expect(this.root.getByText('detecting the format…')).toHaveCount(0, { timeout: 30_000 });
  }

  /** Types the capture date for every file whose format has times of day only. */
  async answerDates(date: string): Promise<void> {
    for (const input of await this.root.getByTestId('import-date').all()) await input.fill(date);
  }

  async formatOf(fileName: string): Promise<string> {
    return this.item(fileName).getByTestId('import-format').inputValue();
  }

  async start(): Promise<void> {
    await this.root.getByTestId('import-start').click();
  }

  async waitUntilFinished(fileNames: string[], timeoutMs = 120_000): Promise<ImportedFile[]> {
    const results: ImportedFile[] = [];
    for (const name of fileNames) {
      const result = this.item(name).getByTestId('import-result');
      await expect(result).toBeVisible({ timeout: timeoutMs });
      results.push({
        name,
        state: (await this.item(name).getByTestId('import-progress').getAttribute('data-state')) ?? '',
        events: Number(await result.getAttribute('data-events')),
        rejected: Number(await result.getAttribute('data-rejected')),
      });
    }
    return results;
  }

  async close(): Promise<void> {
    await this.root.getByTestId('import-close').click();
    await expect(this.root).toBeHidden();
  }
}
