/**
 * Shared parts of the end-to-end tests: the demo accounts, a `page` fixture that fails a test
 * on browser console errors and uncaught exceptions, the accessibility check, and helpers
 * to open pages and log in that work in both projects ("js" and "nojs").
 */
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

export { expect };

export type Account = {
  email: string;
  password: string;
  name: string;
  /** The role as the header shows it. */
  roleLabel: string;
  /** Where the account lands after logging in (a pattern where the address has an id in it). */
  startPage: string | RegExp;
  /** The h1 of the start page. */
  startHeading: string;
};

/**
 * A coordinator's start page: `/invullen` sends them on to the task list of their region's
 * response to the open round: `/vragenlijst/<uuid>`, or `/vragenlijst/<round uuid>.<region>`
 * while the region has not saved anything yet (looking makes no response).
 */
export const RESPONSE_ID = '[0-9a-f-]{36}(?:\\.[A-Za-z0-9-]+)?';
export const TASK_LIST_PAGE = new RegExp(`/vragenlijst/${RESPONSE_ID}$`);

/** The title of the questionnaire of the open demo round (nad/2026-06), the task list's h1. */
export const QUESTIONNAIRE_TITLE = 'Monitor Eerst een Thuis – meting juni 2026';

/** The accounts `nad-monitor serve --demo` creates in an empty database. */
export const ACCOUNTS = {
  admin: {
    email: 'beheerder@nad.example',
    password: 'demo-beheerder-2026',
    name: 'Bea Beheer',
    roleLabel: 'Beheerder',
    startPage: '/beheer',
    startHeading: 'Beheer',
  },
  reviewer: {
    email: 'reviewer@nad.example',
    password: 'demo-reviewer-2026',
    name: 'Ruben Reviewer',
    roleLabel: 'Reviewer',
    startPage: '/regios',
    startHeading: "Regio's",
  },
  groningen: {
    email: 'groningen@nad.example',
    password: 'demo-groningen-2026',
    name: 'Gerda Groningen',
    roleLabel: 'Regiocoördinator · Groningen',
    startPage: TASK_LIST_PAGE,
    startHeading: QUESTIONNAIRE_TITLE,
  },
  assen: {
    email: 'assen@nad.example',
    password: 'demo-assen-2026',
    name: 'Arjen Assen',
    roleLabel: 'Regiocoördinator · Noord- en Midden-Drenthe',
    startPage: TASK_LIST_PAGE,
    startHeading: QUESTIONNAIRE_TITLE,
  },
  utrecht: {
    email: 'utrecht@nad.example',
    password: 'demo-utrecht-2026',
    name: 'Ulla Utrecht',
    roleLabel: 'Regiocoördinator · Utrecht',
    startPage: TASK_LIST_PAGE,
    startHeading: QUESTIONNAIRE_TITLE,
  },
  /** Coordinates IJssel-Vecht in the NAD and Zwolle in Beschermd Thuis: chooses a round. */
  zwolle: {
    email: 'zwolle@nad.example',
    password: 'demo-zwolle-2026',
    name: 'Zoë Zwolle',
    roleLabel: 'Regiocoördinator · IJssel-Vecht, Zwolle (BT)',
    startPage: '/invullen',
    startHeading: 'Uw open metingen',
  },
  /** A reviewer who advises Noord-Veluwe (R10) and Zaanstreek (R19): fills in with them. */
  adviser: {
    email: 'adviseur@nad.example',
    password: 'demo-adviseur-2026',
    name: 'Anna Adviseur',
    roleLabel: 'Reviewer · regioadviseur van Noord-Veluwe, Zaanstreek',
    startPage: '/regios',
    startHeading: "Regio's",
  },
} satisfies Record<string, Account>;

/** The one message for every failed login. */
export const LOGIN_FAILED = 'Het e-mailadres of het wachtwoord is onjuist.';

/** A suffix that makes e-mail addresses unique across tests, projects and runs. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

/** An address on the reserved `.example` domain that no account has. */
export function unknownEmail(): string {
  return `onbekend-${uniqueSuffix()}@nad.example`;
}

// ---------------------------------------------------------------------------------------
// Console errors
// ---------------------------------------------------------------------------------------

type ExpectedFailure = { status: number; url: RegExp };

/** Failed requests a test has declared it expects, per page. */
const expectedFailures = new WeakMap<Page, ExpectedFailure[]>();

/**
 * Declares that a request to a URL matching `url` will be answered with `status` on purpose
 * (a 403 or 404 page, a refused login or form). Chromium logs every such response as a
 * console error ("Failed to load resource: ... status of 403"); only these declared ones are
 * let through, every other console error still fails the test.
 */
