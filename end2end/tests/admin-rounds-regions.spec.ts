import {
  ACCOUNTS,
  errorSummary,
  expect,
  expectAccessible,
  expectFailedRequest,
  heading,
  login,
  open,
  test,
  uniqueSuffix,
  waitForApp,
  waitForEnhancedForm,
} from './support';
import type { Locator, Page } from '@playwright/test';

/** The form that holds the submit button named `button`. */
function formWith(page: Page, button: string): Locator {
  return page.locator('form').filter({ has: page.getByRole('button', { name: button, exact: true }) });
}

/** Submits the form of `button` once it is ready. */
async function submit(page: Page, button: string) {
  const target = page.getByRole('button', { name: button, exact: true });
  await waitForEnhancedForm(target);
  await target.click();
}

/** A region code of this run: letters, digits and '-', at most 16 characters. */
function regionCode(): string {
  return `E2E-${uniqueSuffix().slice(-8).toUpperCase()}`;
}

/** A gemeente code no real gemeente has (CBS codes stay below GM2000). */
function gemeenteCode(): string {
  return `GM9${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
}

test.describe('metingen en regio’s beheren', () => {
  test('an admin renames a round, moves its deadline, chooses its comparison and closes and reopens it with a reason', async ({ page }) => {
    expectFailedRequest(page, 422, /\/api\/rounds\/(update|state)$/);
    const name = `Beheertest ${uniqueSuffix()}`;
    await login(page, ACCOUNTS.admin);
    await open(page, '/beheer/metingen');
    const create = formWith(page, 'Meting aanmaken');
    await waitForEnhancedForm(create.getByRole('button'));
    await create.getByLabel('Naam').fill(name);
    await create.getByLabel('Vragenlijstversie').selectOption('nad/2026-06');
    await create.getByLabel('Openingsdatum').fill('2031-01-01');
    await create.getByLabel('Deadline').fill('2031-02-15');
    await create.getByRole('button').click();
    await expect(heading(page)).toHaveText(name);
    const facts = page.locator('dl.facts');

    // A deadline before the opening: explained, nothing changed.
    const details = formWith(page, 'Naam en data opslaan');
    await details.getByLabel('Deadline van de meting').fill('2030-12-01');
    await submit(page, 'Naam en data opslaan');
    await expect(errorSummary(page)).toContainText('De deadline moet na de openingsdatum liggen.');
    await expect(facts).toContainText('15 februari 2031');
    await expectAccessible(page, 'round page with an error in its details');

    const renamed = `${name} (hernoemd)`;
    await open(page, page.url().replace(/\?.*$/, ''));
    await details.getByLabel('Naam van de meting').fill(renamed);
    await details.getByLabel('Deadline van de meting').fill('2031-03-01');
    await submit(page, 'Naam en data opslaan');
    await expect(page).toHaveURL(/melding=gewijzigd$/);
    await expect(heading(page)).toHaveText(renamed);
    await expect(facts).toContainText('1 maart 2031');

    // Compared with nothing, then with the suggested previous round of the same questionnaire.
    const compare = formWith(page, 'Vergelijking opslaan');
    await compare.getByLabel('Eerdere meting').selectOption({ label: 'Niet vergelijken' });
    await submit(page, 'Vergelijking opslaan');
    await expect(page).toHaveURL(/melding=vergelijking$/);
    await expect(facts).toContainText('geen eerdere meting');
    await compare.getByLabel('Eerdere meting').selectOption({ index: 1 });
    await submit(page, 'Vergelijking opslaan');
    await expect(facts).not.toContainText('geen eerdere meting');

    await submit(page, 'Openen');
    await expect(page).toHaveURL(/melding=open$/);
    await formWith(page, 'Sluiten').getByLabel('Reden (optioneel)').fill('Alle regio’s zijn klaar');
    await submit(page, 'Sluiten');
    await expect(page).toHaveURL(/melding=closed$/);
    await expect(facts).toContainText('Alle regio’s zijn klaar');
    await waitForApp(page);
    await expectAccessible(page, 'closed round page');

    // Opening again needs a reason: the browser asks for it first; the server explains too.
    const reopen = formWith(page, 'Openen');
    await expect(reopen.getByLabel('Reden om weer te openen')).toHaveAttribute('required', '');
    await reopen.getByLabel('Reden om weer te openen').fill('Regio Twente was te laat');
    await submit(page, 'Openen');
    await expect(page).toHaveURL(/melding=open$/);
    await expect(facts).toContainText('Regio Twente was te laat');
    // Leave it closed: a round of this test stays out of the coordinators' way.
    await submit(page, 'Sluiten');
    await expect(page).toHaveURL(/melding=closed$/);
  });

  test('an admin adds, renames and retires a region and edits the division of gemeenten', async ({ page }) => {
    expectFailedRequest(page, 422, /\/api\/(regions|gemeenten)\/\w+$/);
    const code = regionCode();
    const gemeente = gemeenteCode();
    await login(page, ACCOUNTS.admin);
    await open(page, '/beheer/regios');
    await expect(heading(page)).toHaveText("Regio's en gemeenten beheren");
    await expectAccessible(page, 'regions admin page');

    // A duplicate code: explained, nothing added.
    const add = formWith(page, 'Regio toevoegen');
    await add.getByLabel('Regiocode').fill('R01');
    await add.getByLabel('Naam van de regio').fill('Dubbel');
    await add.getByLabel('Centrumgemeente').fill('Ergens');
    await submit(page, 'Regio toevoegen');
    await expect(errorSummary(page)).toContainText('De regiocode R01 bestaat al');
    await expectAccessible(page, 'regions admin page with an error');

    await add.getByLabel('Regiocode').fill(code);
    await add.getByLabel('Naam van de regio').fill('Proefregio');
    await add.getByLabel('Centrumgemeente').fill('Proefstad');
    await submit(page, 'Regio toevoegen');
    await expect(page).toHaveURL(new RegExp(`/regio/${code}\\?melding=toegevoegd$`));
    await expect(heading(page)).toHaveText('Regio Proefregio');

    const rename = formWith(page, 'Opslaan');
    await rename.getByLabel('Naam van de regio').fill('Proefregio Noord');
    await submit(page, 'Opslaan');
    await expect(page).toHaveURL(/melding=hernoemd$/);
    await expect(heading(page)).toHaveText('Regio Proefregio Noord');
    await waitForApp(page);
    await expectAccessible(page, 'region page with its management');

    // A gemeente of its own: retiring waits until it has moved, and it is removed again.
    await open(page, '/beheer/regios');
    const addGemeente = formWith(page, 'Gemeente toevoegen');
    await addGemeente.getByLabel('CBS-gemeentecode').fill(gemeente);
    await addGemeente.getByLabel('Naam van de gemeente').fill('Proefdorp');
    await addGemeente.getByLabel('Regio van de gemeente').selectOption(code);
    await submit(page, 'Gemeente toevoegen');
    await expect(page).toHaveURL(/melding=gemeente-toegevoegd$/);
    await open(page, `/regio/${code}`);
    await expect(page.getByRole('main')).toContainText('Proefdorp');
    await formWith(page, 'Regio opheffen').getByLabel('Reden van opheffen').fill('Opgegaan in een andere regio');
    await submit(page, 'Regio opheffen');
    await expect(errorSummary(page)).toContainText('Verplaats ze eerst');

    await open(page, '/beheer/regios');
    const moving = formWith(page, 'Gemeente verplaatsen');
    await moving.getByLabel('Gemeente').selectOption(gemeente);
    await moving.getByLabel('Nieuwe regio').selectOption('R01');
    await submit(page, 'Gemeente verplaatsen');
    await expect(page).toHaveURL(/melding=verplaatst$/);
    const removing = formWith(page, 'Uit de indeling halen');
    await removing.getByLabel('Gemeente die vervalt').selectOption(`nad/${gemeente}`);
    await submit(page, 'Uit de indeling halen');
    await expect(page).toHaveURL(/melding=gemeente-verwijderd$/);

    await open(page, `/regio/${code}`);
    await formWith(page, 'Regio opheffen').getByLabel('Reden van opheffen').fill('Opgegaan in een andere regio');
    await submit(page, 'Regio opheffen');
    await expect(page).toHaveURL(/melding=opgeheven$/);
    await expect(page.getByRole('main')).toContainText('Deze regio is opgeheven');
    await expect(page.getByRole('button', { name: 'Weer in gebruik nemen' })).toBeVisible();

    // A retired region is not offered for a new round.
    await open(page, '/beheer/metingen');
    const regions = page.getByRole('group', { name: "Deelnemende regio's" });
    await expect(regions.getByRole('checkbox', { name: new RegExp(code) })).toHaveCount(0);
  });

  test('reviewers and coordinators have no access to region management', async ({ page }) => {
    for (const account of [ACCOUNTS.reviewer, ACCOUNTS.groningen]) {
      await login(page, account);
      expectFailedRequest(page, 403, /\/beheer\/regios$/);
      const response = await page.goto('/beheer/regios');
      expect(response?.status()).toBe(403);
      await expect(heading(page)).toHaveText('Geen toegang');
      await waitForApp(page);
      await page.context().clearCookies();
    }
  });
});
