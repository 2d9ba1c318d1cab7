import {
  ACCOUNTS,
  createCoordinator,
  errorSummary,
  expect,
  expectAccessible,
  expectFailedRequest,
  heading,
  javaScriptEnabled,
  login,
  open,
  test,
  waitForEnhancedForm,
} from './support';
import type { Locator, Page } from '@playwright/test';

/** The demo's open round. */
const OPEN_ROUND = '6e meting – december 2026';

/** Submits a form in the app's way: waits until the app handles it in the "js" project. */
async function press(page: Page, name: string, within: Locator = page.getByRole('main')) {
  const button = within.getByRole('button', { name, exact: true });
  await waitForEnhancedForm(button);
  await button.click();
}

test.describe('beoordelen', () => {
  test('a reviewer comments and sends back, the coordinator answers and resubmits, the reviewer approves', async ({
    page,
    newSession,
  }) => {
    // A region that submitted the open round in the demo; each project its own.
    const region = javaScriptEnabled() ? 'R07' : 'R08';
    const admin = await newSession();
    await login(admin, ACCOUNTS.admin);
    const coordinatorAccount = await createCoordinator(admin, region, 'beoordeling', 'Beoordeelde');

    // The reviewer finds the round's overview and the region in it.
    await login(page, ACCOUNTS.reviewer);
    await page.getByRole('navigation').getByRole('link', { name: 'Beoordelen' }).click();
    await expect(heading(page)).toHaveText('Beoordelen');
    await expectAccessible(page, 'review rounds');
    await page.getByRole('link', { name: OPEN_ROUND }).click();
    await expect(heading(page)).toHaveText(OPEN_ROUND);
    const main = page.getByRole('main');
    await expect(main).toContainText(/\d+ van 45 ingediend/);
    await expect(main.getByRole('table')).toBeVisible();
    await expectAccessible(page, 'review overview');
    // The round's data leaves the platform from here: the long CSV names round and version.
    const longCsv = main.getByRole('link', { name: 'CSV, lang', exact: true });
    const href = await longCsv.getAttribute('href');
    expect(href).toMatch(/^\/landelijk\/[0-9a-f-]{36}\/export\/lang\.csv$/);
    const download = await page.request.get(href!);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toContain('nad-2026-06');
    expect((await download.text()).split('\n')[0]).toContain('regio_code');
    // Filtered to the submitted regions, sorted by completeness: a GET form and links.
    await main.getByLabel('Status').selectOption('ingediend');
    await main.getByRole('button', { name: 'Filteren' }).click();
    await expect(page).toHaveURL(/status=ingediend/);
    await expect(main.locator('tbody tr').first()).toContainText('Ingediend');
    await main.getByRole('link', { name: /^Compleet/ }).click();
    await expect(page).toHaveURL(/sorteer=compleet/);
    const row = main.getByRole('row').filter({ hasText: `(${region})` });
    await row.getByRole('link').click();
    await expect(heading(page)).toHaveText(/^Beoordeling /);
    const reviewUrl = new URL(page.url()).pathname;
    await expectAccessible(page, 'review of a response');

    // A comment on one item, then the response goes back with a reason.
    const item = main.locator('#vraag-a_contactpersoon');
    await item.getByText('Opmerking plaatsen bij deze vraag').click();
    await item.getByLabel('Opmerking', { exact: true }).fill('Graag ook de functie van de contactpersoon noemen.');
    await press(page, 'Opmerking plaatsen', item);
    await expect(page.getByRole('status').filter({ hasText: 'Uw opmerking is geplaatst.' })).toBeVisible();
    await expect(main.locator('#vraag-a_contactpersoon .thread')).toContainText('Graag ook de functie');
    await main.getByLabel('Reden').first().fill('Sectie A is niet volledig.');
    await press(page, 'Terugsturen naar de regio');
    await expect(page.getByRole('status').filter({ hasText: 'De vragenlijst is teruggestuurd.' })).toBeVisible();
    await expect(main).toContainText('Teruggestuurd door de reviewer');

    // The coordinator sees why, reads the comment beside the item and answers it.
    const coordinator = await newSession();
    await login(coordinator, coordinatorAccount);
    const coordinatorMain = coordinator.getByRole('main');
    await expect(coordinatorMain).toContainText('Sectie A is niet volledig.');
    const base = new URL(coordinator.url()).pathname;
    await open(coordinator, `${base}/sectie/A`);
    await expect(coordinatorMain.locator('.item-comments')).toContainText('Graag ook de functie');
    // The first section asks to confirm the region's gemeenten, listed as they are for this round.
    await expect(coordinatorMain.locator('details.round-gemeenten')).toHaveAttribute('open', '');
    await expect(coordinatorMain.locator('details.round-gemeenten')).toContainText(/\(GM\d{4}\)/);
    await expectAccessible(coordinator, 'section with a comment');
    await coordinatorMain.getByRole('link', { name: 'Reageren op deze opmerking' }).click();
    await expect(heading(coordinator)).toHaveText(/^Beoordeling /);
    await coordinatorMain.getByLabel('Reageren').fill('Functie toegevoegd: beleidsadviseur.');
    await press(coordinator, 'Reactie plaatsen', coordinatorMain);
    await expect(coordinator.getByRole('status').filter({ hasText: 'Uw opmerking is geplaatst.' })).toBeVisible();
    // Coordinators answer comments but never approve or send back.
    await expect(coordinatorMain.getByRole('button', { name: 'Goedkeuren en vergrendelen' })).toHaveCount(0);
    await expect(coordinatorMain.getByRole('button', { name: 'Afhandelen' })).toHaveCount(0);
    await expectAccessible(coordinator, 'review page for the coordinator');

    // ...and submits again.
    await open(coordinator, `${base}/controleren`);
    await press(coordinator, 'Vragenlijst indienen');
    await expect(coordinator).toHaveURL(`${base}?melding=ingediend`);
    await expect(coordinatorMain).toContainText('Ingediend op');

    // The reviewer resolves the comment and approves, signing with the password.
    await open(page, reviewUrl);
    await expect(main.locator('#vraag-a_contactpersoon .thread')).toContainText('Functie toegevoegd');
    await press(page, 'Afhandelen', main.locator('#vraag-a_contactpersoon'));
    await expect(page.getByRole('status').filter({ hasText: 'De opmerking is afgehandeld.' })).toBeVisible();
    if (javaScriptEnabled()) expectFailedRequest(page, 422, /\/api\/review\/approve$/);
    await main.getByLabel('Uw wachtwoord').fill('niet mijn wachtwoord');
    await press(page, 'Goedkeuren en vergrendelen');
    await expect(errorSummary(page)).toContainText('Het wachtwoord klopt niet');
    await main.getByLabel('Uw wachtwoord').fill(ACCOUNTS.reviewer.password);
    await press(page, 'Goedkeuren en vergrendelen');
    await expect(page.getByRole('status').filter({ hasText: 'De vragenlijst is goedgekeurd en vergrendeld.' })).toBeVisible();
    await expect(main).toContainText('Goedgekeurd op');
    await expect(main.getByRole('button', { name: 'Goedkeuring intrekken' })).toBeVisible();
    await expectAccessible(page, 'approved response');

    // The coordinator's questionnaire is locked.
    await open(coordinator, base);
    await expect(coordinatorMain).toContainText('Goedgekeurd op');
  });

  test('a reviewer filters the overview on open points and follows one to its item', async ({ page }) => {
    await login(page, ACCOUNTS.reviewer);
    await page.getByRole('navigation').getByRole('link', { name: 'Beoordelen' }).click();
    await page.getByRole('link', { name: OPEN_ROUND }).click();
    await expect(heading(page)).toHaveText(OPEN_ROUND);
    const main = page.getByRole('main');
    // The answers of one question side by side are a link away.
    await expect(main.getByRole('link', { name: 'Antwoorden per vraag naast elkaar' })).toHaveAttribute(
      'href',
      /^\/beoordelen\/[0-9a-f-]{36}\/antwoorden$/,
    );

    // Not started and with errors: nothing matches, and the page says so.
    await main.getByLabel('Status').selectOption('niet-begonnen');
    await main.getByLabel('Openstaande punten').selectOption('fouten');
    await main.getByRole('button', { name: 'Filteren' }).click();
    await expect(page).toHaveURL(/status=niet-begonnen&probleem=fouten/);
    await expect(main).toContainText("Geen regio's die aan dit filter voldoen.");
    await expect(main.locator('tbody tr')).toHaveCount(0);
    await expectAccessible(page, 'review overview, nothing matches');

    // Every region with missing answers, and only those.
    await main.getByLabel('Status').selectOption('');
    await main.getByLabel('Openstaande punten').selectOption('ontbrekend');
    await main.getByRole('button', { name: 'Filteren' }).click();
    await expect(page).toHaveURL(/probleem=ontbrekend/);
    await expect(main.getByLabel('Openstaande punten')).toHaveValue('ontbrekend');
    const rows = main.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    for (const missing of await rows.locator('td:nth-child(4)').allInnerTexts()) {
      expect(Number(missing.trim().split(/\s/)[0])).toBeGreaterThan(0);
    }
    await expectAccessible(page, 'review overview filtered on open points');
    // Sorting keeps the filter.
    await main.getByRole('link', { name: /^Ontbrekend/ }).click();
    await expect(page).toHaveURL(/sorteer=ontbrekend.*probleem=ontbrekend/);

    // A region's count leads to its open points, listed per kind.
    const count = main.getByRole('link', { name: /ontbrekend: / }).first();
    const region = (await count.innerText()).replace(/^\d+\s*ontbrekend: /, '').trim();
    await count.click();
    await expect(page).toHaveURL(/\/openstaand#ontbrekend$/);
    await expect(heading(page)).toHaveText(`Openstaande punten ${region}`);
    await expect(main).toContainText(/Er staa?n? nog \d+ punte?n? open\./);
    const missingList = main.getByRole('region', { name: /^Ontbrekende verplichte antwoorden \(\d+\)$/ });
    await expect(missingList.getByRole('listitem').first()).toBeVisible();
    for (const kind of ['Ongeldige antwoorden', 'Regels waaraan niet is voldaan', 'Waarschuwingen zonder toelichting', 'Open opmerkingen']) {
      await expect(main.getByRole('heading', { level: 2, name: new RegExp(`^${kind} \\(\\d+\\)$`) })).toBeVisible();
    }
    await expectAccessible(page, 'open points of a response');

    // Each point links to its item on the review page.
    const itemLink = missingList.getByRole('listitem').first().getByRole('link');
    const label = (await itemLink.innerText()).trim();
    const href = (await itemLink.getAttribute('href'))!;
    expect(href).toMatch(/\/beoordelen#vraag-[a-z0-9_]+$/);
    await itemLink.click();
    await expect(heading(page)).toHaveText(`Beoordeling ${region}`);
    const item = main.locator(href.slice(href.indexOf('#')));
    await expect(item.getByRole('heading', { level: 3 })).toHaveText(label);
    // ...and the review page leads back to the list.
    await main.getByRole('link', { name: 'Alle openstaande punten op een rij' }).click();
    await expect(heading(page)).toHaveText(`Openstaande punten ${region}`);
  });

  test('an admin browses the audit trail and exports it', async ({ page }) => {
    await login(page, ACCOUNTS.admin);
    await page.getByRole('navigation').getByRole('link', { name: 'Audittrail' }).click();
    await expect(heading(page)).toHaveText('Audittrail');
    const main = page.getByRole('main');
    await expect(main.getByRole('table')).toBeVisible();
    await expectAccessible(page, 'audit trail');
    await main.getByLabel('Soort').selectOption('login');
    await main.getByRole('button', { name: 'Filteren' }).click();
    await expect(page).toHaveURL(/soort=login/);
    await expect(main.locator('tbody tr').first()).toContainText('Ingelogd');
    await expect(main.locator('tbody tr').first()).toContainText(ACCOUNTS.admin.email);
    const exported = await page.request.get('/beheer/audit/export.csv?soort=login');
    expect(exported.status()).toBe(200);
    const lines = (await exported.text()).trim().split('\n');
    expect(lines[0]).toBe('tijdstip_utc,wie,soort,omschrijving,regio,meting,details,id');
    expect(lines.slice(1).every((line) => line.includes(',login,Ingelogd,'))).toBe(true);
  });
});