export function expectFailedRequest(page: Page, status: number, url: RegExp): void {
  const list = expectedFailures.get(page) ?? [];
  list.push({ status, url });
  expectedFailures.set(page, list);
}

const FAILED_RESOURCE = /^Failed to load resource: the server responded with a status of (\d{3})\b/;

function isExpected(page: Page, text: string, url: string): boolean {
  const match = FAILED_RESOURCE.exec(text);
  if (!match) return false;
  const status = Number(match[1]);
  return (expectedFailures.get(page) ?? []).some(
    (expected) => expected.status === status && expected.url.test(url),
  );
}

/** Whether the current project runs the pages with JavaScript (hydrated) or without. */
export function javaScriptEnabled(): boolean {
  return base.info().project.use.javaScriptEnabled !== false;
}

/**
 * Records which elements got which event listeners, so the "js" project can wait until a form
 * in an island is handled by the app (it listens for `submit`) instead of guessing from
 * network silence.
 */
function recordListeners(): void {
  const w = window as unknown as { __e2eListeners?: WeakMap<object, Set<string>> };
  if (w.__e2eListeners) return;
  const listeners = new WeakMap<object, Set<string>>();
  w.__e2eListeners = listeners;
  const original = EventTarget.prototype.addEventListener;
  EventTarget.prototype.addEventListener = function (
    this: EventTarget,
    type: string,
    ...rest: [EventListenerOrEventListenerObject | null, (boolean | AddEventListenerOptions)?]
  ) {
    const types = listeners.get(this) ?? new Set<string>();
    types.add(type);
    listeners.set(this, types);
    return original.call(this, type, ...rest);
  };
}

/**
 * Gets a page ready for a test: records event listeners (see `waitForApp`) and collects its
 * console errors and uncaught exceptions in `consoleErrors`, which fail the test.
 */
async function watch(page: Page, consoleErrors: string[], label = ''): Promise<void> {
  await page.addInitScript(recordListeners);
  const on = () => `${label}${page.url()}`;
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const location = message.location();
    if (isExpected(page, message.text(), location.url)) return;
    const where = location.url ? ` (${location.url}:${location.lineNumber})` : '';
    consoleErrors.push(`console error on ${on()}: ${message.text()}${where}`);
  });
  page.on('pageerror', (error) => {
    consoleErrors.push(`uncaught exception on ${on()}: ${error.stack ?? error.message}`);
  });
}

type Fixtures = {
  consoleErrors: string[];
  /**
   * Opens a page in a browser session of its own (its own cookies and storage, as on a
   * colleague's computer), with the project's settings; watched for console errors like `page`.
   */
  newSession: () => Promise<Page>;
  /** Opens another tab next to `page`, in the same session (cookies and storage). */
  newTab: () => Promise<Page>;
};

export const test = base.extend<Fixtures>({
  consoleErrors: async ({}, use) => {
    await use([]);
  },
  page: async ({ page, consoleErrors }, use) => {
    await watch(page, consoleErrors);
    await use(page);
    expect(consoleErrors, `Browser console errors:\n${consoleErrors.join('\n')}`).toEqual([]);
  },
  newSession: async ({ browser, consoleErrors }, use, testInfo) => {
    const contexts: BrowserContext[] = [];
    await use(async () => {
      const context = await newContextLikeTheProject(browser, testInfo.project.use);
      contexts.push(context);
      const page = await context.newPage();
      await watch(page, consoleErrors, '(second session) ');
      return page;
    });
    for (const context of contexts) await context.close();
  },
  newTab: async ({ context, consoleErrors }, use) => {
    await use(async () => {
      const page = await context.newPage();
      await watch(page, consoleErrors, '(second tab) ');
      return page;
    });
  },
});

/** A new browser context with the settings the project gives its own contexts. */
function newContextLikeTheProject(
  browser: Browser,
  use: { baseURL?: string; locale?: string; javaScriptEnabled?: boolean },
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: use.baseURL ?? process.env.BASE_URL ?? 'http://127.0.0.1:3000',
    locale: use.locale ?? 'nl-NL',
    javaScriptEnabled: use.javaScriptEnabled !== false,
  });
}

// ---------------------------------------------------------------------------------------
// Accessibility
// ---------------------------------------------------------------------------------------

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;

