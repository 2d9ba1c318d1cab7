import {
  ACCOUNTS,
  errorSummary,
  expect,
  expectAccessible,
  expectFailedRequest,
  heading,
  login,
  open,
  QUESTIONNAIRE_TITLE,
  test,
  uniqueSuffix,
  waitForApp,
  waitForEnhancedForm,
} from './support';
import type { Page } from '@playwright/test';

/** The open demo round: the latest before any round these tests make. */
const DEMO_ROUND = '6e meting – december 2026';

/** Fills in "Nieuwe meting" on /beheer/metingen and submits it. Dates in 2031, so coordinators
 * see the round as not yet begun even once it is open. */
async function createRound(page: Page, name: string, deadline: string, leaveOut?: string) {
  const button = page.getByRole('button', { name: 'Meting aanmaken' });
  const form = page.locator('form').filter({ has: button });
  await waitForEnhancedForm(button);
  const regions = form.getByRole('group', { name: "Deelnemende regio's" });
  // NAD's 45 regions and Beschermd Thuis's six: the questionnaire decides which take part.
  await expect(regions.getByRole('checkbox')).toHaveCount(51);
  if (leaveOut) await regions.getByRole('checkbox', { name: leaveOut, exact: true }).uncheck();
  await form.getByLabel('Naam').fill(name);
  await form.getByLabel('Vragenlijstversie').selectOption('nad/2026-06');
  await form.getByLabel('Openingsdatum').fill('2031-01-01');
  await form.getByLabel('Deadline').fill(deadline);
  await button.click();
}

test.describe('metingen', () => {
  test('an admin sets up a round, opens it and gives one region a later deadline', async ({ page }) => {
    expectFailedRequest(page, 422, /\/api\/rounds\/create$/);
    const name = `Meting e2e ${uniqueSuffix()}`;
    await login(page, ACCOUNTS.admin);
    await open(page, '/beheer/metingen');
    await expect(heading(page)).toHaveText('Metingen');
    await expect(page.getByRole('main').getByRole('table').getByRole('link', { name: DEMO_ROUND })).toBeVisible();
    await expectAccessible(page, 'rounds page');

    // A deadline before the opening: explained, nothing made.
    await createRound(page, name, '2030-12-01');
    const summary = errorSummary(page);
    await expect(summary).toContainText('De deadline moet na de openingsdatum liggen.');
    await expect(summary.locator('a[href="#veld-deadline"]')).toHaveCount(1);
    expect(new URL(page.url()).pathname).toBe('/beheer/metingen');
    await expect(page.getByRole('link', { name })).toHaveCount(0);
    await expectAccessible(page, 'rounds page with form errors');

    // Every region but one takes part.
    await createRound(page, name, '2031-02-15', 'R45 Zuid-Limburg Parkstad (programma nad)');
    await expect(page).toHaveURL(/\/beheer\/metingen\/[0-9a-f-]{36}\?melding=aangemaakt$/);
    await expect(heading(page)).toHaveText(name);
    await expect(page.getByRole('status')).toContainText('De meting is aangemaakt als concept');
    const facts = page.locator('dl.facts');
    await expect(facts).toContainText('Concept');
    await expect(facts).toContainText('15 februari 2031');
    await expect(facts).toContainText(DEMO_ROUND);
    const rows = page.getByRole('main').getByRole('table').getByRole('row');
    await expect(rows).toHaveCount(45);
    await expect(page.getByRole('main').getByRole('table')).not.toContainText('Zuid-Limburg Parkstad');
    await waitForApp(page);
    await expectAccessible(page, 'round page');

    await page.getByRole('button', { name: 'Openen' }).click();
    await expect(page).toHaveURL(/melding=open$/);
    await expect(page.getByRole('status')).toHaveText('De meting is open: coördinatoren kunnen antwoorden invullen.');
    await expect(facts).toContainText('Open');
    await expect(page.getByRole('button', { name: 'Sluiten' })).toBeVisible();

    const extend = page.locator('form').filter({ has: page.getByRole('button', { name: 'Deadline verlengen' }) });
    await waitForEnhancedForm(extend.getByRole('button', { name: 'Deadline verlengen' }));
    await extend.getByLabel('Regio').selectOption('R03');
    await extend.getByLabel('Nieuwe deadline').fill('2031-03-01');
    await extend.getByLabel('Reden').fill('Personeel ziek');
    await extend.getByRole('button', { name: 'Deadline verlengen' }).click();
    await expect(page).toHaveURL(/melding=deadline$/);
    await expect(page.getByRole('status')).toHaveText('De deadline van de regio is verlengd.');
    const r03 = rows.filter({ hasText: '(R03)' });
    await expect(r03.getByRole('cell').last()).toHaveText('1 maart 2031');
    await waitForApp(page);
    await expectAccessible(page, 'round page after a change');

    // Close it again: a round of this test stays out of the coordinators' way.
    await page.getByRole('button', { name: 'Sluiten' }).click();
    await expect(page).toHaveURL(/melding=closed$/);
    await expect(facts).toContainText('Gesloten');
    await expect(page.getByRole('link', { name: 'Publiceren…' })).toBeVisible();
  });

  test('reviewers and coordinators have no access to round management', async ({ page }) => {
    for (const account of [ACCOUNTS.reviewer, ACCOUNTS.groningen]) {
      await login(page, account);
      expectFailedRequest(page, 403, /\/beheer\/metingen$/);
      const response = await page.goto('/beheer/metingen');
      expect(response?.status()).toBe(403);
      await expect(heading(page)).toHaveText('Geen toegang');
      await waitForApp(page);
      await page.context().clearCookies();
    }
  });

  test('the comparison page is reached from the task list and says what it compares', async ({ page }) => {
    await login(page, ACCOUNTS.assen);
    await expect(heading(page)).toHaveText(QUESTIONNAIRE_TITLE);
    await page.getByRole('link', { name: 'Vergelijking met de vorige meting' }).click();
    await expect(page).toHaveURL(/\/vragenlijst\/[0-9a-f-]{36}(?:\.[A-Za-z0-9-]+)?\/voortgang$/);
    await expect(heading(page)).toHaveText('Vergelijking met de vorige meting');
    // The demo's open round is compared with June 2026, in which Assen did not take part.
    await expect(page.getByRole('main')).toContainText(
      'Uw regio heeft in de 5e meting – juni 2026 geen antwoorden gegeven',
    );
    await expectAccessible(page, 'comparison page');
  });
});
