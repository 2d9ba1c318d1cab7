/**
 * A second programme beside the NAD: the demo's Beschermd Thuis has its own regions, its own
 * questionnaire and one open round. Zoë Zwolle coordinates IJssel-Vecht in the NAD and Zwolle
 * in Beschermd Thuis with one login: her start page lists both running rounds, and she fills
 * in the Beschermd Thuis questionnaire like any other. Reviewers see each programme's regions
 * apart.
 */
import {
  ACCOUNTS,
  TASK_LIST_PAGE,
  expect,
  expectAccessible,
  expectSignedInAs,
  heading,
  javaScriptEnabled,
  login,
  test,
  uniqueSuffix,
  waitForEnhancedForm,
} from './support';

const ZWOLLE = ACCOUNTS.zwolle;

const BT_ROUND = 'Zwolle · 1e meting Beschermd Thuis – december 2026';
const BT_TITLE = 'Monitor Beschermd Thuis – meting juni 2026';
const CONTACT = 'Naam en functie van de contactpersoon voor deze vragenlijst';

test.describe('a second programme', () => {
  test('one login leads to the running rounds of both programmes', async ({ page }) => {
    await login(page, ZWOLLE);
    await expectSignedInAs(page, ZWOLLE);
    const rounds = page.getByRole('main').locator('.choice-list');
    await expect(rounds.getByRole('link')).toHaveCount(2);
    await expect(rounds.getByRole('link', { name: 'IJssel-Vecht · 6e meting – december 2026' })).toBeVisible();
    await expect(rounds.locator('.programme-mark')).toHaveText(['NAD', 'BT']);
    await expectAccessible(page, 'the running rounds of two programmes');

    await rounds.getByRole('link', { name: BT_ROUND }).click();
    await expect(page).toHaveURL(TASK_LIST_PAGE);
    await expect(heading(page)).toHaveText(BT_TITLE);
    const mark = page.getByRole('main').locator('.programme-line .programme-mark');
    await expect(mark).toHaveText('BT');
    await expect(mark).toHaveAttribute('title', 'Beschermd Thuis');
    await expect(page.getByRole('main').locator('.programme-line .caption')).toHaveText(
      'Zwolle · 1e meting Beschermd Thuis – december 2026',
    );
  });

  test('the Beschermd Thuis questionnaire is filled in like any other', async ({ page }) => {
    await login(page, ZWOLLE);
    await page.getByRole('link', { name: BT_ROUND }).click();
    await expect(heading(page)).toHaveText(BT_TITLE);
    await page.getByRole('link', { name: '1. Regio en contactpersoon', exact: true }).click();
    await expect(heading(page)).toHaveText('Regio en contactpersoon');
    const form = page.locator('form.section-form');
    await waitForEnhancedForm(form);
    const contact = `E2E-contact ${uniqueSuffix()}, beleidsmedewerker`;
    await page.getByLabel(CONTACT).fill(contact);
    await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
    if (javaScriptEnabled()) {
      await expect(page.locator('p.page-save-status')).toContainText(/Alle wijzigingen zijn opgeslagen/);
    } else {
      await expect(page).toHaveURL(/\/sectie\/A\?melding=opgeslagen$/);
    }
    await page.reload();
    await expect(page.getByLabel(CONTACT)).toHaveValue(contact);
    await expectAccessible(page, 'a section of the second programme');
  });

  test('reviewers see each programme’s regions apart, and the rounds with their mark', async ({ page }) => {
    await login(page, ACCOUNTS.reviewer);
    const main = page.getByRole('main');
    // (Other tests add and retire NAD regions; Beschermd Thuis's six stay as they are.)
    await expect(main.getByRole('heading', { level: 2, name: 'Nationaal Actieplan Dakloosheid' })).toBeVisible();
    await expect(main.getByRole('heading', { level: 2, name: 'Beschermd Thuis' })).toBeVisible();
    const bt = main.getByRole('region', { name: "Regio's BT" });
    await expect(bt.locator('tbody tr')).toHaveCount(6);
    await expect(bt.getByRole('link', { name: 'Zwolle', exact: true })).toHaveAttribute('href', '/regio/BT04');
    const nad = main.getByRole('region', { name: "Regio's NAD" });
    await expect(nad.getByRole('link', { name: 'Groningen', exact: true })).toHaveAttribute('href', '/regio/R01');
    await expect(nad.getByRole('link', { name: 'Zwolle', exact: true })).toHaveCount(0);
    await expectAccessible(page, 'the regions of two programmes');
  });
});
