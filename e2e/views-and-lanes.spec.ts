// The analyst's view on the sample case (samples/demo): filters, zoom, selection and the open
// panel survive a reload (they are in the address); a named view is saved, renamed, opened and
// deleted; an annotation gets two tags as chips and the table is filtered by one of them; lanes
// are hidden, reordered, collapsed and made compact; the legend shows; the splitter resizes the
// timeline; a tooltip near the window's right edge stays inside the window.
import type { Page } from '@playwright/test';
import type { EventPage } from '../core/api.ts';
import { laneIdOf } from '../core/timeline/lane-id.ts';
import { StartPage } from './pages/start-page.ts';
import { WorkbenchPage } from './pages/workbench-page.ts';
import { expect, test } from './fixtures/tracebench.ts';

/** Waits until the address holds the view state (written a moment after each change). */
async function addressSettled(page: Page, check: (view: Record<string, unknown>) => boolean): Promise<void> {
  await expect
    .poll(async () => {
      const hash = new URL(page.url()).hash;
      const view = new URLSearchParams(hash.slice(1)).get('view');
      return view !== null && check(JSON.parse(view) as Record<string, unknown>);
    })
    .toBe(true);
}

/** Puts `fragment` in the address (no navigation happens for a fragment alone) and reloads, as opening a shared link would. */
async function openAddress(page: Page, fragment: string): Promise<void> {
  const url = new URL(page.url());
  url.hash = fragment;
  await page.goto(url.toString());
  await page.reload();
}

async function laneIds(page: Page): Promise<string[]> {
  return page.getByTestId('lane').evaluateAll((lanes) => lanes.map((l) => l.getAttribute('data-lane-id') ?? ''));
}

