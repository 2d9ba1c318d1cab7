/**
 * Reflow (WCAG 1.4.10): every page at 320 CSS pixels wide, the width of a 1280-pixel screen
 * zoomed to 400%. Nothing may make the page scroll sideways; only a data table may be wider
 * than the screen, inside its own scroll container that a keyboard user can reach and that a
 * screen reader names (`role="region"`, `tabindex="0"`, `aria-label`). Each page is also
 * checked with axe at that width.
 *
 * The pages are found by following the links of each account's start page, as a person
 * would, without submitting any form: the visits change no answers. Pages of one kind (the
 * same address with another id) are visited once.
 */
import AxeBuilder from '@axe-core/playwright';
import { type Page } from '@playwright/test';
import {
  ACCOUNTS,
  type Account,
  expect,
  expectAccessible,
  javaScriptEnabled,
  login,
  test,
  waitForApp,
} from './support';

const WIDTH = 320;
test.use({ viewport: { width: WIDTH, height: 640 } });

/** The public pages, visited without an account. */
const PUBLIC_PAGES = ['/dashboard', '/open-data', '/help', '/privacy', '/toegankelijkheid', '/contact', '/login'];

/** Links that are not pages to look at: downloads, logging out, the operator's files. */
const NOT_A_PAGE = [
  /^\/logout/,
  /^\/huisstijl/,
  /^\/pkg\//,
  /^\/api\//,
  /^\/open-data\/.+/,
  /\/export(\/|\.)/,
  /\.(csv|xlsx|json|pdf|zip|txt|svg|png)$/,
];

/** At most this many pages per account: the crawl ends even if links multiply. */
const MAX_PAGES = 80;

/** What one page measured: its width and, when too wide, the elements that stick out. */
type Measured = {
  scrollWidth: number;
  sticking: string[];
  badScrollers: string[];
};

/**
 * The page's scroll width, the outermost elements that reach past the right edge outside a
 * scroll container, and every element that scrolls sideways without the table-region pattern.
 */
