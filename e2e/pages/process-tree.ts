// The processes tab: the tree, choosing a process, and the table's process chip.
import type { Locator, Page } from '@playwright/test';

export class ProcessTreePanel {
  constructor(private readonly page: Page) {}

  async show(): Promise<Locator> {
    await this.page.getByTestId('tab-processes').click();
    return this.page.getByTestId('process-tree');
  }

  /** The row of the first process whose name or command line contains `text`. */
  row(text: string | RegExp): Locator {
    return this.page.getByTestId('process-row').filter({ has: this.page.getByTestId('process-name').filter({ hasText: text }) }).first();
  }

  async choose(text: string | RegExp): Promise<void> {
    await this.row(text).getByTestId('process-name').click();
  }

  async expand(text: string | RegExp): Promise<void> {
    const row = this.row(text);
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.getByTestId('process-twisty').click();
  }
}
