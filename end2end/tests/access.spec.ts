import {
  ACCOUNTS,
  expect,
  expectAccessible,
  expectFailedRequest,
  expectSignedInAs,
  heading,
  login,
  open,
  test,
} from './support';

test.describe('toegang', () => {
  test("a coordinator is refused another region's page", async ({ page }) => {
    expectFailedRequest(page, 403, /\/regio\/R03$/);
    await login(page, ACCOUNTS.groningen);
    const response = await open(page, '/regio/R03');
    expect(response?.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(['Geen toegang']);
    await expect(page.getByRole('main')).not.toContainText('Noord- en Midden-Drenthe');
    await expectSignedInAs(page, ACCOUNTS.groningen);
    await expectAccessible(page, '403 page (other region)');
  });

  test('a coordinator is refused the admin pages', async ({ page }) => {
    expectFailedRequest(page, 403, /\/beheer(\/gebruikers)?$/);
    await login(page, ACCOUNTS.assen);
    for (const path of ['/beheer', '/beheer/gebruikers']) {
      const response = await open(page, path);
      expect(response?.status(), path).toBe(403);
      // Only the refusal: no heading, table or form of the admin page around it. (Soft, so
      // the accessibility check below still runs and the next page is still tried.)
      await expect(page.getByRole('heading', { name: 'Geen toegang', level: 1 })).toBeVisible();
      await expect.soft(page.getByRole('heading', { level: 1 }), `${path}: one h1`).toHaveText(['Geen toegang']);
      await expect.soft(page.getByRole('main').getByRole('table'), `${path}: no table`).toHaveCount(0);
      await expect.soft(page.getByRole('main').locator('form'), `${path}: no form`).toHaveCount(0);
      await expectAccessible(page, `403 page (${path})`);
    }
  });

  test('a coordinator is refused the list of regions', async ({ page }) => {
    expectFailedRequest(page, 403, /\/regios$/);
    await login(page, ACCOUNTS.utrecht);
    const response = await open(page, '/regios');
    expect(response?.status()).toBe(403);
    await expect(heading(page)).toHaveText('Geen toegang');
  });

  test('an unknown address shows the 404 page', async ({ page }) => {
    expectFailedRequest(page, 404, /\/bestaat-niet$/);
    const response = await open(page, '/bestaat-niet');
    expect(response?.status()).toBe(404);
    await expect(heading(page)).toHaveText('Pagina niet gevonden');
    await expectAccessible(page, '404 page');
  });

  test('an unknown region shows the 404 page to a reviewer', async ({ page }) => {
    expectFailedRequest(page, 404, /\/regio\/R99$/);
    await login(page, ACCOUNTS.reviewer);
    const response = await open(page, '/regio/R99');
    expect(response?.status()).toBe(404);
    await expect(heading(page)).toHaveText('Pagina niet gevonden');
  });
});