function measure(page: Page): Promise<Measured> {
  return page.evaluate((width) => {
    const describe = (element: Element) => {
      const classes = [...element.classList].slice(0, 2).map((c) => `.${c}`).join('');
      const box = element.getBoundingClientRect();
      return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${classes} (${Math.round(box.right)} px)`;
    };
    const scrolls = (element: Element) => {
      const style = getComputedStyle(element);
      return ['auto', 'scroll'].includes(style.overflowX) && element.scrollWidth > element.clientWidth + 1;
    };
    const sticking: string[] = [];
    const badScrollers: string[] = [];
    const walk = (element: Element) => {
      if (element !== document.documentElement && element !== document.body && scrolls(element)) {
        const named = element.hasAttribute('aria-label') || element.hasAttribute('aria-labelledby');
        const pattern = element.getAttribute('role') === 'region' && element.getAttribute('tabindex') === '0' && named;
        if (!pattern || !element.querySelector('table')) badScrollers.push(describe(element));
        return;
      }
      const box = element.getBoundingClientRect();
      const hidden = box.width === 0 && box.height === 0;
      if (!hidden && box.right > width + 0.5 && sticking.length < 12) sticking.push(describe(element));
      // What a box clips (text only for screen readers, for one) can't widen the page.
      if (['hidden', 'clip'].includes(getComputedStyle(element).overflowX)) return;
      for (const child of element.childNodes) {
        if (child.nodeType === Node.ELEMENT_NODE) {
          walk(child as Element);
        } else if (child.nodeType === Node.TEXT_NODE && child.textContent?.trim()) {
          // A long word or address can stick out of a box that itself fits.
          const range = document.createRange();
          range.selectNodeContents(child);
          const right = range.getBoundingClientRect().right;
          if (right > width + 0.5 && sticking.length < 12) {
            sticking.push(`text "${child.textContent.trim().slice(0, 40)}" in ${describe(element)}, to ${Math.round(right)} px`);
          }
        }
      }
    };
    walk(document.body);
    return { scrollWidth: document.documentElement.scrollWidth, sticking, badScrollers };
  }, WIDTH);
}

/**
 * The rules WCAG 2.2 added at level AA that axe checks (target size, 2.5.8), on top of
 * `expectAccessible`'s 2.0 and 2.1 rules. With JavaScript only: the page is the same without.
 */
async function expectWcag22(page: Page, where: string): Promise<void> {
  if (!javaScriptEnabled()) return;
  const results = await new AxeBuilder({ page }).withTags(['wcag22aa']).analyze();
  const found = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect.soft(found, `${where}: WCAG 2.2 AA`).toEqual([]);
}

/** The address without its query and fragment, with ids and codes as `:x`: one per kind of page. */
function kindOf(path: string): string {
  return path
    .split('/')
    .map((part) => (/\d/.test(part) ? ':x' : part))
    .join('/');
}

/** Same-site links on the page that lead to other pages, without query and fragment. */
async function linksOn(page: Page): Promise<string[]> {
  const hrefs = await page.evaluate(() =>
    [...document.querySelectorAll('a[href]')]
      .filter((a) => !a.hasAttribute('download'))
      .map((a) => (a as HTMLAnchorElement).href),
  );
  const origin = new URL(page.url()).origin;
  return hrefs
    .map((href) => new URL(href))
    .filter((url) => url.origin === origin)
    .map((url) => url.pathname)
    .filter((path) => !NOT_A_PAGE.some((pattern) => pattern.test(path)));
}

/**
 * Visits `start` and every page reachable from it by links, one per kind; checks each at
 * 320 pixels (soft, so one run lists every page that fails) and returns what it measured.
 */
async function crawl(page: Page, start: string[], who: string): Promise<Map<string, Measured>> {
  const seen = new Set<string>(start.map(kindOf));
  const queue = [...start];
  const results = new Map<string, Measured>();
  while (queue.length > 0 && results.size < MAX_PAGES) {
    const path = queue.shift()!;
    const response = await page.goto(path);
    await waitForApp(page);
    expect.soft(response?.status(), `${who}: ${path} answers`).toBeLessThan(400);
    const measured = await measure(page);
    results.set(path, measured);
    const where = `${who}: ${path} at ${WIDTH} px`;
    expect
      .soft(measured.scrollWidth, `${where} scrolls sideways; sticking out: ${measured.sticking.join(', ')}`)
      .toBeLessThanOrEqual(WIDTH);
    expect
      .soft(measured.badScrollers, `${where}: only a table scrolls, in a focusable, named region`)
      .toEqual([]);
    await expectAccessible(page, where);
    await expectWcag22(page, where);
    for (const link of await linksOn(page)) {
      const kind = kindOf(link);
      if (!seen.has(kind)) {
        seen.add(kind);
        queue.push(link);
      }
    }
  }
  if (process.env.REFLOW_REPORT) {
    for (const [path, measured] of results) console.log(`${who}\t${measured.scrollWidth}\t${path}`);
  }
  return results;
}

/** Logs in and crawls from the start page and the account page. */
async function crawlAs(page: Page, account: Account, who: string): Promise<void> {
  await login(page, account);
  const start = new URL(page.url()).pathname;
  const results = await crawl(page, [start, '/mijn-account'], who);
  expect(results.size, `${who}: pages visited`).toBeGreaterThan(3);
}

test.describe('reflow at 320 pixels (WCAG 1.4.10)', () => {
  // Dozens of pages, each checked with axe: more time than one flow.
  test.describe.configure({ timeout: 20 * 60_000 });
  // Layout is the server's HTML and the stylesheet, the same with and without JavaScript (the
  // section form renders the same fields either way); one project checks it, which keeps the
  // browser suite's time down.
  test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, 'the same pages as with JavaScript');

  test('public pages', async ({ page }) => {
    const results = await crawl(page, PUBLIC_PAGES, 'public');
    expect(results.size).toBeGreaterThanOrEqual(PUBLIC_PAGES.length);
  });

  test('a coordinator’s pages', async ({ page }) => {
    await crawlAs(page, ACCOUNTS.groningen, 'coordinator');
  });

  test('a reviewer’s pages', async ({ page }) => {
    await crawlAs(page, ACCOUNTS.reviewer, 'reviewer');
  });

  test('an admin’s pages', async ({ page }) => {
    await crawlAs(page, ACCOUNTS.admin, 'admin');
  });

  test('a wide table scrolls in its own region, which the keyboard reaches', async ({ page }) => {
    await login(page, ACCOUNTS.groningen);
    const taskList = new URL(page.url()).pathname;
    await page.goto(`${taskList}/voortgang`);
    await waitForApp(page);
    const regions = page.locator('.table-scroll[role="region"][tabindex="0"]');
    const count = await regions.count();
    if (count === 0) return; // nothing to compare with in this round
    const region = regions.first();
    await expect(region).toHaveAttribute('aria-label', /.+/);
    await region.focus();
    await expect(region).toBeFocused();
    // The focus ring is drawn and not hidden under anything.
    const outline = await region.evaluate((element) => getComputedStyle(element).outlineStyle);
    expect(outline).not.toBe('none');
  });
});