function describeViolations(violations: AxeResults['violations']): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes
        .map(
          (node) =>
            `    - ${node.target.join(' ')}\n      ${node.html}\n      ${node.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`,
        )
        .join('\n');
      return `  [${violation.impact ?? 'unknown'}] ${violation.id}: ${violation.help}\n    ${violation.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/**
 * Runs `check` on `page`, or, in the "nojs" project, on a copy of it: with JavaScript off
 * the page runs no timers, so axe would never finish. The copy is the page's current
 * document (as the server rendered it, without its scripts, so it does not hydrate) served
 * at the same address in a separate context with JavaScript on, so its stylesheets load
 * and colours can be checked.
 */
async function withScriptablePage<T>(page: Page, check: (target: Page) => Promise<T>): Promise<T> {
  if (javaScriptEnabled()) return check(page);
  const url = page.url();
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
  const browser = page.context().browser();
  if (!browser) throw new Error('no browser to open a copy of the page in');
  const context = await browser.newContext({
    javaScriptEnabled: true,
    viewport: page.viewportSize(),
    locale: 'nl-NL',
  });
  try {
    const copy = await context.newPage();
    await copy.route(
      (address) => address.href === url,
      (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
    );
    await copy.goto(url);
    return await check(copy);
  } finally {
    await context.close();
  }
}

/**
 * Runs axe (WCAG 2.0/2.1 A and AA) on the page as it is now. Every violation fails the test,
 * listed with rule, element and reason; the test goes on, so one run shows the violations of
 * every page it visits.
 */
export async function expectAccessible(page: Page, what = ''): Promise<void> {
  const results = await withScriptablePage(page, (target) =>
    new AxeBuilder({ page: target }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze(),
  );
  const label = what ? `${what} (${page.url()})` : page.url();
  expect
    .soft(
      results.violations.map((violation) => violation.id),
      `Accessibility violations on ${label}:\n${describeViolations(results.violations)}`,
    )
    .toEqual([]);
}

// ---------------------------------------------------------------------------------------
// Pages and forms
// ---------------------------------------------------------------------------------------

/**
 * Waits until the page is ready to be used like a person would: in the "js" project until
 * its islands are hydrated (`<html data-hydrated>`), without JavaScript until the document
 * has loaded.
 */
export async function waitForApp(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  if (!javaScriptEnabled()) return;
  // Set by the app once the page's islands (the section form) are hydrated; at once on a page
  // without any.
  await page.waitForFunction(() => document.documentElement.hasAttribute('data-hydrated'));
}

/** Waits, in the "js" project, until the form around `inside` is handled by the app. */
export async function waitForEnhancedForm(inside: Locator): Promise<void> {
  if (!javaScriptEnabled()) return;
  const form = inside.locator('xpath=ancestor-or-self::form[1]');
  // Only forms inside an island are handled by the app; the others post as plain HTML. A form
  // that can't be submitted (a read-only response) is left alone.
  const handled = await form.evaluate(
    (element) => element.closest('leptos-island') !== null && element.querySelector('button[type="submit"]') !== null,
  );
  if (!handled) return;
  await expect
    .poll(
      () =>
        form.evaluate((element) => {
          const w = window as unknown as { __e2eListeners?: WeakMap<object, Set<string>> };
          return w.__e2eListeners?.get(element)?.has('submit') ?? false;
        }),
      { message: 'the form is not hydrated (no submit listener)' },
    )
    .toBe(true);
}

/** Opens a page and waits until it can be used; returns the HTTP response. */
export async function open(page: Page, path: string) {
  const response = await page.goto(path);
  await waitForApp(page);
  return response;
}

/** The level-1 heading of the page. */
export function heading(page: Page): Locator {
  return page.getByRole('heading', { level: 1 });
}

/** Fills in the login form on the current page and submits it. */
export async function submitLogin(page: Page, email: string, password: string): Promise<void> {
  const button = page.getByRole('main').getByRole('button', { name: 'Inloggen' });
  await waitForEnhancedForm(button);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(password);
  await button.click();
}

/** Logs in from the login page and waits for the start page of the account. */
export async function login(page: Page, account: Account): Promise<void> {
  await open(page, '/login');
  await submitLogin(page, account.email, account.password);
  await expect(page).toHaveURL(account.startPage);
  await expect(heading(page)).toHaveText(account.startHeading);
  await waitForApp(page);
}

/** The header shows this account as the one logged in, with the logout button. */
export async function expectSignedInAs(page: Page, account: Account): Promise<void> {
  const header = page.getByRole('banner');
  await expect(header.locator('.site-header__name')).toHaveText(account.name);
  await expect(header.locator('.site-header__role')).toHaveText(account.roleLabel);
  await expect(header.getByRole('button', { name: 'Uitloggen' })).toBeVisible();
}

/** The header shows nobody logged in. */
export async function expectSignedOut(page: Page): Promise<void> {
  const header = page.getByRole('banner');
  await expect(header.getByRole('link', { name: 'Inloggen' })).toBeVisible();
  await expect(header.getByRole('button', { name: 'Uitloggen' })).toHaveCount(0);
}

/** Logs out with the header's button and checks the confirmation. */
export async function logout(page: Page): Promise<void> {
  await page.getByRole('banner').getByRole('button', { name: 'Uitloggen' }).click();
  await expect(page).toHaveURL('/login?uitgelogd=1');
  await waitForApp(page);
  await expect(page.getByRole('status')).toHaveText('U bent uitgelogd.');
}

/** The error summary at the top of a form ("Er is een probleem"). */
/**
 * Makes a coordinator account for `region` through an admin's session: a fresh region
 * account for a test that changes what no other test may see changed.
 */
export async function createCoordinator(admin: Page, region: string, what: string, name: string): Promise<Account> {
  const suffix = uniqueSuffix();
  const account: Account = {
    email: `e2e-${what}-${suffix}@nad.example`,
    password: `een lang wachtwoord ${suffix}`,
    name: `${name} ${suffix}`,
    roleLabel: 'Regiocoördinator',
    startPage: ACCOUNTS.utrecht.startPage,
    startHeading: QUESTIONNAIRE_TITLE,
  };
  const created = await admin.request.post('/api/users/create', {
    form: { email: account.email, display_name: account.name, role: 'coordinator', region_code: region },
  });
  expect(created.ok(), await created.text()).toBe(true);
  // The invitation arrives by mail; its link lets the new coordinator choose a password.
  const token = tokenIn(await mailTo(account.email, /Uitnodiging/));
  const chosen = await admin.request.post('/api/account/choose_password', {
    form: { token, password: account.password },
  });
  expect(chosen.ok(), await chosen.text()).toBe(true);
  return account;
}

/** A mail as the SMTP sink received it, with its plain-text part decoded. */
export type ReceivedMail = { to: string[]; subject: string; text: string; html: string };

/** Decodes one MIME part's body by its Content-Transfer-Encoding. */
function decodePart(part: string): { type: string; body: string } {
  const split = part.indexOf('\r\n\r\n');
  const headers = part.slice(0, split).toLowerCase();
  let body = part.slice(split + 4);
  if (headers.includes('content-transfer-encoding: quoted-printable')) {
    const bytes = body
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    body = Buffer.from(bytes, 'latin1').toString('utf8');
  } else if (headers.includes('content-transfer-encoding: base64')) {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  const type = /content-type: ([^;\r\n]+)/.exec(headers)?.[1] ?? 'text/plain';
  return { type, body };
}

function parseMail(to: string[], data: string): ReceivedMail {
  const headerEnd = data.indexOf('\r\n\r\n');
  const headers = data.slice(0, headerEnd);
  const rawSubject = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(headers)?.[1] ?? '';
  // Encoded words (=?utf-8?b?...?= or =?utf-8?q?...?=), as mail clients show them.
  const subject = rawSubject.replace(/\r\n[ \t]/g, ' ').replace(
    /=\?utf-8\?([bq])\?([^?]*)\?=\s?/gi,
    (_, kind: string, text: string) =>
      kind.toLowerCase() === 'b'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
            text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          ).toString('utf8'),
  );
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(headers)?.[1];
  const parts = boundary ? data.split(`--${boundary}`).slice(1, -1).map((p) => p.replace(/^\r\n/, '')) : [data];
  const decoded = parts.map(decodePart);
  return {
    to,
    subject: subject.trim(),
    text: decoded.find((p) => p.type === 'text/plain')?.body ?? '',
    html: decoded.find((p) => p.type === 'text/html')?.body ?? '',
  };
}

/**
 * The newest mail to `address` whose subject matches, as the SMTP sink received it; waits up
 * to 30 s for it (the server delivers its outbox every 2 s).
 */
export async function mailTo(address: string, subject: RegExp, after = 0): Promise<ReceivedMail> {
  const dir = process.env.NAD_E2E_MAIL_DIR;
  if (!dir) throw new Error('No SMTP sink: run the tests through global-setup.ts.');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const files = fs.readdirSync(dir).sort().reverse();
    for (const file of files) {
      if (Number(file.split('-')[0]) < after) continue;
      const { to, data } = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { to: string[]; data: string };
      if (!to.some((t) => t.toLowerCase() === address.toLowerCase())) continue;
      const mail = parseMail(to, data);
      if (subject.test(mail.subject)) return mail;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`No mail to ${address} with a subject like ${subject} within 30 s. Is the server started with NAD_SMTP_URL=smtp://127.0.0.1:2525?`);
}

