// The events table's count and exports, and the Stack tab beside it, as an analyst uses them.
import { readFile } from 'node:fs/promises';
import { type Locator, type Page, expect } from '@playwright/test';

export class StackPanel {
  readonly panel: Locator;
  readonly count: Locator;

  constructor(private readonly page: Page) {
    this.panel = page.getByTestId('stack-panel');
    this.count = page.getByTestId('event-count');
  }

  /** The table header's "N of M events", as numbers. */
  async shownCount(): Promise<{ shown: number; total: number }> {
    const text = (await this.count.textContent()) ?? '';
    const match = /^([\d.,\s\u00a0\u202f]+) of ([\d.,\s\u00a0\u202f]+) events$/.exec(text.trim());
    if (!match) throw new Error(`not "N of M events": ${JSON.stringify(text)}`);
    const number = (s: string | undefined): number => Number((s ?? '').replace(/\D/g, ''));
    return { shown: number(match[1]), total: number(match[2]) };
  }

  async expectCount(shown: number, total: number): Promise<void> {
    await expect(async () => expect(await this.shownCount()).toEqual({ shown, total })).toPass();
  }

  async open(field: string): Promise<void> {
    await this.page.getByTestId('tab-stack').click();
    await expect(this.panel).toBeVisible();
    await this.panel.getByTestId('stack-field').selectOption(field);
    await expect(this.rows().first()).toBeVisible();
  }

  rows(): Locator {
    return this.panel.getByTestId('stack-row');
  }

  /** Every listed value with its count, in the panel's order. */
  async values(): Promise<Array<{ value: string; count: number }>> {
    return this.rows().evaluateAll((rows) => rows.map((r) => ({ value: r.getAttribute('data-value') ?? '', count: Number(r.getAttribute('data-count')) })));
  }

  async pick(value: string): Promise<void> {
    await this.rows().and(this.page.locator(`[data-value="${value}"]`)).getByRole('button').click();
    await expect(this.page.getByTestId('events-table')).toBeVisible();
  }

  /** Clicks an export button of the table and returns the downloaded file's name and text. */
  async exportTable(format: 'csv' | 'jsonl'): Promise<{ fileName: string; text: string }> {
    const downloading = this.page.waitForEvent('download');
    await this.page.getByTestId(`export-${format}`).click();
    const download = await downloading;
    return { fileName: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
  }
}
