import {
  ACCOUNTS,
  type Account,
  errorSummary,
  expect,
  expectAccessible,
  expectFailedRequest,
  expectSignedInAs,
  heading,
  linkIn,
  login,
  logout,
  mailTo,
  open,
  QUESTIONNAIRE_TITLE,
  submitLogin,
  TASK_LIST_PAGE,
  test,
  uniqueSuffix,
  unknownEmail,
  waitForApp,
} from './support';
import type { Page } from '@playwright/test';

/**
 * Accounts people manage themselves, with the mail that leaves through a real SMTP server
 * (the sink global-setup.ts starts): an invitation, a forgotten password, "Mijn account".
 */

/** Chooses a password on the page a mailed link opens. */
async function choosePassword(page: Page, link: string, password: string) {
  const url = new URL(link);
  await open(page, url.pathname + url.search);
  await page.getByLabel('Nieuw wachtwoord').fill(password);
  await page.getByRole('main').getByRole('button', { name: /wachtwoord instellen/i }).click();
}

test.describe('uitnodiging en wachtwoord', () => {
  test('an invited coordinator chooses a password through the mailed link and logs in', async ({ page }) => {
    const suffix = uniqueSuffix();
    const email = `e2e-uitgenodigd-${suffix}@nad.example`;
    const name = `Uitgenodigde ${suffix}`;

    await login(page, ACCOUNTS.admin);
    await open(page, '/beheer/gebruikers');
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Gebruiker uitnodigen' }) });
    await form.getByLabel('E-mailadres').fill(email);
    await form.getByLabel('Naam').fill(name);
    await form.getByLabel('Rol').selectOption('coordinator');
    await form.getByLabel('Regio').selectOption('R03');
    await form.getByRole('button', { name: 'Gebruiker uitnodigen' }).click();
    await expect(page).toHaveURL('/beheer/gebruikers?melding=uitgenodigd');
    await expect(page.getByRole('status')).toContainText('krijgt een e-mail met een link');
    const row = page.getByRole('main').getByRole('table').getByRole('row').filter({ hasText: email });
    await expect(row.getByRole('cell').nth(4)).toHaveText('Uitgenodigd');

    const mail = await mailTo(email, /Uitnodiging voor de Monitor Eerst een Thuis/);
    expect(mail.text).toContain(`Beste ${name},`);
    expect(mail.text).toContain('Regiocoördinator');
    expect(mail.html).toContain('<a href=');
    const link = linkIn(mail);

    // The outbox page shows the mail as sent.
    await open(page, '/beheer/uitgaande-mail');
    await expect(heading(page)).toHaveText('Uitgaande e-mail');
    const item = page.getByRole('listitem').filter({ hasText: email }).first();
    await expect(item).toContainText('Uitnodiging');
    await expect(item).toContainText('Verzonden');
    await expectAccessible(page, 'outbox page');
    await logout(page);

    // A password that breaks the rules: told what is wrong; the link still works.
    expectFailedRequest(page, 422, /\/api\/account\/choose_password$/);
    await choosePassword(page, link, 'kort');
    await expect(errorSummary(page)).toContainText('minstens 12 tekens');
    await expect(heading(page)).toHaveText('Welkom: kies uw wachtwoord');
    await expectAccessible(page, 'choose password with an error');

    const password = `mijn eigen wachtwoord ${suffix}`;
    await choosePassword(page, link, password);
    await expect(page).toHaveURL('/login?wachtwoord=gekozen');
    await expect(page.getByRole('status')).toContainText('Uw wachtwoord is ingesteld');
    const account: Account = {
      email,
      password,
      name,
      roleLabel: 'Regiocoördinator · Noord- en Midden-Drenthe',
      startPage: TASK_LIST_PAGE,
      startHeading: QUESTIONNAIRE_TITLE,
    };
    await submitLogin(page, email, password);
    await expect(page).toHaveURL(account.startPage);
    await waitForApp(page);
    await expectSignedInAs(page, account);
    await logout(page);

    // The link works once.
    await open(page, new URL(link).pathname + new URL(link).search);
    await expect(heading(page)).toHaveText('Deze link werkt niet');
    await expect(page.getByRole('alert')).toContainText('al gebruikt');
  });

  test('a forgotten password is reset through a mailed link, without revealing who has an account', async ({ page }) => {
    // A fresh coordinator, so no other test's password changes.
    await login(page, ACCOUNTS.admin);
    const suffix = uniqueSuffix();
    const email = `e2e-vergeten-${suffix}@nad.example`;
    const invited = await page.request.post('/api/users/create', {
      form: { email, display_name: `Vergeetachtig ${suffix}`, role: 'coordinator', region_code: 'R07' },
    });
    expect(invited.ok()).toBe(true);
    const first = `mijn eerste wachtwoord ${suffix}`;
    await choosePassword(page, linkIn(await mailTo(email, /Uitnodiging/)), first);
    await expect(page).toHaveURL('/login?wachtwoord=gekozen');

    await open(page, '/login');
    await page.getByRole('link', { name: 'Wachtwoord vergeten?' }).click();
    await expect(heading(page)).toHaveText('Wachtwoord vergeten');
    await expectAccessible(page, 'forgot password page');
    const ask = async (address: string) => {
      await open(page, '/wachtwoord-vergeten');
      await page.getByLabel('E-mailadres').fill(address);
      await page.getByRole('button', { name: 'Stuur mij een link' }).click();
      await expect(page).toHaveURL('/wachtwoord-vergeten?verstuurd=1');
      return page.getByRole('status').innerText();
    };
    const asked = Date.now();
    // The same answer for an address without an account.
    expect(await ask(unknownEmail())).toBe(await ask(email));

    const mail = await mailTo(email, /Nieuw wachtwoord kiezen/, asked);
    expect(mail.text).toContain('60 minuten geldig');
    const second = `mijn tweede wachtwoord ${suffix}`;
    await choosePassword(page, linkIn(mail), second);
    await expect(page).toHaveURL('/login?wachtwoord=gekozen');
    expectFailedRequest(page, 422, /\/api\/login$/);
    await submitLogin(page, email, first);
    await expect(errorSummary(page)).toContainText('Het e-mailadres of het wachtwoord is onjuist.');
    await open(page, '/login');
    await submitLogin(page, email, second);
    await expect(page).toHaveURL(TASK_LIST_PAGE);
    // A mail says the password changed.
    await mailTo(email, /Uw wachtwoord is gewijzigd/, asked);
  });
});

