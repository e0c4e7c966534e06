// The start screen, as an analyst uses it: create a case, open one from the workspace list, or
// open the sample.
import { type Page, expect } from '@playwright/test';

export class StartPage {
  constructor(private readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.page.getByTestId('start-screen')).toBeVisible();
  }

  /** Opens the start screen at `url`, then the shipped sample case. */
  async openSampleAt(url: string): Promise<void> {
    await this.open(url);
    await this.openSample();
  }

  async createCase(name: string): Promise<void> {
    await this.page.getByTestId('new-case-name').fill(name);
    await this.page.getByTestId('new-case').click();
    await expect(this.page.getByTestId('workbench')).toBeVisible();
    await expect(this.page.getByTestId('case-name')).toContainText(name);
  }

  /** The names of the cases the start screen lists from the workspace folder. */
  async listedCases(): Promise<string[]> {
    await expect(this.page.getByTestId('workspace-cases')).toBeVisible();
    return this.page.getByTestId('workspace-case').allInnerTexts();
  }

  async openListedCase(name: string): Promise<void> {
    await this.page.getByTestId('workspace-case').filter({ hasText: name }).click();
    await expect(this.page.getByTestId('workbench')).toBeVisible();
    await expect(this.page.getByTestId('case-name')).toContainText(name);
  }

  async openSample(): Promise<void> {
    await this.page.getByTestId('open-sample').click();
    await expect(this.page.getByTestId('workbench')).toBeVisible({ timeout: 120_000 });
  }
}
