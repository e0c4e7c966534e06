// The start screen, as an analyst uses it: create a case, open one, or open the sample.
import { type Page, expect } from '@playwright/test';

export class StartPage {
  constructor(private readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.page.getByTestId('start-screen')).toBeVisible();
  }

  async createCase(name: string): Promise<void> {
    await this.page.getByTestId('new-case-name').fill(name);
    await this.page.getByTestId('new-case').click();
    await expect(this.page.getByTestId('workbench')).toBeVisible();
    await expect(this.page.getByTestId('case-name')).toContainText(name);
  }

  async openSample(): Promise<void> {
    await this.page.getByTestId('open-sample').click();
    await expect(this.page.getByTestId('workbench')).toBeVisible({ timeout: 120_000 });
  }
}
