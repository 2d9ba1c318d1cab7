import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests of the NAD-monitor.
 *
 * `cargo leptos end-to-end --release` (from the repository root) starts the server on
 * http://127.0.0.1:3000 and runs `npx playwright test` here; `global-setup.ts` waits until
 * `/healthz` answers. Against another server: `BASE_URL=http://127.0.0.1:3100 npx playwright test`.
 *
 * No browser is downloaded: the tests drive the system's Chromium (Debian's package), or the
 * one named in CHROMIUM_PATH.
 */
const baseURL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';

const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: './tests',
  globalSetup: './global-setup.ts',
  // The machine has two cores and all tests share one database.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  // Password hashing (Argon2) is deliberately slow; leave room on a busy machine.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    locale: 'nl-NL',
    launchOptions,
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    // The app as most people use it: server-rendered, then hydrated (WebAssembly).
    { name: 'js', use: { javaScriptEnabled: true } },
    // Every flow must also work with plain HTML forms, posts and redirects. Only the section
    // form is an island (hydrated in the browser); every other page is plain HTML whose forms
    // post as they are with or without JavaScript, so "js" already runs them exactly as
    // "nojs" would. Without JavaScript run the specs that use the section form.
    {
      name: 'nojs',
      use: { javaScriptEnabled: false },
      testMatch: ['fill.spec.ts', 'session.spec.ts', 'programmes.spec.ts', 'review.spec.ts'],
    },
  ],
});
