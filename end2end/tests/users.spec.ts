import {
  ACCOUNTS,
  type Account,
  errorSummary,
  expect,
  expectAccessible,
  expectFailedRequest,
  expectSignedInAs,
  heading,
  login,
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

type NewUser = { email: string; name: string; role: string; region: string; password: string };

/** Fills in "Gebruiker toevoegen" on /beheer/gebruikers and submits it. */
async function addUser(page: Page, user: NewUser) {
  const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Gebruiker toevoegen' }) });
  await waitForEnhancedForm(form.getByRole('button', { name: 'Gebruiker toevoegen' }));
  await form.getByLabel('E-mailadres').fill(user.email);
  await form.getByLabel('Naam').fill(user.name);
  await form.getByLabel('Rol').selectOption(user.role);
  await form.getByLabel('Regio').selectOption(user.region);
  await form.getByLabel('Wachtwoord').fill(user.password);
  await form.getByRole('button', { name: 'Gebruiker toevoegen' }).click();
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
      await expect(row.getByRole('link', { name: `Nieuw wachtwoord voor ${account.name}` })).toBeVisible();
    }
    const role = page.getByLabel('Rol');
    await expect(role.locator('option')).toHaveText(['Regiocoördinator', 'Reviewer', 'Beheerder']);
    const values = await role.locator('option').evaluateAll((options) =>
      options.map((option) => (option as HTMLOptionElement).value),
    );
    expect(values).toEqual(['coordinator', 'reviewer', 'admin']);
    const region = page.getByLabel('Regio');
    await expect(region.locator('option').first()).toHaveText('Geen regio (beheerder of reviewer)');
    await expect(region.locator('option')).toHaveCount(46);
    await expectAccessible(page, 'users page');
  });

  test('an admin adds a coordinator, who can then log in', async ({ page }) => {
    const suffix = uniqueSuffix();
    const user: NewUser = {
      email: `e2e-${suffix}@nad.example`,
      name: `Test Coördinator ${suffix}`,
      role: 'coordinator',
      region: 'R03',
      password: 'een nieuw lang wachtwoord',
    };

    await login(page, ACCOUNTS.admin);
    await open(page, '/beheer/gebruikers');
    await addUser(page, user);

    await expect(page).toHaveURL('/beheer/gebruikers?melding=aangemaakt');
    await expect(page.getByRole('status')).toHaveText('De gebruiker is aangemaakt en kan nu inloggen.');
    await waitForApp(page);
    const row = page.getByRole('main').getByRole('table').getByRole('row').filter({ hasText: user.email });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('cell')).toHaveText([
      user.name,
      user.email,
      'Regiocoördinator',
      'Noord- en Midden-Drenthe',
      'Actief',
      /Blokkeren.*Nieuw wachtwoord/,
    ]);
    await expectAccessible(page, 'users page after adding a user');

    await logout(page);

    const newAccount: Account = {
      email: user.email,
      password: user.password,
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
    const email = `e2e-fout-${suffix}@nad.example`;

    await login(page, ACCOUNTS.admin);
    await open(page, '/beheer/gebruikers');
    // A coordinator without a region, and a password that is too short.
    await addUser(page, { email, name: `Fout ${suffix}`, role: 'coordinator', region: '', password: 'kort' });

    const summary = errorSummary(page);
    await expect(summary).toBeVisible();
    expect(new URL(page.url()).pathname).toBe('/beheer/gebruikers');
    await expect(page).not.toHaveURL(/melding=aangemaakt/);
    await expect(summary.locator('a[href="#veld-password"]')).toHaveCount(1);
    await expect(summary.locator('a[href="#veld-region-code"]')).toHaveCount(1);
    const form = page.locator('form').filter({ has: page.getByRole('button', { name: 'Gebruiker toevoegen' }) });
    await expect(form.getByLabel('Wachtwoord')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByLabel('Regio')).toHaveAttribute('aria-invalid', 'true');
    await expect(form.getByLabel('E-mailadres')).not.toHaveAttribute('aria-invalid', 'true');
    await expectAccessible(page, 'users page with form errors');

    // The summary's link takes the keyboard to the field.
    await summary.locator('a[href="#veld-password"]').focus();
    await page.keyboard.press('Enter');
    await expect(form.getByLabel('Wachtwoord')).toBeFocused();

    // Nobody was added.
    await open(page, '/beheer/gebruikers');
    await expect(page.getByRole('main').getByRole('table').getByRole('row').filter({ hasText: email })).toHaveCount(0);
  });
});
