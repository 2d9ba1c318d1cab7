import {
  ACCOUNTS,
  expect,
  expectAccessible,
  expectFailedRequest,
  heading,
  login,
  open,
  test,
} from './support';
import type { Locator, Page } from '@playwright/test';

/** The demo's open round, compared with June. */
const OPEN_ROUND = '6e meting – december 2026';
const JUNE = '5e meting – juni 2026';
const WONEN_EERST = 'Is Wonen Eerst opgenomen in het regionale plan?';
const OMWONENDEN = 'Wat doen de gemeenten om bezwaar van omwonenden te voorkomen of op te lossen?';

/** The answers table's body rows. */
function rows(page: Page): Locator {
  return page.getByRole('main').locator('table.item-answers__table tbody tr');
}

/** The text of one column (1: region, 2: status, 3: answer, 4: previous answer, 5: changed) of every row. */
async function column(page: Page, index: number): Promise<string[]> {
  return rows(page).locator(`:is(th, td):nth-child(${index})`).allInnerTexts();
}

/** Submits the filter form as a person would: a plain GET form in both projects. */
async function filter(page: Page): Promise<void> {
  await page.getByRole('main').getByRole('button', { name: 'Filteren', exact: true }).click();
}

test.describe('antwoorden naast elkaar', () => {
  test('a reviewer reads one item across all regions beside June, filters, sorts and downloads it', async ({
    page,
    newSession,
  }) => {
    await login(page, ACCOUNTS.reviewer);
    // From the national picture of the open round: each item links to its answers per region.
    await page.getByRole('navigation').getByRole('link', { name: 'Landelijk beeld' }).click();
    await page.getByRole('link', { name: OPEN_ROUND }).click();
    await expect(heading(page)).toHaveText(`Landelijk beeld – ${OPEN_ROUND}`);
    const main = page.getByRole('main');
    await main.getByRole('link', { name: `Antwoorden per regio bij: ${WONEN_EERST}` }).click();
    await expect(page).toHaveURL(/\/beoordelen\/[0-9a-f-]{36}\/antwoorden\?vraag=b_wonen_eerst$/);
    const address = new URL(page.url()).pathname;
    await expect(heading(page)).toHaveText(`Antwoorden naast elkaar – ${OPEN_ROUND}`);
    await expect(main.getByLabel('Vraag', { exact: true })).toHaveValue('b_wonen_eerst');
    await expect(main.getByRole('heading', { level: 2, name: WONEN_EERST })).toBeVisible();
    await expect(main).toContainText(/\d+ van 45 regio's beantwoord/);
    // One row per region, with June's answer beside it.
    await expect(rows(page)).toHaveCount(45);
    const headers = main.locator('table.item-answers__table').getByRole('columnheader');
    await expect(headers).toHaveText([/^Regio/, /^Status/, /^Antwoord/, new RegExp(`^${JUNE}`), 'Gewijzigd']);
    await expect(headers.first()).toHaveAttribute('aria-sort', 'ascending');
    const tally = main.locator('table.item-answers__tally');
    await expect(tally.getByRole('columnheader')).toHaveText(['Antwoord', 'Deze meting', JUNE]);
    await expect(tally.getByRole('row', { name: /^Ja / })).toBeVisible();
    await expectAccessible(page, 'one item across all regions');

    // Only the regions that answered "Ja": a GET form, so it works without JavaScript too.
    await main.getByLabel('Gekozen antwoord').selectOption({ label: 'Ja' });
    await filter(page);
    await expect(page).toHaveURL(/[?&]keuze=ja(&|$)/);
    await expect(main.getByLabel('Gekozen antwoord')).toHaveValue('ja');
    const answered = await column(page, 3);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.length).toBeLessThan(45);
    expect(answered.every((answer) => answer.trim() === 'Ja')).toBe(true);
    await expectAccessible(page, 'filtered to one answer');

    // Sorted by June's answer, then the other way round: column header links with aria-sort.
    await main.getByRole('link', { name: new RegExp(`^${JUNE}`) }).click();
    await expect(page).toHaveURL(/[?&]sorteer=vorig(&|$)/);
    await expect(page).toHaveURL(/[?&]keuze=ja(&|$)/);
    const before = main.locator('table.item-answers__table').getByRole('columnheader', { name: new RegExp(`^${JUNE}`) });
    await expect(before).toHaveAttribute('aria-sort', 'ascending');
    await main.getByRole('link', { name: new RegExp(`^${JUNE}`) }).click();
    await expect(page).toHaveURL(/[?&]volgorde=af(&|$)/);
    await expect(before).toHaveAttribute('aria-sort', 'descending');
    await expectAccessible(page, 'sorted by the previous answer');

    // The download holds exactly the rows shown, in the same order.
    const csvLink = main.getByRole('link', { name: 'CSV', exact: true });
    const href = await csvLink.getAttribute('href');
    expect(href).toMatch(/\/antwoorden\/export\.csv\?vraag=b_wonen_eerst&keuze=ja&sorteer=vorig&volgorde=af$/);
    const download = await page.request.get(href!);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toBe('text/csv; charset=utf-8');
    expect(download.headers()['content-disposition']).toMatch(/_b-wonen-eerst_antwoorden\.csv"$/);
    const lines = (await download.text()).trim().split('\n');
    expect(lines[0]).toBe('regio_code,regio_naam,status,antwoord_status,antwoord,antwoord_waarde,vorig_antwoord,vorig_waarde,gewijzigd');
    const shownRegions = (await column(page, 1)).map((name) => /\((R\d+)\)\s*$/.exec(name)?.[1]);
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(shownRegions);
    const xlsx = await page.request.get(href!.replace('export.csv', 'export.xlsx'));
    expect(xlsx.status()).toBe(200);
    expect((await xlsx.body()).subarray(0, 2).toString('latin1')).toBe('PK');

    // An open item: the text answers, searched without regard to case.
    await main.getByLabel('Vraag', { exact: true }).selectOption('j_omwonenden_toelichting');
    await main.getByRole('button', { name: 'Antwoorden tonen' }).click();
    await expect(page).toHaveURL(/[?&]vraag=j_omwonenden_toelichting(&|$)/);
    await expect(main.getByRole('heading', { level: 2, name: OMWONENDEN })).toBeVisible();
    await expect(main).toContainText('Lange tekst (open antwoord)');
    await expect(main).toContainText(/Niet gesteld/);
    await main.getByLabel('Zoeken in de antwoorden').fill('AFSPRAKEN');
    await filter(page);
    await expect(page).toHaveURL(/[?&]zoek=AFSPRAKEN(&|$)/);
    const found = await column(page, 3);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((answer) => answer.toLowerCase().includes('afspraken'))).toBe(true);
    await expectAccessible(page, 'searched text answers');
    await main.getByLabel('Zoeken in de antwoorden').fill('een zin die niemand schreef');
    await filter(page);
    await expect(main).toContainText("Geen regio's die aan dit filter voldoen.");
    await expect(rows(page)).toHaveCount(0);
    await expectAccessible(page, 'nothing found');

    // A code the page never sends: a clear Dutch refusal, nothing else.
    expectFailedRequest(page, 400, /\/antwoorden\?/);
    const refused = await open(page, `${address}?vraag=b_wonen_eerst&status=klaar`);
    expect(refused?.status()).toBe(400);
    await expect(main).toContainText("Onbekende status 'klaar'.");
    await expectAccessible(page, 'refused filter');

    // Coordinators see only their own region: refused.
    const coordinator = await newSession();
    expectFailedRequest(coordinator, 403, /\/antwoorden/);
    await login(coordinator, ACCOUNTS.groningen);
    const forbidden = await open(coordinator, `${address}?vraag=b_wonen_eerst`);
    expect(forbidden?.status()).toBe(403);
    await expect(heading(coordinator)).toHaveText('Geen toegang');
    const file = await coordinator.request.get(`${address}/export.csv?vraag=b_wonen_eerst`);
    expect(file.status()).toBe(403);
  });
});
