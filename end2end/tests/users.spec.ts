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
  mailTo,
  logout,
  open,
  QUESTIONNAIRE_TITLE,
  submitLogin,
  TASK_LIST_PAGE,
  test,
  uniqueSuffix,
  waitForApp,
  waitForEnhancedForm,
} from './support';
import type { Page } from '@playwright/test';

type NewUser = { email: string; name: string; role: string; region: string };

/** Fills in "Gebruiker uitnodigen" on /beheer/gebruikers and submits it. */
async function addUser(page: Page, user: NewUser) {
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Gebruiker uitnodigen' }) });
  await waitForEnhancedForm(form.getByRole('button', { name: 'Gebruiker uitnodigen' }));
  await form.getByLabel('E-mailadres').fill(user.email);
  await form.getByLabel('Naam').fill(user.name);
  await form.getByLabel('Rol').selectOption(user.role);
  await form.getByLabel('Regio').selectOption(user.region);
  await form.getByRole('button', { name: 'Gebruiker uitnodigen' }).click();
}

test.describe('gebruikersbeheer', () => {
  test('the users page lists the demo accounts with their actions', async ({ page }) => {
    await login(page, ACCOUNTS.admin);
    await open(page, '/beheer/gebruikers');
    await expect(heading(page)).toHaveText('Gebruikers');
    const table = page.getByRole('main').getByRole('table');
    for (const account of Object.values(ACCOUNTS)) {
      const row = table.getByRole('row').filter({ hasText: account.email });
      await expect(row).toHaveCount(1);
      await expect(row.getByRole('cell').first()).toHaveText(account.name);
      await expect(row.getByRole('button', { name: `Blokkeren: ${account.name}` })).toBeVisible();
      await expect(row.getByRole('link', { name: `Bewerken: ${account.name}` })).toBeVisible();
    }
    const role = page.getByLabel('Rol');
    await expect(role.locator('option')).toHaveText(['Regiocoördinator', 'Reviewer', 'Beheerder']);
    const values = await role.locator('option').evaluateAll((options) =>
      options.map((option) => (option as HTMLOptionElement).value),
    );
    expect(values).toEqual(['coordinator', 'reviewer', 'admin']);
    const region = page.getByLabel('Regio');
    await expect(region.locator('option').first()).toHaveText('Geen regio (beheerder of reviewer)');
    // NAD's 45 regions and Beschermd Thuis's six.
    await expect(region.locator('option')).toHaveCount(52);
    await expectAccessible(page, 'users page');
  });

  test('an admin invites a coordinator, who chooses a password and can then log in', async ({ page }) => {
    const suffix = uniqueSuffix();
    const user: NewUser = {
      email: `e2e-${suffix}@nad.example`,
      name: `Test Coördinator ${suffix}`,
      role: 'coordinator',
      region: 'R03',
    };

    await login(page, ACCOUNTS.admin);
    await open(page, '/beheer/gebruikers');
    await addUser(page, user);

    await expect(page).toHaveURL('/beheer/gebruikers?melding=uitgenodigd');
    await expect(page.getByRole('status')).toHaveText(
      'De gebruiker is aangemaakt en krijgt een e-mail met een link om een wachtwoord te kiezen.',
    );
    await waitForApp(page);
    const row = page.getByRole('main').getByRole('table').getByRole('row').filter({ hasText: user.email });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('cell')).toHaveText([
      user.name,
      user.email,
      'Regiocoördinator',
      'Noord- en Midden-Drenthe',
      'Uitgenodigd',
      '–',
      /Blokkeren.*Bewerken/,
    ]);
    await expectAccessible(page, 'users page after inviting a user');

    await logout(page);
    const password = 'een nieuw lang wachtwoord';
    const link = new URL(linkIn(await mailTo(user.email, /Uitnodiging/)));
    await open(page, link.pathname + link.search);
    await page.getByLabel('Nieuw wachtwoord').fill(password);
    await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
    await expect(page).toHaveURL('/login?wachtwoord=gekozen');

    const newAccount: Account = {
      email: user.email,
      password,
      name: user.name,
      roleLabel: 'Regiocoördinator · Noord- en Midden-Drenthe',
      startPage: TASK_LIST_PAGE,
      startHeading: QUESTIONNAIRE_TITLE,
    };
    await submitLogin(page, newAccount.email, newAccount.password);
    // Like the demo coordinator of R03: straight to the task list of the open round.
    await expect(page).toHaveURL(newAccount.startPage);
    await expect(heading(page)).toHaveText(newAccount.startHeading);
    await waitForApp(page);
    await expectSignedInAs(page, newAccount);
    await expectAccessible(page, 'start page of the new coordinator');
    // The region page lists the new coordinator next to the demo one.
    await open(page, '/regio/R03');
    await expect(heading(page)).toHaveText('Regio Noord- en Midden-Drenthe');
    await expect(page.getByRole('main').getByRole('link', { name: user.email })).toBeVisible();
  });

  test('the add form explains what is wrong and adds nobody', async ({ page }) => {
    expectFailedRequest(page, 422, /\/api\/users\/create$/);
    const suffix = uniqueSuffix();
    // An address that already has an account, for a coordinator without a region.
    const email = ACCOUNTS.assen.email.toUpperCase();
    const name = `Fout ${suffix}`;

    await login(page, ACCOUNTS.admin);
    await open(page, '/beheer/gebruikers');
    await addUser(page, { email, name, role: 'coordinator', region: '' });

    const summary = errorSummary(page);
    await expect(summary).toBeVisible();
    expect(new URL(page.url()).pathname).toBe('/beheer/gebruikers');
    await expect(page).not.toHaveURL(/melding=aangemaakt/);
    await expect(summary.locator('a[href="#veld-email"]')).toHaveCount(1);
    await expect(summary).toContainText('Er is al een gebruiker met dit e-mailadres.');
    await expect(summary.locator('a[href="#veld-region-code"]')).toHaveCount(1);
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Gebruiker uitnodigen' }) });
    await expect(form.getByLabel('E-mailadres')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByLabel('Regio')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByLabel('Naam')).not.toHaveAttribute('aria-invalid', 'true');
    await expectAccessible(page, 'users page with form errors');

    // The summary's link takes the keyboard to the field.
    await summary.locator('a[href="#veld-region-code"]').focus();
    await page.keyboard.press('Enter');
    await expect(form.getByLabel('Regio')).toBeFocused();

    // Nobody was added.
    await open(page, '/beheer/gebruikers');
    await expect(page.getByRole('main').getByRole('table').getByRole('row').filter({ hasText: name })).toHaveCount(0);
  });

  test('an admin edits an account and sees when it was last used', async ({ page }) => {
    const suffix = uniqueSuffix();
    const email = `e2e-bewerk-${suffix}@nad.example`;
    await login(page, ACCOUNTS.admin);
    const invited = await page.request.post('/api/users/create', {
      form: { email, display_name: `Te Bewerken ${suffix}`, role: 'reviewer', region_code: '' },
    });
    expect(invited.ok()).toBe(true);
    await open(page, '/beheer/gebruikers');
    await page.getByRole('link', { name: `Bewerken: Te Bewerken ${suffix}` }).click();
    await expect(heading(page)).toHaveText(`Te Bewerken ${suffix}`);
    const main = page.getByRole('main');
    await expect(main.getByLabel('E-mailadres')).toHaveValue(email);
    await expect(main.getByLabel('Rol')).toHaveValue('reviewer');
    await expect(main.getByText('Nog nooit')).toBeVisible();
    await expect(main.getByRole('button', { name: 'Uitnodiging opnieuw sturen' })).toBeVisible();
    await expectAccessible(page, 'user page');

    // A reviewer with a region is refused, with the reason at the field.
    expectFailedRequest(page, 422, /\/api\/users\/update$/);
    // (A reviewer's page also has "Regio als regioadviseur".)
    await main.getByLabel('Regio', { exact: true }).selectOption('R07');
    await main.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
    await expect(errorSummary(page)).toContainText('Alleen regiocoördinatoren horen bij een regio.');

    await open(page, page.url().split('?')[0]);
    await page.getByLabel('Naam').fill(`Bewerkt ${suffix}`);
    await page.getByLabel('Rol').selectOption('coordinator');
    await page.getByLabel('Regio', { exact: true }).selectOption('R07');
    await page.getByRole('button', { name: 'Wijzigingen opslaan' }).click();
    await expect(page).toHaveURL('/beheer/gebruikers?melding=gewijzigd');
    const row = page.getByRole('main').getByRole('table').getByRole('row').filter({ hasText: email });
    await expect(row.getByRole('cell').first()).toHaveText(`Bewerkt ${suffix}`);
    await expect(row.getByRole('cell').nth(2)).toHaveText('Regiocoördinator');

    // The audit trail says who changed what.
    await open(page, '/beheer/audit');
    await expect(page.getByRole('main')).toContainText('Gebruikersgegevens gewijzigd');
  });
});
