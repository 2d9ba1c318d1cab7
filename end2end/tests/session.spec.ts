/**
 * The session's idle limit on a section page: the page says when the session ends; with
 * JavaScript a warning appears two minutes before, with a button that keeps the session
 * alive, and at the end the page offers to log in again in place (nothing typed is lost;
 * fill.spec.ts covers logging in again and sending the kept changes).
 *
 * The browser's clock is faked (Playwright's clock), so half an hour passes in a moment.
 */
import { ACCOUNTS, createCoordinator, expect, heading, javaScriptEnabled, login, open, test, waitForEnhancedForm } from './support';

test.describe('the session on a section page', () => {
  test('the page says when an idle session ends; a warning before it keeps the session alive', async ({ page, newSession }) => {
    // A region no other test writes to: the demo accounts' responses may be submitted (and so
    // read-only, without the warning) by the time this runs.
    const admin = await newSession();
    await login(admin, ACCOUNTS.admin);
    const account = await createCoordinator(admin, 'R35', 'sessie', 'Sessie');
    if (javaScriptEnabled()) await page.clock.install();
    await login(page, account);
    const taskList = new URL(page.url()).pathname;
    await open(page, `${taskList}/sectie/B`);
    await expect(heading(page)).toBeVisible();
    const deadline = page.locator('#sessie-einde');
    await expect(deadline).toHaveText(/^Zonder activiteit wordt u om \d{2}:\d{2} uitgelogd\. Opslaan houdt u ingelogd\.$/);
    if (!javaScriptEnabled()) return;

    await waitForEnhancedForm(page.locator('form.section-form'));
    const warning = page.getByRole('alertdialog', { name: 'U wordt bijna uitgelogd' });
    const keepAlive = page.getByRole('button', { name: 'Ingelogd blijven' });
    await expect(warning).toBeHidden();
    // 30 minutes idle (counted from a minute earlier, to be safe): the warning comes at 27.
    await page.clock.fastForward('27:30');
    await expect(warning).toBeVisible();
    await expect(warning).toContainText('Wat u hebt ingevuld, blijft bewaard.');
    await expect(keepAlive).toBeFocused();
    await keepAlive.click();
    await expect(warning).toBeHidden();
    await expect(page.getByRole('heading', { name: 'U bent uitgelogd' })).toBeHidden();

    // Left alone after that, the page offers to log in again where the person is.
    await page.clock.fastForward('29:30');
    await expect(page.getByRole('heading', { name: 'U bent uitgelogd' })).toBeVisible();
    await expect(warning).toBeHidden();
  });
});
