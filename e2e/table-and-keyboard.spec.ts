// The events table's instruments on the sample case (issue #13 items 1, 3 and pins): the column
// chooser hides, shows, reorders and resizes columns and the layout survives a reload; a
// right-click on a cell filters to or excludes its value; and a keyboard-only walk — focus the
// table, j/k, Enter, `/` search, `n`, `p` pin, show pinned only, `?` — needs no mouse.
import type { Locator, Page } from '@playwright/test';
import type { EventPage, Pin } from '../core/api.ts';
import { StartPage } from './pages/start-page.ts';
import { WorkbenchPage } from './pages/workbench-page.ts';
import { expect, test } from './fixtures/tracebench.ts';

/** The visible header cells' column ids, in display order. */
async function headerOrder(table: Locator): Promise<string[]> {
  return table.locator('[role="columnheader"][data-column]').evaluateAll((cells) => cells.map((c) => c.getAttribute('data-column') ?? ''));
}

async function columnWidth(page: Page, id: string): Promise<number> {
  return (await page.getByTestId(`column-${id}`).boundingBox())?.width ?? 0;
}

/** The selected row's listing index, or -1. */
async function selectedIndex(table: Locator): Promise<number> {
  // One evaluation: the row may re-render between finding it and reading it.
  const indexes = await table
    .locator('[data-testid="event-row"][aria-selected="true"]')
    .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-index'))));
  return indexes[0] ?? -1;
}

test('the column chooser hides, shows, reorders and resizes columns, and the layout survives a reload', async ({ page, tracebench }) => {
  const start = new StartPage(page);
  const workbench = new WorkbenchPage(page);
  await start.openSampleAt(tracebench.url);
  const table = workbench.table;
  await expect(workbench.rows().first()).toBeVisible();

  await test.step('the default layout shows the informative columns without sideways scrolling', async () => {
    const order = await headerOrder(table);
    for (const id of ['ts_us', 'op', 'target', 'args']) expect(order).toContain(id);
    const grid = page.getByTestId('events-grid');
    const { client, scroll } = await grid.evaluate((el) => ({ client: el.clientWidth, scroll: el.scrollWidth }));
    expect(scroll).toBeLessThanOrEqual(client);
  });

  await test.step('hide a column, show a hidden one, move one with the chooser’s keyboard buttons', async () => {
    await table.getByTestId('columns-button').click();
    const chooser = page.getByTestId('column-chooser');
    await expect(chooser).toBeVisible();
    await chooser.getByTestId('column-toggle-op').uncheck();
    await expect(table.getByTestId('column-op')).toHaveCount(0);
    await chooser.getByTestId('column-toggle-pid').check();
    await expect(table.getByTestId('column-pid')).toBeVisible();
    const before = await headerOrder(table);
    const at = before.indexOf('target');
    expect(at).toBeGreaterThan(0);
    await chooser.getByTestId('column-up-target').focus();
    await page.keyboard.press('Enter');
    const after = await headerOrder(table);
    expect(after.indexOf('target')).toBe(at - 1);
    expect(after[at]).toBe(before[at - 1]);
    await chooser.getByTestId('columns-close').click();
    await expect(chooser).toHaveCount(0);
  });

  await test.step('drag a header onto another to reorder', async () => {
    const before = await headerOrder(table);
    const first = before[0] ?? '';
    const last = before[before.length - 1] ?? '';
    await page.getByTestId(`column-${last}`).dragTo(page.getByTestId(`column-${first}`), { targetPosition: { x: 4, y: 8 } });
    await expect.poll(() => headerOrder(table)).toEqual([last, ...before.filter((id) => id !== last)]);
  });

  let resized = 0;
  await test.step('drag a header edge to resize, double-click it to fit', async () => {
    const before = await columnWidth(page, 'ts_us');
    const handle = page.getByTestId('column-resize-ts_us');
    const box = await handle.boundingBox();
    if (!box) throw new Error('no resize handle');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => columnWidth(page, 'ts_us')).toBeGreaterThan(before + 40);
    resized = await columnWidth(page, 'ts_us');
    // Fit: as wide as its widest value on screen — narrower than the 60 px we added.
    await handle.dblclick();
    await expect.poll(() => columnWidth(page, 'ts_us')).toBeLessThan(resized - 20);
    resized = await columnWidth(page, 'ts_us');
    // Fitted means no value is cut: every shown timestamp fits its cell.
    const cut = await table
      .locator('[data-testid="event-row"] [data-column="ts_us"]')
      .evaluateAll((cells) => cells.filter((c) => c.scrollWidth > c.clientWidth).length);
    expect(cut).toBe(0);
  });

  await test.step('the layout survives a reload', async () => {
    const order = await headerOrder(table);
    await page.reload();
    await expect(workbench.rows().first()).toBeVisible();
    await expect.poll(() => headerOrder(table)).toEqual(order);
    expect(order).not.toContain('op');
    expect(Math.abs((await columnWidth(page, 'ts_us')) - resized)).toBeLessThanOrEqual(1);
  });
});