/** The link to choose a password in a mail's text. */
export function linkIn(mail: ReceivedMail): string {
  const link = /https?:\/\/\S+\/wachtwoord-kiezen\?sleutel=[A-Za-z0-9_-]+/.exec(mail.text)?.[0];
  if (!link) throw new Error(`No link in the mail: ${mail.text}`);
  return link;
}

/** The token of that link. */
export function tokenIn(mail: ReceivedMail): string {
  return new URL(linkIn(mail)).searchParams.get('sleutel') ?? '';
}

export function errorSummary(page: Page): Locator {
  return page.getByRole('alert').filter({ has: page.getByRole('heading', { name: 'Er is een probleem' }) });
}

type Choice = { code: string; label: string };
export type Kind = string | Record<string, Record<string, unknown>>;
export type Raw = { values: string[]; rows: Record<string, string>; special: null };

/** A valid answer for an item, from its type as the section endpoint describes it. */
export function validRaw(kind: Kind): Raw {
  const raw: Raw = { values: [], rows: {}, special: null };
  if (kind === 'YesNo' || kind === 'YesPartlyNo') return { ...raw, values: ['ja'] };
  const [name, spec] = Object.entries(kind as Record<string, Record<string, unknown>>)[0];
  const options = (spec.options as Choice[] | undefined) ?? [];
  const atLeastZero = (n: unknown) => String(Math.max(Number(n ?? 0), 0));
  switch (name) {
    case 'SingleChoice':
      return { ...raw, values: [options[0].code] };
    case 'MultipleChoice':
      return { ...raw, values: options.slice(0, Math.max(Number(spec.min_selected ?? 1), 1)).map((o) => o.code) };
    case 'Ranking':
      return { ...raw, values: options.slice(0, Number(spec.rank)).map((o) => o.code) };
    case 'Integer':
    case 'Decimal':
      return { ...raw, values: [atLeastZero(spec.min)] };
    case 'Percentage':
      return { ...raw, values: ['0'] };
    case 'ShortText':
    case 'LongText':
      return { ...raw, values: ['Toelichting'] };
    case 'Date':
      return { ...raw, values: [String(spec.max ?? spec.min ?? '2026-06-01')] };
    case 'Scale':
      return { ...raw, values: ['3'] };
    case 'Matrix': {
      const cell = spec.cell as Kind;
      let value = 'ja';
      if (typeof cell !== 'string') {
        const [cellName, cellSpec] = Object.entries(cell)[0];
        value = cellName === 'Integer' ? atLeastZero(cellSpec.min) : (cellSpec.options as Choice[])[0].code;
      }
      const rows: Record<string, string> = {};
      for (const row of spec.rows as Choice[]) rows[row.code] = value;
      return { ...raw, rows };
    }
    default:
      throw new Error(`unknown item type ${name}`);
  }
}

