import { ACCOUNTS, expect, expectAccessible, expectFailedRequest, heading, login, open, test } from './support';
import * as path from 'node:path';

const broken = path.join(__dirname, '..', '..', 'questionnaires', 'broken', 'duplicate-key.toml');

test.describe('vragenlijsten', () => {
  test('an admin sees the loaded versions and previews one as a coordinator would see it', async ({ page }) => {
    await login(page, ACCOUNTS.admin);
    await open(page, '/beheer/vragenlijsten');
    await expect(heading(page)).toHaveText('Vragenlijsten');
    const table = page.getByRole('main').getByRole('table');
    await expect(table).toContainText('2026-06');
    await expect(table).toContainText('2025-12');
    await expectAccessible(page, 'questionnaire list');

    await table.getByRole('link', { name: '2026-06' }).click();
    await expect(page).toHaveURL(/\/beheer\/vragenlijsten\/nad\/2026-06$/);
    await expect(heading(page)).toContainText('Voorbeeld');
    // Choice groups are fieldsets with a legend; the logic of each item is spelled out.
    await expect(page.getByRole('group', { name: /Wonen Eerst/ }).first()).toBeVisible();
    await expect(page.getByText('Wordt alleen gesteld als:').first()).toBeVisible();
    await expect(page.getByText(/Hernoemd; heette/).first()).toBeVisible();
    await expectAccessible(page, 'questionnaire preview');
  });

  test('a broken definition file is refused with every problem located', async ({ page }) => {
    await login(page, ACCOUNTS.admin);
    await open(page, '/beheer/vragenlijsten');
    await page.getByLabel('Definitiebestand (.toml)').setInputFiles(broken);
    await page.getByRole('button', { name: 'Controleren en laden' }).click();
    await expect(page).toHaveURL(/\/beheer\/vragenlijsten\/poging\//);
    await expect(heading(page)).toHaveText('Vragenlijst niet geladen');
    await expect(page.getByRole('alert')).toContainText(
      'duplicate-key.toml: regel 23, vraag a_keuze: de sleutel komt ook voor op regel 16',
    );
    await expectAccessible(page, 'refused definition');
  });

  test('a coordinator can not reach the questionnaire pages', async ({ page }) => {
    await login(page, ACCOUNTS.groningen);
    expectFailedRequest(page, 403, /\/beheer\/vragenlijsten\/nad\/2026-06$/);
    await open(page, '/beheer/vragenlijsten/nad/2026-06');
    await expect(heading(page)).toHaveText('Geen toegang');
  });
});
