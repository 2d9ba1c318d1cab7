import {
  ACCOUNTS,
  errorSummary,
  expect,
  expectAccessible,
  expectFailedRequest,
  heading,
  javaScriptEnabled,
  login,
  open,
  test,
  uniqueSuffix,
  waitForApp,
  waitForEnhancedForm,
} from './support';
import type { Page } from '@playwright/test';

/** The demo's latest publication. */
const LATEST = 'juni 2026';

/** No sideways scrolling at 320 CSS pixels (WCAG 1.4.10); only a table may scroll in its box. */
async function expectReflow(page: Page, what: string): Promise<void> {
  await page.setViewportSize({ width: 320, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${what} scrolls sideways at 320 px`).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1280, height: 800 });
}

test.describe('openbaar dashboard', () => {
  test('anyone reads the latest publication without logging in', async ({ page }) => {
    await open(page, '/dashboard');
    await expect(heading(page)).toHaveText(`Dashboard ${LATEST}`);
    const main = page.getByRole('main');
    await expect(main.getByRole('heading', { name: 'Conclusies', level: 2 })).toBeVisible();
    await expect(main).toContainText('Wonen Eerst staat in 95% van de regionale plannen');

    // A key indicator with its N, the previous figure, the change and a trend of three points.
    const indicator = main.getByRole('article', { name: 'Wonen Eerst opgenomen in regionaal plan' });
    await expect(indicator.locator('.indicator__figure')).toHaveText(
      /^\d+% \(\d+ van \d+ regio's\) – was \d+% in december 2025$/,
    );
    await expect(indicator.locator('.indicator__change')).toContainText('procentpunt');
    await expect(indicator.getByRole('img')).toHaveAttribute('aria-label', /juni 2025 \d+%, december 2025 \d+%, juni 2026 \d+%/);
    // The publishing test's rounds of 2024 may come first in the trend: the last three count.
    const trend = indicator.getByRole('table');
    const periods = await trend.getByRole('rowheader').allTextContents();
    expect(periods.slice(-3)).toEqual(['juni 2025', 'december 2025', 'juni 2026']);

    // Regions without approved answers are named, never counted as zero.
    const missing = main.getByRole('region', { name: "Regio's zonder gegevens" });
    await expect(missing.getByRole('link', { name: 'Groningen' })).toBeVisible();
    // Nothing of the open round, and no free text.
    await expect(main).not.toContainText('december 2026');
    await expectAccessible(page, 'public dashboard');
    await expectReflow(page, 'public dashboard');

    // One region, with its history and gemeenten.
    await missing.getByRole('link', { name: 'Groningen' }).click();
    await expect(page).toHaveURL(/\/dashboard\/2026-06\/regio\/R01$/);
    await waitForApp(page);
    await expect(heading(page)).toHaveText(`Groningen – dashboard ${LATEST}`);
    await expect(page.getByRole('main')).toContainText('Geen gegevens: de antwoorden van deze regio waren bij publicatie niet goedgekeurd');
    await expectAccessible(page, 'region without data');

    await open(page, '/dashboard/regio/R02');
    await expect(heading(page)).toHaveText(`Friesland – dashboard ${LATEST}`);
    const history = page.getByRole('main').getByRole('table').first();
    await expect(history.getByRole('columnheader').first()).toHaveText('Kernindicator');
    const columns = await history.getByRole('columnheader').allTextContents();
    expect(columns.slice(-3)).toEqual(['juni 2025', 'december 2025', 'juni 2026']);
    await expect(page.getByRole('main')).toContainText('Leeuwarden');
    await expectAccessible(page, 'region page');
    await expectReflow(page, 'region page');

    // An earlier publication has its own stable address.
    await open(page, '/dashboard/2025-12');
    await expect(heading(page)).toHaveText('Dashboard december 2025');
    await expect(page.getByRole('main')).toContainText('U bekijkt een eerdere publicatie');
  });

  test('unknown publications and regions are not found, in Dutch', async ({ page }) => {
    for (const path of ['/dashboard/2099-01', '/dashboard/regio/R99', '/dashboard/2026-06/regio/onzin']) {
      expectFailedRequest(page, 404, new RegExp(`${path}$`));
      const response = await open(page, path);
      expect(response?.status(), path).toBe(404);
      await expect(heading(page)).toHaveText('Publicatie niet gevonden');
    }
  });

  test('the open data lists every file with its checksum and serves it cheaply', async ({ page, request }) => {
    await open(page, '/');
    await page.getByRole('contentinfo').getByRole('link', { name: 'Open data' }).click();
    await expect(page).toHaveURL(/\/open-data$/);
    await waitForApp(page);
    await expect(heading(page)).toHaveText('Open data');
    const main = page.getByRole('main');
    await expect(main.getByRole('link', { name: 'CC BY 4.0' })).toBeVisible();
    const latest = main.getByRole('region', { name: /juni 2026/ });
    await expect(latest.getByRole('link', { name: /Lang formaat/ })).toHaveAttribute('href', '/open-data/2026-06/1/lang.csv');
    await expect(latest.locator('code.checksum').first()).toHaveText(/^[0-9a-f]{64}$/);
    await expectAccessible(page, 'open data');

    const file = await request.get('/open-data/2026-06/1/lang.csv');
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toContain('text/csv');
    const etag = file.headers()['etag'];
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(await file.text()).toContain('publicatie,editie,regio_code,regio_naam,sectie,item_key,kolom,status,waarde');
    const again = await request.get('/open-data/2026-06/1/lang.csv', { headers: { 'If-None-Match': etag } });
    expect(again.status()).toBe(304);
    const index = await (await request.get('/open-data/index.json')).json();
    // Newest first; a test's own publications of 2024 come after these.
    expect(index.dataset.map((d: { temporal: string }) => d.temporal).slice(0, 3)).toEqual(['juni 2026', 'december 2025', 'juni 2025']);
  });
});

test.describe('publiceren', () => {
  test('an admin sees what becomes public, publishes with conclusions and corrects', async ({ page }) => {
    // A round of its own, in the past so it never becomes the latest publication; each
    // project its own month, so each has its own public name.
    const month = javaScriptEnabled() ? '02' : '03';
    const name = `Publicatietest ${uniqueSuffix()}`;
    await login(page, ACCOUNTS.admin);
    await open(page, '/beheer/metingen');
    const create = page.getByRole('button', { name: 'Meting aanmaken' });
    await waitForEnhancedForm(create);
    const form = page.locator('form').filter({ has: create });
    await form.getByLabel('Naam').fill(name);
    await form.getByLabel('Vragenlijstversie').selectOption('nad/2026-06');
    await form.getByLabel('Openingsdatum').fill(`2024-${month}-01`);
    await form.getByLabel('Deadline').fill(`2024-${month}-20`);
    await create.click();
    await expect(heading(page)).toHaveText(name);
    const roundPage = page.url().replace(/\?.*$/, '');
    await page.getByRole('button', { name: 'Openen' }).click();
    await expect(page).toHaveURL(/melding=open$/);
    await page.getByRole('button', { name: 'Sluiten' }).click();
    await expect(page).toHaveURL(/melding=closed$/);

    await page.getByRole('link', { name: 'Publiceren…' }).click();
    await expect(page).toHaveURL(/\/publiceren$/);
    await waitForApp(page);
    await expect(heading(page)).toHaveText(`Publiceren: ${name}`);
    const main = page.getByRole('main');
    await expect(main).toContainText("0 van de 45 regio's hebben goedgekeurde antwoorden");
    await expect(main).toContainText('verschijnen als ‘geen gegevens’');
    await expect(main.getByRole('region', { name: 'Voorbeeld van de landelijke pagina' })).toBeVisible();
    await expectAccessible(page, 'publish page');

    // HTML in the conclusions is refused; nothing is published.
    const publish = page.getByRole('button', { name: 'Publiceren', exact: true });
    await waitForEnhancedForm(publish);
    await page.getByLabel('Conclusies').fill('Let op: <b>belangrijk</b>');
    await publish.click();
    await expect(errorSummary(page)).toContainText('Gebruik geen HTML');
    await expectAccessible(page, 'publish page with an error');
    expectFailedRequest(page, 404, new RegExp(`/dashboard/2024-${month}$`));
    await open(page, `/dashboard/2024-${month}`);
    await expect(heading(page)).toHaveText('Publicatie niet gevonden');

    await open(page, `${roundPage}/publiceren`);
    await waitForEnhancedForm(page.getByRole('button', { name: 'Publiceren', exact: true }));
    await page.getByLabel('Conclusies').fill('# Eerste conclusie\n\n- Geen enkele regio had goedgekeurde antwoorden.');
    await page.getByRole('button', { name: 'Publiceren', exact: true }).click();
    await expect(page).toHaveURL(/melding=gepubliceerd$/);
    await expect(page.getByRole('status')).toContainText('De meting is gepubliceerd');

    await open(page, `/dashboard/2024-${month}`);
    await expect(heading(page)).toHaveText(/^Dashboard (februari|maart) 2024$/);
    await expect(page.getByRole('main').getByRole('heading', { name: 'Eerste conclusie' })).toBeVisible();
    await expect(page.getByRole('main')).toContainText("0 van de 45 regio's hebben goedgekeurde antwoorden");

    // A correction: a note is required; the earlier edition stays.
    await open(page, roundPage);
    await page.getByRole('link', { name: 'Correctie publiceren…' }).click();
    await waitForApp(page);
    await expect(heading(page)).toHaveText(`Correctie publiceren: ${name}`);
    const correct = page.getByRole('button', { name: 'Correctie publiceren' });
    await waitForEnhancedForm(correct);
    await page.getByLabel('Conclusies').fill('# Gecorrigeerde conclusie\n\nNog steeds geen gegevens.');
    await page.getByLabel('Toelichting bij de correctie').fill('De conclusie is verduidelijkt.');
    await correct.click();
    await expect(page).toHaveURL(/melding=gecorrigeerd$/);

    await open(page, `/dashboard/2024-${month}`);
    const corrections = page.getByRole('region', { name: 'Correcties' });
    await expect(corrections).toContainText('(editie 2): De conclusie is verduidelijkt.');
    await expect(page.getByRole('main').getByRole('heading', { name: 'Gecorrigeerde conclusie' })).toBeVisible();
    await expectAccessible(page, 'corrected publication');
    await open(page, '/open-data');
    const section = page.getByRole('region', { name: new RegExp(name) });
    await expect(section.getByRole('heading', { level: 3 })).toHaveText([/^Editie 2/, /^Editie 1/]);
  });
});