test('right-click on a cell filters to its value or excludes it', async ({ page, tracebench }) => {
  const start = new StartPage(page);
  const workbench = new WorkbenchPage(page);
  await start.openSampleAt(tracebench.url);
  await expect(workbench.rows().first()).toBeVisible();
  const total = Number(await workbench.table.getAttribute('data-total'));
  const countOp = async (op: string, exclude: boolean) =>
    (await tracebench.call<EventPage>('eventPage', { filter: { cells: [{ column: 'op', value: op, exclude }] }, offset: 0, limit: 1 })).total;

  const op = (await workbench.rows().first().getAttribute('data-op')) ?? '';
  await test.step('filter to this value', async () => {
    await workbench.rows().first().locator('[data-column="op"]').click({ button: 'right' });
    const menu = page.getByTestId('cell-menu');
    await expect(menu).toBeVisible();
    await menu.getByTestId('cell-filter').click();
    await expect(page.getByTestId('cell-condition')).toHaveAttribute('data-exclude', 'false');
    await expect(workbench.table).toHaveAttribute('data-total', String(await countOp(op, false)));
    const ops = await workbench.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-op')));
    expect(new Set(ops)).toEqual(new Set([op]));
  });

  await test.step('the opposite choice replaces it: exclude this value', async () => {
    await workbench.rows().first().locator('[data-column="op"]').click({ button: 'right' });
    await page.getByTestId('cell-menu').getByTestId('cell-exclude').click();
    await expect(page.getByTestId('cell-condition')).toHaveCount(1);
    await expect(page.getByTestId('cell-condition')).toHaveAttribute('data-exclude', 'true');
    const kept = await countOp(op, true);
    expect(kept).toBeLessThan(total);
    await expect(workbench.table).toHaveAttribute('data-total', String(kept));
    const ops = await workbench.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-op')));
    expect(ops).not.toContain(op);
    await page.getByTestId('cell-condition-clear').click();
    await expect(workbench.table).toHaveAttribute('data-total', String(total));
  });
});

