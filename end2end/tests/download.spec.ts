/**
 * What browsers download: the WebAssembly of the app. Pages are plain HTML; only islands (the
 * section form) are hydrated, so the one file holds the code of the islands only. Sizes are
 * counted gzipped, as the server sends them, and printed.
 *
 * The aim for filling in is under 250 KB gzipped (about 180 KB now).
 */
import { gzipSync } from 'node:zlib';
import type { Page } from '@playwright/test';
import { ACCOUNTS, expect, heading, javaScriptEnabled, login, open, test } from './support';

const CEILING_BYTES = 250 * 1024;

type Size = { bytes: number; gzipped: number };

/** Records every WebAssembly file the page fetches, by path, with its size. */
function recordWasm(page: Page): Map<string, Promise<Size>> {
  const pieces = new Map<string, Promise<Size>>();
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (!path.endsWith('.wasm') || pieces.has(path)) return;
    pieces.set(
      path,
      response.body().then((body) => ({ bytes: body.length, gzipped: gzipSync(body, { level: 9 }).length })),
    );
  });
  return pieces;
}

/** Prints the pieces and returns their gzipped total. */
async function report(what: string, pieces: Map<string, Promise<Size>>): Promise<number> {
  let total = 0;
  const lines: string[] = [];
  for (const [path, size] of pieces) {
    const { bytes, gzipped } = await size;
    total += gzipped;
    lines.push(`${(gzipped / 1024).toFixed(1).padStart(8)} KB gzipped ${(bytes / 1024).toFixed(1).padStart(8)} KB  ${path}`);
  }
  console.log(
    `WebAssembly downloaded ${what} (${pieces.size} pieces):\n${lines.join('\n')}\n` +
      `${(total / 1024).toFixed(1).padStart(8)} KB gzipped in all`,
  );
  return total;
}

test.describe('downloads', () => {
  test.skip(() => !javaScriptEnabled(), 'without JavaScript no WebAssembly is downloaded');

  test('filling in downloads one file of WebAssembly, under 250 KB gzipped', async ({ page }) => {
    const pieces = recordWasm(page);
    await login(page, ACCOUNTS.assen);
    const taskList = new URL(page.url()).pathname;
    for (const path of [
      taskList,
      `${taskList}/sectie/B`,
      `${taskList}/sectie/E`,
      `${taskList}/controleren`,
      `${taskList}/voortgang`,
      `${taskList}/afdrukken`,
    ]) {
      const response = await open(page, path);
      expect(response?.status(), path).toBe(200);
      await expect(heading(page)).toBeVisible();
    }
    const total = await report('while filling in', pieces);
    expect([...pieces.keys()], 'one file').toEqual([expect.stringMatching(/^\/pkg\/nad-monitor\.[^/]+\.wasm$/)]);
    expect(total, 'gzipped bytes of WebAssembly for filling in').toBeLessThan(CEILING_BYTES);
  });

  test('only the section form is hydrated; other pages are plain HTML', async ({ page }) => {
    await login(page, ACCOUNTS.assen);
    const taskList = new URL(page.url()).pathname;
    expect(await page.locator('leptos-island').count(), 'islands on the task list').toBe(0);
    await open(page, `${taskList}/sectie/B`);
    await expect(page.locator('leptos-island form.section-form')).toHaveCount(1);
  });
});