test.describe('mijn account', () => {
  test('shows who you are and where you are logged in, and changes your password', async ({ page, browser }) => {
    await login(page, ACCOUNTS.admin);
    const suffix = uniqueSuffix();
    const email = `e2e-account-${suffix}@nad.example`;
    const name = `Accounthouder ${suffix}`;
    await page.request.post('/api/users/create', {
      form: { email, display_name: name, role: 'coordinator', region_code: 'R05' },
    });
    const first = `een eerste lang wachtwoord ${suffix}`;
    await choosePassword(page, linkIn(await mailTo(email, /Uitnodiging/)), first);
    await expect(page).toHaveURL('/login?wachtwoord=gekozen');
    await submitLogin(page, email, first);
    await expect(page).toHaveURL(TASK_LIST_PAGE);
    await waitForApp(page);

    // A second device.
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto('/login');
    await submitLogin(otherPage, email, first);
    await expect(otherPage).toHaveURL(TASK_LIST_PAGE);

    await page.getByRole('banner').getByRole('link', { name: 'Mijn account' }).click();
    await expect(heading(page)).toHaveText('Mijn account');
    const main = page.getByRole('main');
    await expect(main.getByText(email)).toBeVisible();
    await expect(main.getByText('Regiocoördinator', { exact: true })).toBeVisible();
    const sessions = main.getByRole('table');
    await expect(sessions.locator('tbody tr')).toHaveCount(2);
    await expect(sessions.getByText('(deze sessie)')).toHaveCount(1);
    await expect(main.getByLabel('Huidig wachtwoord')).toHaveAttribute('autocomplete', 'current-password');
    await expect(main.getByLabel('Nieuw wachtwoord')).toHaveAttribute('autocomplete', 'new-password');
    await expectAccessible(page, 'my account page');

    // A wrong current password changes nothing.
    expectFailedRequest(page, 422, /\/api\/account\/password$/);
    await main.getByLabel('Huidig wachtwoord').fill('niet mijn wachtwoord');
    await main.getByLabel('Nieuw wachtwoord').fill(`een tweede lang wachtwoord ${suffix}`);
    await main.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
    await expect(errorSummary(page)).toContainText('Uw huidige wachtwoord klopt niet.');

    await open(page, '/mijn-account');
    await page.getByLabel('Huidig wachtwoord').fill(first);
    await page.getByLabel('Nieuw wachtwoord').fill(`een tweede lang wachtwoord ${suffix}`);
    await page.getByRole('button', { name: 'Wachtwoord wijzigen' }).click();
    await expect(page).toHaveURL('/mijn-account?melding=wachtwoord');
    await expect(page.getByRole('status')).toContainText('Uw wachtwoord is gewijzigd');
    // The other device was logged out; this one goes on.
    await expect(page.getByRole('main').getByRole('table').locator('tbody tr')).toHaveCount(1);
    await otherPage.goto('/mijn-account');
    await expect(otherPage).toHaveURL(/\/login\?terug=/);
    await other.close();
    await mailTo(email, /Uw wachtwoord is gewijzigd/);
  });
});