test('keyboard only: focus the table, move, open, search, next match, pin, pinned only, shortcuts', async ({ page, tracebench }) => {
  const start = new StartPage(page);
  const workbench = new WorkbenchPage(page);
  const table = workbench.table;
  await start.openSampleAt(tracebench.url);
  await expect(workbench.rows().first()).toBeVisible();
  const grid = page.getByTestId('events-grid');

  await test.step('`t` focuses the table, visibly; j and k move the selection', async () => {
    await page.keyboard.press('t');
    await expect(grid).toBeFocused();
    await expect(grid).toHaveCSS('outline-style', 'solid');
    await page.keyboard.press('j');
    await expect.poll(() => selectedIndex(table)).toBe(0);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect.poll(() => selectedIndex(table)).toBe(2);
    await page.keyboard.press('k');
    await expect.poll(() => selectedIndex(table)).toBe(1);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => selectedIndex(table)).toBe(2);
  });

  await test.step('Enter opens the selected event’s detail', async () => {
    const id = await table.locator('[data-testid="event-row"][aria-selected="true"]').getAttribute('data-event-id');
    await page.keyboard.press('Enter');
    const detail = page.getByTestId('event-detail');
    await expect(detail).toBeFocused();
    await expect(detail).toHaveAttribute('data-event-id', id ?? '');
  });

  await test.step('`/` focuses the search; keys typed there stay in the field; n walks the matches', async () => {
    await page.keyboard.press('/');
    const search = table.getByTestId('filter-text');
    await expect(search).toBeFocused();
    await page.keyboard.type('execve');
    // A bound key typed in the field is text, not a command: no pin, no move.
    const before = await selectedIndex(table);
    await page.keyboard.type('pj');
    await expect(search).toHaveValue('execvepj');
    expect(await tracebench.call<Pin[]>('pins')).toEqual([]);
    expect(await selectedIndex(table)).toBe(before);
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await expect(search).toHaveValue('execve');
    await expect.poll(async () => Number(await table.getAttribute('data-total'))).toBeGreaterThan(1);
    await expect(async () => {
      const rows = await workbench.rows().evaluateAll((r) => r.map((row) => row.textContent ?? ''));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((text) => text.toLowerCase().includes('execve'))).toBe(true);
    }).toPass();
    // Escape leaves the field; then `t` is a key again.
    await page.keyboard.press('Escape');
    await page.keyboard.press('t');
    await expect(grid).toBeFocused();
    await page.keyboard.press('n');
    await expect.poll(() => selectedIndex(table)).toBe(0);
    await page.keyboard.press('n');
    await expect.poll(() => selectedIndex(table)).toBe(1);
    await page.keyboard.press('N');
    await expect.poll(() => selectedIndex(table)).toBe(0);
  });

  let pinned = 0;
  await test.step('`p` pins the selected event: starred in the table and the detail, stored in the case', async () => {
    const row = table.locator('[data-testid="event-row"][aria-selected="true"]');
    pinned = Number(await row.getAttribute('data-event-id'));
    await page.keyboard.press('p');
    await expect(row).toHaveAttribute('data-pinned', 'true');
    await expect(page.getByTestId('detail-pin')).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(async () => (await tracebench.call<Pin[]>('pins')).map((p) => p.event_id)).toEqual([pinned]);
  });

  await test.step('`P` shows pinned events only, in the table and on the timeline; again shows all', async () => {
    await page.keyboard.press('P');
    await expect(table.getByTestId('filter-pinned')).toBeChecked();
    await expect(table).toHaveAttribute('data-total', '1');
    await expect(workbench.rows()).toHaveCount(1);
    await expect(workbench.rows().first()).toHaveAttribute('data-event-id', String(pinned));
    await expect(workbench.lanes()).toHaveCount(1);
    await page.keyboard.press('P');
    await expect(table.getByTestId('filter-pinned')).not.toBeChecked();
    await expect.poll(async () => Number(await table.getAttribute('data-total'))).toBeGreaterThan(1);
  });

  await test.step('pins survive a reload', async () => {
    await page.reload();
    await expect(workbench.rows().first()).toBeVisible();
    await page.keyboard.press('t');
    await page.keyboard.press('P');
    await expect(workbench.rows()).toHaveCount(1);
    await expect(workbench.rows().first()).toHaveAttribute('data-pinned', 'true');
    await page.keyboard.press('P');
  });

  await test.step('`?` lists every binding', async () => {
    await page.keyboard.press('?');
    const dialog = page.getByTestId('shortcuts-dialog');
    await expect(dialog).toBeVisible();
    const text = await dialog.innerText();
    for (const key of ['j', 'Ctrl+F', '/', 'Enter', 'Shift+F10', ']', '[', '+', '0', 'p', '?']) expect(text).toContain(key);
    expect(await dialog.getByTestId('shortcut-key').count()).toBeGreaterThan(15);
    // Keys do not fire behind the dialog.
    const before = await selectedIndex(table);
    await page.keyboard.press('j');
    expect(await selectedIndex(table)).toBe(before);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  });
});
