// The findings panel on the sample case: the intruder's shell is one incident whose storyline
// leads to its events; a decision on it survives a reload and a re-run of triage; next/previous walk the findings
// (buttons and ] / [); the selected event's panel names the findings and incident holding it.
import { ImportDialog } from './pages/import-dialog.ts';
import { StartPage } from './pages/start-page.ts';
import { expect, repoFixture, test } from './fixtures/tracebench.ts';

// A small log with full timestamps (no date question): importing it re-runs triage on the case.
const APP_LOG = repoFixture('strace/demo-tt/app-log.jsonl');

test('the sample intrusion reads as one incident with a storyline, a kept decision and next/previous', async ({ page, tracebench }) => {
  const start = new StartPage(page);
  await start.openSampleAt(tracebench.url);
  await page.getByTestId('tab-findings').click();

  // One line per incident; its storyline opens on demand, one step per finding in time order.
  const incident = page.getByTestId('incident-item').first();
  await expect(incident).toContainText('Execution');
  await expect(incident.getByTestId('incident-step')).toHaveCount(0);
  // Opening it brings its span into view on the timeline (zoomed in elsewhere before).
  const status = page.getByTestId('timeline-status');
  const whole = (await status.textContent()) ?? '';
  const zoomIn = page.getByRole('button', { name: '+', exact: true });
  await zoomIn.click();
  await zoomIn.click();
  await expect(status).not.toHaveText(whole);
  const before = await status.textContent();
  await incident.locator('.finding-head').click();
  await expect(status).not.toHaveText(before ?? '');
  const steps = incident.getByTestId('incident-step');
  await expect(steps).toHaveCount(3);
  await expect(steps.filter({ hasText: 'Shell spawned by a service' })).toHaveCount(1);

  // A step selects its first event.
  const shellStep = steps.filter({ hasText: 'Shell spawned by a service' });
  await shellStep.click();
  await expect(page.getByTestId('event-detail')).toContainText('/bin/sh');

  // The analyst confirms the incident; the decision is kept in the case across a reload.
  await incident.locator('.incident-body > .state-buttons').getByTestId('state-confirmed').click();
  await expect(incident).toHaveAttribute('data-state', 'confirmed');
  await page.reload();
  await page.getByTestId('tab-findings').click();
  await expect(page.getByTestId('incident-item').first()).toHaveAttribute('data-state', 'confirmed');
  await expect(page.getByTestId('incident-item').first()).toContainText('confirmed');
  // … and across a re-run of triage (every import runs the rules over the whole case again).
  const importer = new ImportDialog(page);
  await importer.openFromHeader();
  await importer.chooseFiles([APP_LOG]);
  await importer.start();
  await importer.waitUntilFinished(['app-log.jsonl']);
  await importer.close();
  await page.getByTestId('tab-findings').click();
  await expect(page.getByTestId('incident-item').first()).toHaveAttribute('data-state', 'confirmed');

  // Next/previous walk the storyline's findings, opening the incident and selecting each one's event.
  const current = page.locator('[data-testid="incident-step"].current');
  await page.getByTestId('finding-next').click();
  const first = await current.getAttribute('data-finding-id');
  await expect(page.getByTestId('event-detail')).toBeVisible();
  await page.getByTestId('finding-next').click();
  await expect(current).not.toHaveAttribute('data-finding-id', first ?? '');
  await page.getByTestId('finding-prev').click();
  await expect(current).toHaveAttribute('data-finding-id', first ?? '');
  // … and so do the keys ] and [ (outside text fields).
  await page.keyboard.press(']');
  await expect(current).not.toHaveAttribute('data-finding-id', first ?? '');
  await page.keyboard.press('[');
  await expect(current).toHaveAttribute('data-finding-id', first ?? '');

  // The selected event's panel names the findings and the incident that include it, with their state.
  const detail = page.getByTestId('event-detail');
  const inFinding = detail.locator(`[data-testid="event-finding"][data-finding-id="${first ?? ''}"]`);
  await expect(inFinding).toBeVisible();
  await expect(detail.getByTestId('event-incident').first()).toContainText('confirmed');
  // A finding's state set in the storyline shows there too.
  await incident.locator('[data-testid="incident-step"].current').getByTestId('state-needs_review').click();
  await expect(inFinding).toContainText('needs review');
  // From the event's panel, a click shows that finding (its storyline opened, the step marked) or
  // the incident, and leaves the selected event where it is.
  await incident.locator('.finding-head').click(); // folds the storyline
  await expect(incident.getByTestId('incident-step')).toHaveCount(0);
  await inFinding.click();
  await expect(current).toHaveAttribute('data-finding-id', first ?? '');
  await expect(inFinding).toBeVisible();
  await incident.locator('.finding-head').click();
  await expect(incident.getByTestId('incident-step')).toHaveCount(0);
  await detail.getByTestId('event-incident').first().click();
  await expect(incident).toHaveClass(/current/);
  await expect(incident.getByTestId('incident-step')).toHaveCount(3);

  // The state filter hides what does not match.
  await page.getByTestId('filter-state').selectOption('false_positive');
  await expect(page.getByTestId('incident-item')).toHaveCount(0);
});
