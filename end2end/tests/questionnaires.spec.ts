import { ACCOUNTS, expect, expectAccessible, expectFailedRequest, heading, login, open, test } from './support';
import * as fs from 'node:fs';
import * as os from 'node:os';
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

    // Beschermd Thuis has a version 2026-06 too: the NAD's.
    await table.locator('a[href="/beheer/vragenlijsten/nad/2026-06"]').click();
    await expect(page).toHaveURL(/\/beheer\/vragenlijsten\/nad\/2026-06$/);
    await expect(heading(page)).toContainText('Voorbeeld');
    // Choice groups are fieldsets with a legend; the logic of each item is spelled out.
    await expect(page.getByRole('group', { name: /Wonen Eerst/ }).first()).toBeVisible();
    await expect(page.getByText(/Wordt alleen gesteld als .* is /).first()).toBeVisible();
    await expect(page.getByText(/Hernoemd; heette/).first()).toBeVisible();
    // What changed against 2025-12, as comparison will treat each item.
    await expect(page.getByRole('heading', { name: 'Wat verandert ten opzichte van versie 2025-12' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Wijzigingen per vraag' })).toContainText('Hernoemd: vergeleken');
    await expectAccessible(page, 'questionnaire preview');
  });

  test('a broken definition file is refused with every problem located', async ({ page }) => {
    await login(page, ACCOUNTS.admin);
    await open(page, '/beheer/vragenlijsten');
    await page.getByLabel('Definitiebestand (.toml, .xlsx of .csv)').setInputFiles(broken);
    await page.getByRole('button', { name: 'Controleren', exact: true }).click();
    await expect(page).toHaveURL(/\/beheer\/vragenlijsten\/poging\//);
    await expect(heading(page)).toHaveText('Vragenlijst niet geladen');
    await expect(page.getByRole('alert')).toContainText(
      'duplicate-key.toml: regel 23, vraag a_keuze: de sleutel komt ook voor op regel 16',
    );
    await expectAccessible(page, 'refused definition');
  });

  test('an uploaded file is previewed before it is stored, and may be discarded', async ({ page }) => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vragenlijst-'));
    const file = path.join(folder, 'proef.toml');
    fs.writeFileSync(
      file,
      [
        'identifier = "proef"',
        'version = "1"',
        'title = "Proefvragenlijst"',
        'introduction = "Een proef."',
        '[[section]]',
        'key = "A"',
        'title = "Alles"',
        '[[section.item]]',
        'key = "plan"',
        'type = "yes_no"',
        'label = "Is er een plan?"',
        '[[section.item]]',
        'key = "toelichting"',
        'type = "long_text"',
        'label = "Toelichting"',
        'visible_if = "plan == \'nee\'"',
      ].join('\n'),
    );
    await login(page, ACCOUNTS.admin);
    await open(page, '/beheer/vragenlijsten');
    await page.getByLabel('Definitiebestand (.toml, .xlsx of .csv)').setInputFiles(file);
    await page.getByRole('button', { name: 'Controleren', exact: true }).click();
    await expect(page).toHaveURL(/\/beheer\/vragenlijsten\/controle\//);
    await expect(heading(page)).toHaveText('Controleren: Proefvragenlijst (versie 1)');
    await expect(page.getByText('Het bestand proef.toml is gecontroleerd').first()).toBeVisible();
    await expect(page.getByText('Wordt alleen gesteld als ‘Is er een plan?’ (plan) is ‘Nee’.')).toBeVisible();
    await expectAccessible(page, 'upload preview');

    await page.getByRole('button', { name: 'Niet opslaan' }).first().click();
    await expect(page).toHaveURL(/\/beheer\/vragenlijsten\?melding=niet-geladen/);
    await expect(page.getByRole('status')).toContainText('Het bestand is niet opgeslagen.');
    await expect(page.getByRole('main').getByRole('table')).not.toContainText('Proefvragenlijst');
  });

  test('a coordinator can not reach the questionnaire pages', async ({ page }) => {
    await login(page, ACCOUNTS.groningen);
    expectFailedRequest(page, 403, /\/beheer\/vragenlijsten\/nad\/2026-06$/);
    await open(page, '/beheer/vragenlijsten/nad/2026-06');
    await expect(heading(page)).toHaveText('Geen toegang');
  });
});
