import {
  ACCOUNTS,
  answerEverything,
  errorSummary,
  expect,
  expectAccessible,
  expectFailedRequest,
  heading,
  login,
  open,
  test,
  waitForEnhancedForm,
} from './support';

/** The demo's open round. */
const OPEN_ROUND = '6e meting – december 2026';

/** Today (0) or a day from today in Dutch time, as a date field holds it. */
function day(fromToday: number): string {
  const when = new Date(Date.now() + fromToday * 86_400_000);
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam' }).format(when);
}

test.describe('regioadviseur', () => {
  test('an adviser fills in a region they advise and submits it with the region’s agreement', async ({
    page,
  }) => {
    await login(page, ACCOUNTS.adviser);
    await page.getByRole('navigation').getByRole('link', { name: 'Invullen als adviseur' }).click();
    await expect(page).toHaveURL('/invullen');
    await expect(heading(page)).toHaveText('Uw open metingen');
    const main = page.getByRole('main');
    // The running round of each region the adviser advises, and of no other region.
    const choices = main.locator('.choice-list__item');
    await expect(choices).toHaveCount(2);
    await expect(choices.nth(0)).toContainText(`Noord-Veluwe · ${OPEN_ROUND}`);
    await expect(choices.nth(1)).toContainText(`Zaanstreek · ${OPEN_ROUND}`);
    await expectAccessible(page, 'the adviser’s open rounds');

    // Submitting can't be undone: Zaanstreek stays for trying the demo.
    const region = 'Noord-Veluwe';
    await main.getByRole('link', { name: `${region} · ${OPEN_ROUND}` }).click();
    await expect(main).toContainText('U vult deze vragenlijst in als regioadviseur');
    const base = new URL(page.url()).pathname;
    // The section pages are the coordinators' own: editable, with a save button.
    await open(page, `${base}/sectie/A`);
    await expect(main.getByRole('button', { name: 'Opslaan', exact: true })).toBeVisible();
    await expect(main.locator('form.section-form input:not([type="hidden"])').first()).toBeEnabled();
    await answerEverything(page, base.split('/').pop()!);

    // Without the region's agreement the questionnaire is not submitted: the browser asks for
    // both fields, and the server refuses a day that has not come yet, on its field.
    await open(page, `${base}/controleren`);
    await expect(heading(page)).toHaveText('Antwoorden controleren');
    const agreement = main.getByRole('group', { name: 'Afstemming met de regio' });
    await expect(agreement.getByLabel('Afgestemd met')).toHaveAttribute('required', '');
    await expect(agreement.getByLabel('Datum van de afstemming')).toHaveAttribute('required', '');
    await expectAccessible(page, 'check page of an adviser');
    const submit = main.getByRole('button', { name: 'Vragenlijst indienen' });
    await waitForEnhancedForm(submit);
    expectFailedRequest(page, 422, /\/api\/responses\/submit/);
    await agreement.getByLabel('Afgestemd met').fill('Jan de Vries, beleidsadviseur');
    await agreement.getByLabel('Datum van de afstemming').fill(day(1));
    await submit.click();
    await expect(errorSummary(page)).toContainText('De datum van de afstemming ligt in de toekomst.');
    await expect(main).not.toContainText('Ingediend op');
    await expectAccessible(page, 'agreement refused');

    // With it, the questionnaire is submitted and says with whom it was agreed.
    await agreement.getByLabel('Afgestemd met').fill('Jan de Vries, beleidsadviseur');
    await agreement.getByLabel('Datum van de afstemming').fill(day(0));
    await main.getByRole('button', { name: 'Vragenlijst indienen' }).click();
    await expect(page).toHaveURL(`${base}?melding=ingediend`);
    await expect(main).toContainText(
      `door ${ACCOUNTS.adviser.name} (regioadviseur), afgestemd met Jan de Vries, beleidsadviseur op`,
    );

    // The reviewers' overview says who filled in and with whom the region agreed.
    await page.getByRole('navigation').getByRole('link', { name: 'Beoordelen' }).click();
    await page.getByRole('link', { name: OPEN_ROUND }).click();
    const row = page.getByRole('main').getByRole('row').filter({ hasText: region });
    await expect(row).toContainText(/regioadviseur/i);
    await expect(row).toContainText('afgestemd met Jan de Vries, beleidsadviseur op');
  });

  test('an admin makes a reviewer the adviser of a region', async ({ page }) => {
    await login(page, ACCOUNTS.admin);
    await open(page, '/beheer/gebruikers');
    await page.getByRole('link', { name: `Bewerken: ${ACCOUNTS.reviewer.name}` }).click();
    const main = page.getByRole('main');
    await expect(main.getByRole('heading', { level: 2, name: 'Regioadviseur' })).toBeVisible();
    await expect(main).toContainText('Deze beoordelaar is geen regioadviseur van een regio.');
    const add = main.getByRole('button', { name: 'Regio erbij als adviseur' });
    await waitForEnhancedForm(add);
    // A region no other test fills in; taken away again at the end.
    const code = 'R41';
    await main.getByLabel('Regio als regioadviseur').selectOption(code);
    await add.click();
    await expect(main).toContainText('De beoordelaar is nu ook regioadviseur van deze regio');
    const advised = main.getByRole('list', { name: "Regio's als regioadviseur" });
    await expect(advised).toContainText(`(${code}, NAD)`);
    await expectAccessible(page, 'reviewer with an advised region');
    await advised.getByRole('button', { name: /weghalen$/ }).click();
    await expect(main).toContainText('De beoordelaar is geen regioadviseur meer van deze regio.');
    await expect(main).toContainText('Deze beoordelaar is geen regioadviseur van een regio.');
  });
});