test('views: reload restores the view, named views are saved and opened, tags filter the table', async ({ page, tracebench }) => {
  test.setTimeout(300_000);
  const start = new StartPage(page);
  const workbench = new WorkbenchPage(page);
  await start.openSampleAt(tracebench.url);
  await expect(workbench.lanes('api').first()).toBeVisible();
  const status = page.getByTestId('timeline-status');
  const detail = page.getByTestId('event-detail');

  let selected = 0;
  let zoomedStatus = '';
  await test.step('filter, zoom and select, then reload: the same view comes back', async () => {
    await workbench.filterByOp('execve');
    const before = await status.textContent();
    const canvas = page.getByTestId('timeline-canvas');
    const box = await canvas.boundingBox();
    if (!box) throw new Error('the timeline canvas has no box');
    await page.mouse.move(box.x + box.width / 2, box.y + 10);
    await page.mouse.wheel(0, -600);
    await expect(status).not.toHaveText(before ?? '');
    selected = await workbench.selectRow(0);
    await page.getByTestId('tab-annotations').click();
    await addressSettled(page, (v) => v['selected'] === selected && v['zoom'] !== undefined && String(JSON.stringify(v['panels'])).includes('annotations'));
    // The view's start and span (what follows may say "updating…" while data is in flight).
    zoomedStatus = ((await status.textContent()) ?? '').split(' · ')[0] ?? '';
    expect(zoomedStatus).toMatch(/span/);
    expect(page.url()).not.toContain('token=');

    await page.reload();
    await expect(page.getByTestId('workbench')).toBeVisible();
    await expect(page.getByTestId('filter-op')).toHaveValue('execve');
    await expect(status).toContainText(zoomedStatus);
    await expect(detail).toHaveAttribute('data-event-id', String(selected));
    await expect(page.getByTestId('annotation-list')).toBeVisible();
    await expect(page.getByTestId('tab-annotations')).toHaveAttribute('aria-selected', 'true');
  });

  await test.step('a bad address falls back to the defaults without breaking the workbench', async () => {
    await openAddress(page, 'view=%7B%22zoom%22%3A%22nonsense%22%2C%22lanes%22%3A%7B%22density%22%3A42%7D%7D');
    await expect(page.getByTestId('workbench')).toBeVisible();
    await expect(page.getByTestId('timeline')).toHaveAttribute('data-density', 'normal');
    await expect(page.getByTestId('error-bar')).toHaveCount(0);
    await workbench.filterByOp('execve');
    await workbench.selectRow(0);
  });

  await test.step('save a named view, rename it, open it after changing the view, delete it', async () => {
    page.on('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('tab-views').click();
    const panel = page.getByTestId('saved-views-panel');
    await panel.getByTestId('saved-view-name').fill('intruder execs');
    await panel.getByTestId('saved-view-save').click();
    const item = panel.getByTestId('saved-view');
    await expect(item).toHaveCount(1);
    await expect(item).toHaveAttribute('data-name', 'intruder execs');
    await expect(item.getByTestId('saved-view-link')).toHaveText(/^#saved=\d+$/);

    await item.getByTestId('saved-view-rename').click();
    await item.getByTestId('saved-view-rename-input').fill('shell from the HMI');
    await item.getByTestId('saved-view-rename-save').click();
    await expect(item).toHaveAttribute('data-name', 'shell from the HMI');

    await page.getByTestId('filter-op').fill('openat');
    await expect(page.getByTestId('filter-op')).toHaveValue('openat');
    await item.getByTestId('saved-view-open').click();
    await expect(page.getByTestId('filter-op')).toHaveValue('execve');
    await expect(workbench.rows().first()).toHaveAttribute('data-op', 'execve');

    await item.getByTestId('saved-view-delete').click();
    await expect(panel.getByTestId('saved-view')).toHaveCount(0);
  });

  await test.step('annotate with two tags as chips (one typed, one suggested), then filter the table by one tag', async () => {
    const id = await workbench.selectRow(1);
    await page.getByTestId('annotate-button').click();
    const editor = page.getByTestId('annotation-editor');
    await editor.getByTestId('annotation-tag').fill('initial-access');
    await editor.getByTestId('annotation-tag').press('Enter');
    await editor.getByTestId('annotation-tag').fill('mal');
    await editor.getByTestId('annotation-suggestion').and(page.locator('[data-tag="malicious"]')).click();
    await expect(editor.getByTestId('annotation-chip')).toHaveCount(2);
    await expect(editor.getByTestId('annotation-author')).not.toHaveValue('');
    await editor.getByTestId('annotation-author').fill('e2e analyst');
    await editor.getByTestId('annotation-save').click();
    await expect(editor).toBeHidden();

    const list = await workbench.showAnnotations();
    const item = list.getByTestId('annotation-item').and(page.locator(`[data-tags="initial-access|malicious"]`));
    await expect(item).toHaveCount(1);
    await expect(item).toContainText('e2e analyst');
    const total = Number(await workbench.table.getAttribute('data-total'));
    expect(total).toBeGreaterThan(1);
    await item.getByTestId('annotation-tag-filter').and(page.locator('[data-tag="malicious"]')).click();
    await expect(page.getByTestId('tag-filter-chip')).toHaveAttribute('data-tag', 'malicious');
    await expect(workbench.table).toHaveAttribute('data-total', '1');
    await expect(workbench.rows()).toHaveCount(1);
    await expect(workbench.rows().first()).toHaveAttribute('data-event-id', String(id));
    await page.getByTestId('tag-filter-clear').click();
    await expect(workbench.table).toHaveAttribute('data-total', String(total));
  });
});

test('lanes: hide, reorder, collapse, density, legend, splitter, and a tooltip inside the window', async ({ page, tracebench }) => {
  test.setTimeout(300_000);
  const start = new StartPage(page);
  const workbench = new WorkbenchPage(page);
  await start.openSampleAt(tracebench.url);
  await expect(workbench.lanes('api').first()).toBeVisible();
  const timeline = page.getByTestId('timeline');

  await test.step('hide a lane and reorder two lanes from the lanes menu', async () => {
    const before = await laneIds(page);
    await page.getByTestId('lanes-menu-button').click();
    const menu = page.getByTestId('lanes-menu');
    const apiLanes = before.filter((id) => id.startsWith('api:'));
    const [first, second] = apiLanes;
    if (!first || !second) throw new Error('the sample case has at least two API lanes');
    await menu.locator(`[data-testid="lanes-menu-lane"][data-lane-id="${first}"]`).getByTestId('lane-down').click();
    await expect.poll(async () => (await laneIds(page)).filter((id) => id.startsWith('api:')).slice(0, 2)).toEqual([second, first]);
    await menu.locator(`[data-testid="lanes-menu-lane"][data-lane-id="${second}"]`).getByTestId('lane-visible').uncheck();
    await expect.poll(() => laneIds(page)).not.toContain(second);
    expect((await laneIds(page)).length).toBe(before.length - 1);
    await expect(page.getByTestId('lanes-menu-button')).toContainText('1 hidden');
    await menu.getByTestId('lanes-menu-close').click();
  });

  await test.step('collapse a lane group and expand it again', async () => {
    const collapse = page.getByTestId('lane-group-collapse').and(page.locator('[data-group="sources"]'));
    const sources = (await laneIds(page)).filter((id) => id.startsWith('src:')).length;
    expect(sources).toBeGreaterThan(0);
    await collapse.click();
    const chip = page.getByTestId('lane-group-collapsed').and(page.locator('[data-group="sources"]'));
    await expect(chip).toContainText(`(${sources})`);
    await expect(workbench.lanes('source')).toHaveCount(0);
    await chip.click();
    await expect(workbench.lanes('source')).toHaveCount(sources);
  });

  await test.step('in process-tree order, fold the processes a lane started and show them again', async () => {
    await page.getByTestId('lanes-by-tree').check();
    const toggle = page.getByTestId('lane-subtree-toggle').first();
    await expect(toggle).toBeVisible();
    const before = (await laneIds(page)).length;
    await toggle.click();
    await expect.poll(async () => (await laneIds(page)).length).toBeLessThan(before);
    await toggle.click();
    await expect.poll(async () => (await laneIds(page)).length).toBe(before);
    await page.getByTestId('lanes-by-tree').uncheck();
  });

  await test.step('compact density makes lanes shorter; the legend lists categories and marks', async () => {
    const lane = workbench.lanes('api').first();
    const normal = (await lane.boundingBox())?.height ?? 0;
    await page.getByTestId('lanes-menu-button').click();
    await page.getByTestId('lane-density').selectOption('compact');
    await expect(timeline).toHaveAttribute('data-density', 'compact');
    await expect.poll(async () => (await lane.boundingBox())?.height ?? 0).toBeLessThan(normal);
    await page.getByTestId('lanes-menu-close').click();
    await page.getByTestId('legend-button').click();
    const legend = page.getByTestId('timeline-legend');
    await expect(legend).toBeVisible();
    expect(await legend.getByTestId('legend-category').count()).toBeGreaterThan(5);
    await expect(legend.getByTestId('legend-mark')).toHaveCount(4);
    await page.getByTestId('legend-button').click();
    await expect(legend).toBeHidden();
  });

  await test.step('drag the splitter: the timeline grows and keeps its height after a reload', async () => {
    const before = (await timeline.boundingBox())?.height ?? 0;
    const splitter = page.getByTestId('timeline-splitter');
    const box = await splitter.boundingBox();
    if (!box) throw new Error('no splitter');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + 150, { steps: 5 });
    await page.mouse.up();
    const after = (await timeline.boundingBox())?.height ?? 0;
    expect(after).toBeGreaterThan(before + 100);
    await addressSettled(page, (v) => String(JSON.stringify(v['lanes'])).includes('timelineHeight'));
    await page.reload();
    await expect(timeline).toHaveAttribute('data-density', 'compact');
    await expect.poll(async () => Math.round((await timeline.boundingBox())?.height ?? 0)).toBe(Math.round(after));
  });

  await test.step('a tooltip for an event near the right edge stays inside the window', async () => {
    // An API event of the case, placed by the address at 97% of the timeline's width.
    const page1 = await tracebench.call<EventPage>('eventPage', { filter: { kinds: ['api'] }, offset: 40, limit: 1 });
    const event = page1.rows[0];
    if (!event) throw new Error('the sample case has API events');
    const span = 20_000;
    const view = { v: 1, zoom: { from_us: event.ts_us - Math.round(span * 0.97), to_us: event.ts_us + Math.round(span * 0.03) } };
    await openAddress(page, `view=${encodeURIComponent(JSON.stringify(view))}`);
    await expect(timeline).toHaveAttribute('data-mode', 'events');
    const lane = page.locator(`[data-testid="lane"][data-lane-id="${laneIdOf(event)}"]`);
    await lane.scrollIntoViewIfNeeded();
    const laneBox = await lane.boundingBox();
    const canvasBox = await page.getByTestId('timeline-canvas').boundingBox();
    if (!laneBox || !canvasBox) throw new Error('no lane or canvas box');
    const tooltip = page.getByTestId('timeline-tooltip');
    // The lane's events arrive once it is scrolled into view: hover again until they are drawn.
    await expect(async () => {
      await page.mouse.move(canvasBox.x + canvasBox.width * 0.97 - 1, laneBox.y + laneBox.height / 2);
      await page.mouse.move(canvasBox.x + canvasBox.width * 0.97, laneBox.y + laneBox.height / 2);
      await expect(tooltip).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    await expect(tooltip).toContainText(event.op);
    const viewport = page.viewportSize();
    const tip = await tooltip.boundingBox();
    if (!tip || !viewport) throw new Error('no tooltip box');
    expect(tip.x).toBeGreaterThanOrEqual(0);
    expect(tip.x + tip.width).toBeLessThanOrEqual(viewport.width);
    expect(tip.y + tip.height).toBeLessThanOrEqual(viewport.height);
  });
});
