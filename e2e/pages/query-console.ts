// The query console tab: type a SELECT, run it, read the grid or the inline refusal.
import { type Locator, type Page, expect } from '@playwright/test';

export class QueryConsole {
  readonly panel: Locator;
  readonly error: Locator;
  readonly rows: Locator;

  constructor(private readonly page: Page) {
    this.panel = page.getByTestId('query-panel');
    this.error = page.getByTestId('query-error');
    this.rows = page.getByTestId('query-row');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('tab-query').click();
    await expect(this.panel).toBeVisible();
  }

  /** Runs `sql` and waits until the console has answered (rows or an error). */
  async run(sql: string): Promise<void> {
    await this.page.getByTestId('query-sql').fill(sql);
    await this.page.getByTestId('query-run').click();
    await expect(this.page.getByTestId('query-run')).toHaveText('Run');
    await expect(this.page.getByTestId('query-status').or(this.error)).toBeVisible();
  }

  async columns(): Promise<string[]> {
    return this.page.getByTestId('query-column').allInnerTexts();
  }

  async cells(row: number): Promise<string[]> {
    return this.rows.nth(row).getByRole('cell').allInnerTexts();
  }
}