/**
 * Answers every question that is asked, through the same server functions the pages use,
 * until no new question appears (answers can make follow-up questions visible).
 */
export async function answerEverything(page: Page, responseId: string): Promise<void> {
  const tasks = await page.request.post('/api/responses/tasks', { form: { response_id: responseId } });
  expect(tasks.ok(), 'task list').toBe(true);
  const sections = ((await tasks.json()) as { sections: { key: string }[] }).sections.map((s) => s.key);
  for (let round = 0; round < 4; round++) {
    let saved = 0;
    for (const section of sections) {
      const reply = await page.request.post('/api/responses/section', {
        form: { response_id: responseId, section },
      });
      expect(reply.ok(), `section ${section}`).toBe(true);
      const view = (await reply.json()) as {
        items: { item: { key: string; kind: Kind }; version: number; hidden: boolean; raw: Raw }[];
      };
      for (const { item, version, hidden, raw } of view.items) {
        if (hidden || raw.values.length > 0 || Object.keys(raw.rows).length > 0) continue;
        const save = await page.request.post('/api/responses/save', {
          data: { response_id: responseId, answers: [{ key: item.key, raw: validRaw(item.kind), base_version: version }] },
        });
        expect(save.ok(), `save ${item.key}: ${await save.text()}`).toBe(true);
        saved++;
      }
    }
    if (saved === 0) return;
  }
}
