import { ACCOUNTS, expect, expectAccessible, heading, login, open, test } from './support';

/** The information pages every public-sector service has, linked from every page's footer. */
const PAGES = [
  { link: 'Hulp bij het invullen', path: '/help' },
  { link: 'Contact', path: '/contact' },
  { link: 'Privacy', path: '/privacy' },
  { link: 'Toegankelijkheid', path: '/toegankelijkheid' },
];

test.describe('informatiepagina’s', () => {
  test('are linked from the footer and readable without logging in', async ({ page }) => {
    for (const { link, path } of PAGES) {
      await open(page, '/login');
      const footer = page.getByRole('contentinfo');
      await footer.getByRole('link', { name: link, exact: true }).click();
      await expect(page).toHaveURL(path);
      await expect(heading(page)).toHaveCount(1);
      await expect(heading(page)).not.toBeEmpty();
      // The page's title is its heading.
      expect(await page.title()).toContain((await heading(page).innerText()).trim());
      await expectAccessible(page, `information page ${path}`);
    }
  });

  test('the footer links are on signed-in pages too', async ({ page }) => {
    await login(page, ACCOUNTS.groningen);
    const footer = page.getByRole('contentinfo');
    for (const { link, path } of PAGES) {
      await expect(footer.getByRole('link', { name: link, exact: true })).toHaveAttribute('href', path);
    }
    await open(page, '/toegankelijkheid');
    await expect(page.getByRole('main')).toContainText('WCAG 2.1');
  });
});
