import { ACCOUNTS, expect, login, open, test } from './support';
import type { Page } from '@playwright/test';

/** Tab from the top of the page reaches the skip link first; it moves focus to main. */
async function expectSkipLinkWorks(page: Page) {
  const skipLink = page.getByRole('link', { name: 'Naar de inhoud' });
  await expect(skipLink).toHaveAttribute('href', '#inhoud');
  await page.keyboard.press('Tab');
  await expect(skipLink).toBeFocused();
  await expect(skipLink).toBeVisible();
  await page.keyboard.press('Enter');
  const main = page.locator('main#inhoud');
  await expect(main).toBeFocused();
  // The next Tab goes on inside the main content, not back to the header.
  await page.keyboard.press('Tab');
  const insideMain = await page.evaluate(
    () => document.getElementById('inhoud')?.contains(document.activeElement) ?? false,
  );
  expect(insideMain, 'the Tab after the skip link lands in main').toBe(true);
}

test.describe('toetsenbord', () => {
  test('the skip link is the first Tab stop on the login page', async ({ page }) => {
    await open(page, '/login');
    await expectSkipLinkWorks(page);
    await expect(page.getByLabel('E-mailadres')).toBeFocused();
  });

  test('the skip link is the first Tab stop for a signed-in user', async ({ page }) => {
    await login(page, ACCOUNTS.groningen);
    // A fresh load, so focus starts at the top of the document (`/invullen` redirects to the
    // coordinator's task list).
    await open(page, '/invullen');
    await expect(page).toHaveURL(ACCOUNTS.groningen.startPage);
    await expectSkipLinkWorks(page);
  });
});
