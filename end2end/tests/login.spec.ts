import {
  ACCOUNTS,
  LOGIN_FAILED,
  errorSummary,
  expect,
  expectAccessible,
  expectFailedRequest,
  expectSignedInAs,
  expectSignedOut,
  heading,
  javaScriptEnabled,
  login,
  logout,
  open,
  submitLogin,
  test,
  unknownEmail,
  waitForApp,
} from './support';

test.describe('inloggen', () => {
  test('the login page is labelled for password managers and assistive technology', async ({ page }) => {
    await open(page, '/login');
    await expect(heading(page)).toHaveText('Inloggen');
    const email = page.getByLabel('E-mailadres');
    const password = page.getByLabel('Wachtwoord');
    await expect(email).toHaveAttribute('name', 'email');
    await expect(email).toHaveAttribute('autocomplete', 'username');
    await expect(password).toHaveAttribute('name', 'password');
    await expect(password).toHaveAttribute('autocomplete', 'current-password');
    await expect(password).toHaveAttribute('type', 'password');
    await expectSignedOut(page);
    await expectAccessible(page, 'login page');
  });

  for (const [key, account] of Object.entries(ACCOUNTS)) {
    test(`${key} logs in and lands on ${account.startPage}`, async ({ page }) => {
      await login(page, account);
      await expectSignedInAs(page, account);
      await expectAccessible(page, `start page of ${key}`);
      // The session holds: a reload (a new request to the server) shows the same user.
      await page.reload();
      await waitForApp(page);
      await expect(heading(page)).toHaveText(account.startHeading);
      await expectSignedInAs(page, account);
    });
  }

  test('the reviewer sees all 45 regions', async ({ page }) => {
    await login(page, ACCOUNTS.reviewer);
    const table = page.getByRole('main').getByRole('region', { name: "Regio's NAD" }).getByRole('table');
    await expect(table.locator('tbody tr')).toHaveCount(45);
    await expect(table.getByRole('link', { name: 'Groningen', exact: true })).toHaveAttribute('href', '/regio/R01');
  });

  test('the admin start page links to users and regions', async ({ page }) => {
    await login(page, ACCOUNTS.admin);
    const main = page.getByRole('main');
    await expect(main.getByRole('link', { name: 'Gebruikers' })).toHaveAttribute('href', '/beheer/gebruikers');
    const regions = main.getByRole('link', { name: "Regio's en gemeenten" });
    await expect(regions).toHaveAttribute('href', '/beheer/regios');
    await regions.click();
    await expect(page).toHaveURL('/beheer/regios');
    await expect(heading(page)).toHaveText("Regio's en gemeenten beheren");
    // The list of regions taking part: a region retired by another test is listed apart.
    await open(page, '/regios');
    await expect(heading(page)).toHaveText("Regio's");
    await waitForApp(page);
    await expect(page.getByRole('main').getByRole('region', { name: "Regio's NAD" }).locator('tbody tr')).toHaveCount(45);
    await expectAccessible(page, 'regions list');
  });
});

test.describe('mislukt inloggen', () => {
  // The server slows down logins after 5 failures per account and 20 per client address
  // within 15 minutes, and every test comes from 127.0.0.1. So each project makes exactly
  // two failed attempts: a wrong password for a different demo account per project, and an
  // address that has no account.
  const victim = () => (javaScriptEnabled() ? ACCOUNTS.reviewer : ACCOUNTS.utrecht);

  test('a wrong password shows the generic error and starts no session', async ({ page }) => {
    expectFailedRequest(page, 422, /\/api\/login$/);
    await open(page, '/login');
    await submitLogin(page, victim().email, 'dit-is-niet-het-wachtwoord');
    await expectLoginRefused(page);
    await expectAccessible(page, 'login page with error');
    await expectNoSession(page);
  });

  test('an unknown e-mail address gets the same error and no session', async ({ page }) => {
    expectFailedRequest(page, 422, /\/api\/login$/);
    await open(page, '/login');
    await submitLogin(page, unknownEmail(), 'een wachtwoord dat nergens bij hoort');
    await expectLoginRefused(page);
    await expectNoSession(page);
  });

  async function expectLoginRefused(page: import('@playwright/test').Page) {
    const summary = errorSummary(page);
    await expect(summary).toBeVisible();
    await expect(summary).toContainText(LOGIN_FAILED);
    // The summary links to the field it is about.
    await expect(summary.getByRole('link')).toHaveAttribute('href', '#veld-email');
    await expect(page.getByLabel('E-mailadres')).toHaveAttribute('aria-invalid', 'true');
    expect(new URL(page.url()).pathname).toBe('/login');
    await expect(heading(page)).toHaveText('Inloggen');
    await expectSignedOut(page);
  }

  async function expectNoSession(page: import('@playwright/test').Page) {
    const cookies = await page.context().cookies();
    expect(cookies, 'no cookie is set by a failed login').toEqual([]);
    await open(page, '/regio/R01');
    await expect(page).toHaveURL('/login?terug=/regio/R01');
    await expectSignedOut(page);
  }
});

test.describe('uitloggen', () => {
  test('logging out ends the session', async ({ page }) => {
    await login(page, ACCOUNTS.groningen);
    await expectSignedInAs(page, ACCOUNTS.groningen);
    await logout(page);
    await expect(heading(page)).toHaveText('Inloggen');
    await expectSignedOut(page);
    await expectAccessible(page, 'login page after logout');
    // The old session is gone: the protected page sends us to the login page again.
    await open(page, '/regio/R01');
    await expect(page).toHaveURL('/login?terug=/regio/R01');
    await expect(heading(page)).toHaveText('Inloggen');
  });
});

test.describe('terug na inloggen', () => {
  test('an anonymous visitor is sent to login and back to the page afterwards', async ({ page }) => {
    await open(page, '/regio/R16');
    await expect(page).toHaveURL('/login?terug=/regio/R16');
    await expect(heading(page)).toHaveText('Inloggen');
    await expect(page.getByRole('status')).toHaveText(
      'Log in om verder te gaan. U komt daarna terug op de pagina waar u was.',
    );
    await expectAccessible(page, 'login page with terug');
    // The reviewer's start page is /regios; ?terug takes precedence.
    await submitLogin(page, ACCOUNTS.reviewer.email, ACCOUNTS.reviewer.password);
    await expect(page).toHaveURL('/regio/R16');
    await expect(heading(page)).toHaveText('Regio Utrecht');
    await waitForApp(page);
    await expectSignedInAs(page, ACCOUNTS.reviewer);
    await expectAccessible(page, 'region page for reviewer');
  });

  test('the admin returns to the users page', async ({ page }) => {
    await open(page, '/beheer/gebruikers');
    await expect(page).toHaveURL('/login?terug=/beheer/gebruikers');
    await submitLogin(page, ACCOUNTS.admin.email, ACCOUNTS.admin.password);
    await expect(page).toHaveURL('/beheer/gebruikers');
    await expect(heading(page)).toHaveText('Gebruikers');
    await waitForApp(page);
    await expectSignedInAs(page, ACCOUNTS.admin);
  });

  test('a link to another site in ?terug is ignored', async ({ page }) => {
    await open(page, '/login?terug=' + encodeURIComponent('//voorbeeld.example/'));
    await submitLogin(page, ACCOUNTS.groningen.email, ACCOUNTS.groningen.password);
    await expect(page).toHaveURL(ACCOUNTS.groningen.startPage);
    await expect(heading(page)).toHaveText(ACCOUNTS.groningen.startHeading);
  });
});
