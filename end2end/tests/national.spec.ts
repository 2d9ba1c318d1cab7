import {
  ACCOUNTS,
  createCoordinator,
  expect,
  expectAccessible,
  expectFailedRequest,
  heading,
  javaScriptEnabled,
  login,
  open,
  QUESTIONNAIRE_TITLE,
  test,
  waitForEnhancedForm,
} from './support';

/** The demo's earlier rounds (see the demo history). */
const JUNE = '5e meting – juni 2026';
const DECEMBER = '4e meting – december 2025';

test.describe('landelijk beeld', () => {
  test('a reviewer reads the national picture of June beside December', async ({ page }) => {
    await login(page, ACCOUNTS.reviewer);
    await page.getByRole('navigation').getByRole('link', { name: 'Landelijk beeld' }).click();
    await expect(page).toHaveURL('/landelijk');
    await expect(heading(page)).toHaveText('Landelijk beeld');
    await expectAccessible(page, 'national rounds');
    await page.getByRole('link', { name: JUNE }).click();
    await expect(heading(page)).toHaveText(`Landelijk beeld – ${JUNE}`);
    const main = page.getByRole('main');
    await expect(main).toContainText(`${DECEMBER}: 45 van 45 regio's hebben ingediend`);
    await expect(main).toContainText("41 van 45 regio's hebben ingediend; 4 nog niet.");

    // The key indicators, in plain Dutch with N and denominator: about 82% → 95%.
    const indicators = main.locator('ul.indicator-list > li');
    const wonenEerst = indicators.filter({ hasText: 'Wonen Eerst opgenomen in regionaal plan' });
    await expect(wonenEerst).toHaveText(
      /^Wonen Eerst opgenomen in regionaal plan: ‘Ja’ bij 9\d% \(\d+ van \d+(; \d+ onbekend)?\); vorige meting 8\d% \(\d+ van \d+(; \d+ onbekend)?\)$/,
    );
    await expect(indicators.filter({ hasText: 'Opvang in de gemeente van herkomst' })).toContainText('‘Ja’ bij 9');

    // Bars with a text alternative, and the same figures in a table.
    const item = main.locator('.national-item').filter({ has: page.getByRole('heading', { name: 'Is Wonen Eerst opgenomen in het regionale plan?' }) });
    await expect(item.getByRole('img')).toHaveAttribute('aria-label', /^Staafdiagram bij ‘Is Wonen Eerst opgenomen in het regionale plan\?’: Ja 9\d% \(eerder 8\d%\)/);
    const table = item.getByRole('table');
    await expect(table.getByRole('columnheader')).toHaveText(['Antwoord', 'Deze meting', DECEMBER]);
    await expect(table.getByRole('row', { name: /^Ja / })).toContainText(/9\d% \(\d+ van \d+/);
    await expectAccessible(page, 'national picture');

    // One section only: a plain GET form, so it works without JavaScript too.
    await main.getByLabel('Sectie').selectOption({ label: 'Regionale aanpak' });
    await main.getByRole('button', { name: 'Tonen' }).click();
    await expect(page).toHaveURL(/\/landelijk\/[0-9a-f-]{36}\?sectie=B&met=[0-9a-f-]{36}$/);
    await expect(main.getByRole('heading', { level: 2, name: 'Regionale aanpak' })).toBeVisible();
    await expect(main.getByRole('heading', { level: 2, name: 'Regio en respons' })).toHaveCount(0);
    await expect(main.getByLabel('Sectie')).toHaveValue('B');
    // Compared with December, the previous round; any earlier round can be chosen there.
    await expect(main.getByLabel('Vergelijken met').locator('option:checked')).toHaveText(`${DECEMBER} (vorige meting)`);
  });

  test('a coordinator is refused the national picture', async ({ page }) => {
    expectFailedRequest(page, 403, /\/landelijk$/);
    await login(page, ACCOUNTS.groningen);
    const response = await open(page, '/landelijk');
    expect(response?.status()).toBe(403);
    await expect(heading(page)).toHaveText('Geen toegang');
    await expect(page.getByRole('navigation').getByRole('link', { name: 'Landelijk beeld' })).toHaveCount(0);
  });
});

test.describe('vorige meting overnemen', () => {
  test('a coordinator takes over a section of June, confirms it and sees the comparison', async ({ page, newSession }) => {
    // A region that answered in June and has not started the open round; each project its own.
    const region = javaScriptEnabled() ? 'R25' : 'R30';
    const admin = await newSession();
    await login(admin, ACCOUNTS.admin);
    const account = await createCoordinator(admin, region, 'overnemen', 'Overnemer');

    await login(page, account);
    await expect(heading(page)).toHaveText(QUESTIONNAIRE_TITLE);
    const base = new URL(page.url()).pathname;
    await open(page, `${base}/sectie/B`);
    await expect(heading(page)).toHaveText('Regionale aanpak');
    const main = page.getByRole('main');
    // June's answers beside the items, before anything is taken over.
    await expect(main.locator('.previous-answer').first()).toContainText(`In de ${JUNE}: `);
    await expectAccessible(page, 'section with previous answers');

    await main.getByRole('button', { name: 'Antwoorden van de vorige meting overnemen' }).click();
    await expect(page).toHaveURL(new RegExp(`${base}/sectie/B\\?melding=overgenomen-\\d+$`));
    await expect(page.getByRole('status').filter({ hasText: 'van de vorige meting overgenomen' })).toBeVisible();
    await expect(main.getByText('Overgenomen – nog bevestigen').first()).toBeVisible();
    // Taken over, not yet confirmed: the task list does not count them as answered.
    await open(page, base);
    const sectionB = main.locator('li.task-list__item').filter({ hasText: 'Regionale aanpak' });
    await expect(sectionB).toContainText(/(^|\D)0 van \d+ verplichte vragen beantwoord/);

    await open(page, `${base}/sectie/B`);
    await main.getByRole('button', { name: 'Overgenomen antwoorden bevestigen' }).click();
    await expect(page).toHaveURL(new RegExp(`${base}/sectie/B\\?melding=bevestigd-\\d+$`));
    await expect(page.getByRole('status').filter({ hasText: /overgenomen antwoorden? bevestigd/ })).toBeVisible();
    await open(page, base);
    await expect(sectionB).not.toContainText(/(^|\D)0 van \d+ verplichte vragen beantwoord/);
    await open(page, `${base}/sectie/B`);
    await expect(main.getByText('Overgenomen – nog bevestigen')).toHaveCount(0);
    await expectAccessible(page, 'section after confirming');

    // Nothing changed since June yet.
    await open(page, `${base}/voortgang?sectie=B`);
    await expect(heading(page)).toHaveText('Vergelijking met de vorige meting');
    await expect(main).toContainText(/0 van de \d+ antwoorden die in beide metingen zijn gegeven, zijn anders/);

    // The plan has moved on: the status changes (no rule asks why), and the comparison shows it.
    await open(page, `${base}/sectie/B`);
    if (javaScriptEnabled()) await waitForEnhancedForm(page.locator('form.section-form'));
    const plan = main.getByRole('group', { name: 'Wat is de status van het regionale plan tegen dakloosheid?' });
    const adopted = plan.getByRole('radio', { name: 'Het plan is vastgesteld', exact: true });
    const draft = plan.getByRole('radio', { name: 'Er is een conceptplan', exact: true });
    const now = (await adopted.isChecked()) ? draft : adopted;
    await now.check();
    if (javaScriptEnabled()) {
      await expect(page.locator('p.field-status[data-veld="b_plan_status"]')).toHaveText(/^Opgeslagen om/);
    } else {
      await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
      await expect(page).toHaveURL(/\/sectie\/B\?melding=opgeslagen$/);
    }
    await open(page, `${base}/voortgang?gewijzigd=ja`);
    await expect(main).toContainText(/1 van de \d+ antwoorden die in beide metingen zijn gegeven, zijn anders/);
    const changedRow = main.getByRole('row', { name: /Wat is de status van het regionale plan tegen dakloosheid\?/ });
    await expect(changedRow).toContainText('Gewijzigd');
    const indicators = main.locator('ul.indicator-list > li');
    await expect(indicators.filter({ hasText: 'Status van het regionale plan' })).toContainText('Gewijzigd');
    await expect(indicators.filter({ hasText: 'Wonen Eerst opgenomen in regionaal plan' })).toContainText('(vorige meting: ');
    await expectAccessible(page, 'comparison page with a change');
  });
});
