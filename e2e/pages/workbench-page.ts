// The investigation screen: timeline lanes, the events table and its filters, the side panels,
// annotations and the report export.
import { readFile } from 'node:fs/promises';
import { type Locator, type Page, expect } from '@playwright/test';

export class WorkbenchPage {
  readonly timeline: Locator;
  readonly table: Locator;
  readonly surrounding: Locator;
  readonly guidance: Locator;

  constructor(private readonly page: Page) {
    this.timeline = page.getByTestId('timeline');
    this.table = page.getByTestId('events-table');
    this.surrounding = page.getByTestId('surrounding-panel');
    this.guidance = page.getByTestId('guidance-panel');
  }

  lanes(group?: 'api' | 'source'): Locator {
    const lanes = this.page.getByTestId('lane');
    return group ? lanes.and(this.page.locator(`[data-lane-group="${group}"]`)) : lanes;
  }

  async laneKinds(): Promise<string[]> {
    const kinds: string[] = [];
    for (const lane of await this.page.getByTestId('lane').all()) kinds.push((await lane.getAttribute('data-lane-kind')) ?? '');
    return kinds;
  }

  async filterByOp(op: string): Promise<void> {
    await this.table.getByTestId('filter-op').fill(op);
    // Every visible row has that op once the filtered listing has arrived.
    await expect(this.rows().first()).toBeVisible();
    await expect(async () => {
      // Read every row's op in one evaluation: the table may re-render between listing the rows
      // and reading one of them, and a row read one by one could then wait for ever.
      const ops = await this.rows().evaluateAll((rows) => rows.map((row) => row.getAttribute('data-op') ?? ''));
      expect(ops.length).toBeGreaterThan(0);
      expect(new Set(ops)).toEqual(new Set([op]));
    }).toPass();
  }

  rows(): Locator {
    return this.table.getByTestId('event-row');
  }

  /** Clicks a row and waits until the detail panel shows that event; returns its id. */
  async selectRow(index: number): Promise<number> {
    const row = this.rows().nth(index);
    const id = Number(await row.getAttribute('data-event-id'));
    await row.click();
    await expect(row).toHaveAttribute('aria-selected', 'true');
    await expect(this.page.getByTestId('event-detail')).toHaveAttribute('data-event-id', String(id));
    return id;
  }

  async annotateSelected(tag: string, note: string): Promise<void> {
    await this.page.getByTestId('annotate-button').click();
    const editor = this.page.getByTestId('annotation-editor');
    await expect(editor).toBeVisible();
    await editor.getByTestId('annotation-tag').fill(tag);
    await editor.getByTestId('annotation-note').fill(note);
    await editor.getByTestId('annotation-save').click();
    await expect(editor).toBeHidden();
  }

  async showAnnotations(): Promise<Locator> {
    await this.page.getByTestId('tab-annotations').click();
    const list = this.page.getByTestId('annotation-list');
    await expect(list).toBeVisible();
    return list;
  }

  async showCaptures(): Promise<Locator> {
    await this.page.getByTestId('tab-captures').click();
    const list = this.page.getByTestId('captures-list');
    await expect(list).toBeVisible();
    return list;
  }

  /** Exports the HTML report through the browser download and returns its text. */
  async exportReport(): Promise<{ fileName: string; html: string }> {
    const downloading = this.page.waitForEvent('download');
    await this.page.getByTestId('export-report').click();
    const download = await downloading;
    const path = await download.path();
    return { fileName: download.suggestedFilename(), html: await readFile(path, 'utf8') };
  }
}
