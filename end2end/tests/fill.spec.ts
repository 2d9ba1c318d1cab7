/**
 * Filling in the questionnaire: the task list, section pages (saving with and without
 * JavaScript, autosave, conditions, invalid input), conflicts between two sessions, an
 * ended session, the keyboard, and the check page that refuses an incomplete response.
 *
 * Isolation: both projects share one database and a submitted response can never change
 * again. So each project changes only its own region's response: Groningen (R01) in "js",
 * Noord- en Midden-Drenthe (R03) in "nojs"; only the submit test submits, Utrecht's (R16)
 * in "js" and, in "nojs", that of a region (R20) it gives a coordinator first. Values a test
 * checks afterwards are unique per run.
 */
import {
  type Account,
  ACCOUNTS,
  answerEverything,
  createCoordinator,
  errorSummary,
  expect,
  expectAccessible,
  expectFailedRequest,
  expectSignedInAs,
  heading,
  javaScriptEnabled,
  login,
  open,
  QUESTIONNAIRE_TITLE,
  submitLogin,
  test,
  uniqueSuffix,
  waitForApp,
  waitForEnhancedForm,
} from './support';
import type { Locator, Page } from '@playwright/test';

// ---------------------------------------------------------------------------------------
// The questionnaire of the open demo round (questionnaires/nad-2026-06.toml)
// ---------------------------------------------------------------------------------------

const ROUND = '6e meting – december 2026';

const SECTIONS: [key: string, title: string][] = [
  ['A', 'Regio en respons'],
  ['B', 'Regionale aanpak'],
  ['C', 'Bestaanszekerheid'],
  ['D', 'Preventie'],
  ['E', 'Wonen Eerst en doorstroom'],
  ['F', 'Opvang, toegang en outreach'],
  ['G', 'Integraal werken en ervaringskennis'],
  ['H', 'Inclusieve aanpak'],
  ['I', 'Aantallen'],
  ['J', 'Knelpunten en successen'],
  ['K', 'Afronding'],
];

const SECTION_STATUS = /^(Niet begonnen|Bezig|Klaar|Bevat fouten|Niet van toepassing)$/;

/**
 * Labels of the questions the tests use, matched from the start: the accessible name goes on
 * with " (verplicht)" or " (optioneel)".
 */
const LABEL = {
  // Section A
  confirmed: /^Klopt de lijst met gemeenten die bij uw regio horen/,
  missingMunicipalities: /^Welke gemeenten ontbreken of horen niet/,
  contact: /^Naam en functie van de contactpersoon/,
  referenceDate: /^Wat is de peildatum van de antwoorden/,
  contributors: /^Wie hebben meegewerkt aan de antwoorden/,
  coordinated: /^Zijn de antwoorden afgestemd met de regiogemeenten/,
  notCoordinatedWhy: /^Waarom zijn de antwoorden niet \(helemaal\) afgestemd/,
  // Section E (integer)
  customHomes: /^Hoeveel maatwerkwoningen zijn er op de peildatum/,
  // Section E (a warning across two questions, shown when the first is "Ja")
  agreements: /^Zijn er afspraken met woningcorporaties over woningen voor dakloze mensen/,
  quota: /^Hoeveel woningen per jaar staan in deze afspraken/,
  allotted: /^Hoeveel woningen zijn in het afgelopen half jaar via deze afspraken toegewezen/,
  // Section I
  inView: /^Hoeveel dakloze mensen zijn op de peildatum in beeld/,
  inShelter: /^Hoeveel van hen verblijven in de opvang/,
  countsNote: /^Toelichting bij de aantallen/,
  youngPeople: /^Hoeveel van de mensen in beeld zijn jonger dan 27 jaar/,
  // Section J
  success: /^Wat ging er het afgelopen half jaar goed/,
  // Section K
  finalNote: /^Wilt u nog iets toelichten over de antwoorden/,
  approved: /^Heeft de verantwoordelijke ambtenaar de antwoorden goedgekeurd/,
};

const CONTRIBUTORS = [
  'Centrumgemeente',
  'Regiogemeenten',
  'Zorgaanbieders en opvangorganisaties',
  'Woningcorporaties',
  'Ervaringsdeskundigen',
  'GGD',
  'Anders',
];

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

type Filler = { account: Account; code: string; region: string };

/** The coordinator whose response this project may change (see the top of the file). */
function filler(): Filler {
  return javaScriptEnabled()
    ? { account: ACCOUNTS.groningen, code: 'R01', region: 'Groningen' }
    : { account: ACCOUNTS.assen, code: 'R03', region: 'Noord- en Midden-Drenthe' };
}

function sectionTitle(key: string): string {
  const found = SECTIONS.find(([k]) => k === key);
  if (!found) throw new Error(`no section ${key}`);
  return found[1];
}

/** Logs in; the start page is the task list. Returns its address, `/vragenlijst/<id>`. */
async function startFilling(page: Page, account: Account): Promise<string> {
  await login(page, account);
  const match = /^\/vragenlijst\/([0-9a-f-]{36}(?:\.[A-Za-z0-9-]+)?)$/.exec(new URL(page.url()).pathname);
  expect(match, `the start page ${page.url()} is a task list`).not.toBeNull();
  return `/vragenlijst/${match![1]}`;
}

function sectionForm(page: Page): Locator {
  return page.locator('form.section-form');
}

/** The save status beside one question (`data-veld` is the item key). */
function fieldStatus(page: Page, key: string): Locator {
  return page.locator(`p.field-status[data-veld="${key}"]`);
}

function pageSaveStatus(page: Page): Locator {
  return page.locator('p.page-save-status');
}

/** The notice after saving a section without JavaScript. */
function savedNotice(page: Page): Locator {
  return page.getByRole('status').filter({ hasText: 'Uw antwoorden in deze sectie zijn opgeslagen.' });
}

function conflictPanel(page: Page): Locator {
  return page
    .getByRole('alert')
    .filter({ has: page.getByRole('heading', { name: 'Een collega heeft dit antwoord gewijzigd' }) });
}

/** One answer in the conflict panel: the row whose term matches `term`. */
function conflictAnswer(page: Page, term: RegExp): Locator {
  return conflictPanel(page)
    .locator('.summary-list__row')
    .filter({ has: page.locator('dt').filter({ hasText: term }) })
    .locator('dd');
}

function taskListItem(page: Page, key: string): Locator {
  const number = SECTIONS.findIndex(([k]) => k === key) + 1;
  return page
    .locator('li.task-list__item')
    .filter({ has: page.getByRole('link', { name: `${number}. ${sectionTitle(key)}`, exact: true }) });
}

/**
 * With JavaScript, waits until no save is pending: a change is sent 0.3 s (choices) or 0.9 s
 * (typing) after it is made, so first let those timers run out. Navigating away earlier
 * would drop a save (or ask "leave the page?"), which is not what these tests are about.
 */
async function waitUntilSettled(page: Page): Promise<void> {
  if (!javaScriptEnabled()) return;
  await page.waitForTimeout(1_500);
  await expect(
    page.locator('p.field-status').filter({ hasText: /^(Bezig met opslaan…|Niet opgeslagen wijziging)$/ }),
  ).toHaveCount(0);
  await expect(pageSaveStatus(page)).not.toContainText(/worden opgeslagen|Niet alles is opgeslagen/);
}

/** Opens a section (a fresh page load) and, with JavaScript, waits until its form is live. */
async function openSection(page: Page, base: string, key: string): Promise<void> {
  if (/\/sectie\//.test(page.url())) await waitUntilSettled(page);
  await open(page, `${base}/sectie/${key}`);
  await expect(heading(page)).toHaveText(sectionTitle(key));
  await waitForEnhancedForm(sectionForm(page));
}

/** Reloads the section page once every save is done. */
async function reloadSection(page: Page): Promise<void> {
  await waitUntilSettled(page);
  await page.reload();
  await waitForApp(page);
  await waitForEnhancedForm(sectionForm(page));
}

/** Presses "Opslaan" (not "Opslaan en verder"). */
async function clickSave(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'Opslaan', exact: true });
  await waitForEnhancedForm(button);
  await button.click();
}

/**
 * Presses "Opslaan" and waits until the section is saved: with JavaScript in place (the
 * page-level status), without it after the post and redirect back (the notice).
 */
async function saveSection(page: Page): Promise<void> {
  await clickSave(page);
  if (javaScriptEnabled()) {
    await expect(pageSaveStatus(page)).toContainText(/Alle wijzigingen zijn opgeslagen om \d{2}:\d{2}\./);
  } else {
    await expect(page, 'saved, without a conflict').toHaveURL(/\/sectie\/[A-Z]\?melding=opgeslagen$/);
    await expect(savedNotice(page)).toBeVisible();
  }
}

/** The item keys of changes the page keeps in the browser until the server has them. */
async function pendingChanges(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .filter((name) => name.startsWith('nad-onverzonden-'))
      .flatMap((name) => Object.keys(JSON.parse(localStorage.getItem(name) ?? '{}') as object)),
  );
}

type SectionA = { contact: string; date: string; contributors: string[] };

async function fillSectionA(page: Page, answers: SectionA): Promise<void> {
  await page.getByRole('group', { name: LABEL.confirmed }).getByRole('radio', { name: 'Ja', exact: true }).check();
  await page.getByLabel(LABEL.contact).fill(answers.contact);
  await page.getByLabel(LABEL.referenceDate).fill(answers.date);
  const contributors = page.getByRole('group', { name: LABEL.contributors });
  for (const label of CONTRIBUTORS) {
    await contributors
      .getByRole('checkbox', { name: label, exact: true })
      .setChecked(answers.contributors.includes(label));
  }
  await page.getByRole('group', { name: LABEL.coordinated }).getByRole('radio', { name: 'Ja', exact: true }).check();
}

async function expectSectionA(page: Page, answers: SectionA): Promise<void> {
  await expect(
    page.getByRole('group', { name: LABEL.confirmed }).getByRole('radio', { name: 'Ja', exact: true }),
  ).toBeChecked();
  await expect(page.getByLabel(LABEL.contact)).toHaveValue(answers.contact);
  await expect(page.getByLabel(LABEL.referenceDate)).toHaveValue(answers.date);
  const contributors = page.getByRole('group', { name: LABEL.contributors });
  for (const label of CONTRIBUTORS) {
    const box = contributors.getByRole('checkbox', { name: label, exact: true });
    if (answers.contributors.includes(label)) await expect(box, label).toBeChecked();
    else await expect(box, label).not.toBeChecked();
  }
  await expect(
    page.getByRole('group', { name: LABEL.coordinated }).getByRole('radio', { name: 'Ja', exact: true }),
  ).toBeChecked();
  // "Ja" twice: neither follow-up question applies.
  await expect(page.getByLabel(LABEL.missingMunicipalities)).toBeHidden();
  await expect(page.getByLabel(LABEL.notCoordinatedWhy)).toBeHidden();
}

// ---------------------------------------------------------------------------------------
// Task list and pages
// ---------------------------------------------------------------------------------------

test.describe('invullen: overzicht', () => {
  test('a coordinator lands on the task list of the open round and can reach every page', async ({ page }) => {
    const { account, code, region } = filler();
    const base = await startFilling(page, account);
    const main = page.getByRole('main');
    await expect(heading(page)).toHaveText(QUESTIONNAIRE_TITLE);
    await expect(main.getByText(`${region} · ${ROUND}`, { exact: true })).toBeVisible();

    // One entry per section, in order, each with its counts and a status.
    const items = main.locator('ol.task-list > li.task-list__item');
    await expect(items).toHaveCount(SECTIONS.length);
    for (const [n, [key, title]] of SECTIONS.entries()) {
      const item = items.nth(n);
      await expect(item.getByRole('link', { name: `${n + 1}. ${title}`, exact: true })).toHaveAttribute(
        'href',
        `${base}/sectie/${key}`,
      );
      await expect(item.locator('.task-list__hint')).toContainText(/\d+ van \d+ verplichte vragen beantwoord/);
      await expect(item.locator('strong.tag')).toHaveText(SECTION_STATUS);
    }
    await expect(main.getByRole('link', { name: 'Antwoorden controleren' })).toHaveAttribute(
      'href',
      `${base}/controleren`,
    );
    await expect(main.getByRole('link', { name: 'Afdrukversie van alle antwoorden' })).toHaveAttribute(
      'href',
      `${base}/afdrukken`,
    );
    await expectAccessible(page, 'task list');

    // A section page: a plain form that posts the section, every question labelled.
    await main.getByRole('link', { name: '1. Regio en respons', exact: true }).click();
    await expect(page).toHaveURL(`${base}/sectie/A`);
    await expect(heading(page)).toHaveText('Regio en respons');
    await waitForApp(page);
    await expect(page.getByRole('main').getByText('Sectie 1 van 11', { exact: true })).toBeVisible();
    const form = sectionForm(page);
    await expect(form).toHaveAttribute('method', 'post');
    await expect(form).toHaveAttribute('action', `${base}/sectie/A/opslaan`);
    await expect(page.getByRole('group', { name: LABEL.confirmed })).toHaveAccessibleName(
      /^Klopt de lijst .* \(verplicht\)$/,
    );
    await expect(page.getByLabel(LABEL.contact)).toHaveAttribute('name', 'a.a_contactpersoon');
    await expect(page.getByRole('button', { name: 'Opslaan en verder' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Opslaan', exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Volgende: Regionale aanpak' })).toHaveAttribute(
      'href',
      `${base}/sectie/B`,
    );
    await expectAccessible(page, 'section page');

    await open(page, `${base}/controleren`);
    await expect(heading(page)).toHaveText('Antwoorden controleren');
    await expect(page.getByRole('heading', { level: 2, name: /^Regio en respons/ })).toBeVisible();
    await expectAccessible(page, 'check page');

    await open(page, `${base}/afdrukken`);
    await expect(heading(page)).toHaveText(QUESTIONNAIRE_TITLE);
    await expect(page.getByRole('main')).toContainText(`${region} (${code}) · ${ROUND}`);
    for (const [, title] of SECTIONS) {
      await expect(page.getByRole('heading', { level: 2, name: title, exact: true })).toBeVisible();
    }
    await expectAccessible(page, 'print page');

    // The way in, and the region page, lead to the same response.
    await open(page, '/invullen');
    await expect(page).toHaveURL(base);
    await open(page, `/regio/${code}`);
    await expect(page.getByRole('main').getByRole('link', { name: ROUND })).toHaveAttribute('href', base);
  });
});

// ---------------------------------------------------------------------------------------
// Saving a section
// ---------------------------------------------------------------------------------------

test.describe('invullen: sectie opslaan', () => {
  test('a coordinator fills in section A, saves, and finds the answers again', async ({ page }) => {
    const { account } = filler();
    const base = await startFilling(page, account);
    await page.getByRole('link', { name: '1. Regio en respons', exact: true }).click();
    await expect(page).toHaveURL(`${base}/sectie/A`);
    await expect(heading(page)).toHaveText('Regio en respons');
    await waitForEnhancedForm(sectionForm(page));

    const answers: SectionA = {
      contact: `E2E-contact ${uniqueSuffix()}, beleidsadviseur`,
      date: '2026-06-30',
      contributors: ['Centrumgemeente', 'GGD'],
    };
    await fillSectionA(page, answers);
    await saveSection(page);

    // A new request shows what the server stored.
    await reloadSection(page);
    await expectSectionA(page, answers);
    await expect(fieldStatus(page, 'a_contactpersoon')).toContainText(`Laatst opgeslagen door ${account.name}`);

    // Every required question of the section is answered.
    await page.getByRole('link', { name: 'Terug naar het overzicht' }).click();
    await expect(page).toHaveURL(base);
    await expect(heading(page)).toHaveText(QUESTIONNAIRE_TITLE);
    const item = taskListItem(page, 'A');
    await expect(item.locator('strong.tag')).toHaveText('Klaar');
    await expect(item.locator('.task-list__hint')).toContainText('5 van 5 verplichte vragen beantwoord');

    // The check page lists the answer, with a link back to the question.
    await open(page, `${base}/controleren`);
    await expect(page.getByRole('heading', { level: 2, name: /^Regio en respons/ })).toContainText('Klaar');
    const row = page
      .locator('.summary-list__row')
      .filter({ has: page.locator('dt').filter({ hasText: /^Naam en functie van de contactpersoon/ }) });
    await expect(row.locator('dd').first()).toHaveText(answers.contact);
    await expect(
      row.getByRole('link', { name: 'Wijzigen: Naam en functie van de contactpersoon voor deze vragenlijst' }),
    ).toHaveAttribute('href', `${base}/sectie/A#vraag-a_contactpersoon`);
  });

  test('with JavaScript, an answer saves itself shortly after typing', async ({ page }) => {
    test.skip(!javaScriptEnabled(), 'autosave needs JavaScript');
    const { account } = filler();
    const base = await startFilling(page, account);
    await openSection(page, base, 'A');

    const value = `Autosave ${uniqueSuffix()}`;
    await page.getByLabel(LABEL.contact).fill(value);
    // No button pressed: the pause in typing is enough.
    await expect(fieldStatus(page, 'a_contactpersoon')).toHaveText(/^Opgeslagen om \d{2}:\d{2}$/);
    await expect(pageSaveStatus(page)).toContainText(/Alle wijzigingen zijn opgeslagen om \d{2}:\d{2}\./);
    expect(new URL(page.url()).search, 'the page stayed where it was').toBe('');

    await reloadSection(page);
    await expect(page.getByLabel(LABEL.contact)).toHaveValue(value);
    await expect(fieldStatus(page, 'a_contactpersoon')).toContainText(`Laatst opgeslagen door ${account.name}`);
  });

  test('a follow-up question appears when an answer calls for it', async ({ page }) => {
    const { account } = filler();
    const base = await startFilling(page, account);
    await openSection(page, base, 'A');
    const confirmed = page.getByRole('group', { name: LABEL.confirmed });
    const explanation = page.getByLabel(LABEL.missingMunicipalities);

    await confirmed.getByRole('radio', { name: 'Ja', exact: true }).check();
    if (!javaScriptEnabled()) await saveSection(page);
    await expect(explanation).toBeHidden();

    await confirmed.getByRole('radio', { name: 'Nee', exact: true }).check();
    if (javaScriptEnabled()) {
      // Live, as the answer changes.
      await expect(explanation).toBeVisible();
      // The answer that shows it is saved before the follow-up is typed (the server refuses
      // an answer to a question that the stored answers hide).
      await expect(fieldStatus(page, 'a_gemeenten_bevestigd')).toHaveText(/^Opgeslagen om/);
      const text = `Gemeente Voorbeeld ${uniqueSuffix()} hoort sinds 1 januari bij de regio.`;
      await explanation.fill(text);
      // The character counter follows typing, and describes the field.
      const counter = `Nog ${1000 - [...text].length} van 1000 tekens over.`;
      await expect(page.locator('#vraag-a_gemeenten_toelichting-teller')).toHaveText(counter);
      await expect(explanation).toHaveAccessibleDescription(new RegExp(`${counter.replace(/\./g, '\\.')}$`));
      await expect(fieldStatus(page, 'a_gemeenten_toelichting')).toHaveText(/^Opgeslagen om/);

      // The same for "deels" on the other question with a follow-up.
      const coordinated = page.getByRole('group', { name: LABEL.coordinated });
      const why = page.getByLabel(LABEL.notCoordinatedWhy);
      await coordinated.getByRole('radio', { name: 'Deels', exact: true }).check();
      await expect(why).toBeVisible();
      await coordinated.getByRole('radio', { name: 'Ja', exact: true }).check();
      await expect(why).toBeHidden();
    } else {
      // Without JavaScript nothing changes until the section is saved.
      await expect(explanation).toBeHidden();
      await saveSection(page);
      await expect(explanation).toBeVisible();
      await expect(page.locator('#vraag-a_gemeenten_toelichting-teller')).toHaveText('Nog 1000 van 1000 tekens over.');
    }
    await expectAccessible(page, 'section A with a follow-up question');

    // Back to "Ja": the follow-up goes away again.
    await confirmed.getByRole('radio', { name: 'Ja', exact: true }).check();
    if (javaScriptEnabled()) {
      await expect(explanation).toBeHidden();
      await expect(fieldStatus(page, 'a_gemeenten_bevestigd')).toHaveText(/^Opgeslagen om/);
    } else {
      await saveSection(page);
    }
    await reloadSection(page);
    await expect(confirmed.getByRole('radio', { name: 'Ja', exact: true })).toBeChecked();
    await expect(explanation).toBeHidden();
  });

  test('invalid input is kept, flagged and linked from the error summary', async ({ page }) => {
    const { account } = filler();
    const base = await startFilling(page, account);
    // An integer question: a date field can not hold an impossible date in a real browser,
    // but a number field takes any text.
    await openSection(page, base, 'E');
    const input = page.getByLabel(LABEL.customHomes);
    const typed = `ongeveer ${uniqueSuffix()}`;
    await input.fill(typed);
    await saveSection(page);

    await reloadSection(page);
    // The input is stored as typed, not thrown away.
    await expect(input).toHaveValue(typed);
    const summary = errorSummary(page);
    await expect(summary).toBeVisible();
    const link = summary.getByRole('link', { name: LABEL.customHomes });
    await expect(link).toHaveAttribute('href', '#vraag-e_maatwerkwoningen');
    await expect(link).toContainText(`Vul een heel getal in, zonder letters of komma (u vulde '${typed}' in).`);
    await expect(page.locator('#vraag-e_maatwerkwoningen-blok .form-error')).toContainText(
      'Vul een heel getal in, zonder letters of komma',
    );
    await expect(input).toHaveAttribute('aria-describedby', /(^|\s)vraag-e_maatwerkwoningen-fout(\s|$)/);
    await expectAccessible(page, 'section with invalid input');

    // The summary's link takes the keyboard to the field.
    await link.focus();
    await page.keyboard.press('Enter');
    await expect(input).toBeFocused();

    // The task list counts it as an error.
    await open(page, base);
    await expect(taskListItem(page, 'E').locator('strong.tag')).toHaveText('Bevat fouten');
    await expect(taskListItem(page, 'E').locator('.task-list__hint')).toContainText('fout(en)');

    // Corrected, the message goes.
    await openSection(page, base, 'E');
    await input.fill('12');
    await saveSection(page);
    await reloadSection(page);
    await expect(input).toHaveValue('12');
    // (Other questions of the section may have problems of their own; this one has none.)
    await expect(page.locator('a[href="#vraag-e_maatwerkwoningen"]')).toHaveCount(0);
    await expect(page.locator('#vraag-e_maatwerkwoningen-blok .form-error')).toHaveCount(0);
  });

  test('a rule across questions is checked as the answers change and stays after saving', async ({ page }) => {
    const { account } = filler();
    const base = await startFilling(page, account);
    await openSection(page, base, 'I');
    const total = page.getByLabel(LABEL.inView);
    const sheltered = page.getByLabel(LABEL.inShelter);
    const message = 'Het aantal mensen in de opvang kan niet groter zijn dan het totaal aantal mensen in beeld.';
    const errors = page.locator('#vraag-i_in_opvang-blok .form-error');
    await total.fill('10');
    await sheltered.fill('25');
    if (javaScriptEnabled()) {
      // At once, without a reload: beside the question, linked from it, in the summary, and
      // announced politely.
      await expect(errors).toContainText(message);
      await expect(sheltered).toHaveAttribute('aria-describedby', /(^|\s)vraag-i_in_opvang-fout(\s|$)/);
      await expect(page.locator('#regelmeldingen')).toHaveAttribute('aria-live', 'polite');
      await expect(page.locator('#regelmeldingen')).toContainText(message);
      await expect(errorSummary(page).getByRole('link', { name: LABEL.inShelter })).toContainText(message);
      // Saving does not take it away.
      await expect(fieldStatus(page, 'i_in_opvang')).toHaveText(/^Opgeslagen om/);
      await expect(fieldStatus(page, 'i_in_beeld')).toHaveText(/^Opgeslagen om/);
      await expect(errors).toContainText(message);
    } else {
      await saveSection(page);
      await expect(errors).toContainText(message);
    }
    await expectAccessible(page, 'section with a broken rule');
    // The server, after a reload, says the same.
    await reloadSection(page);
    await expect(errors).toContainText(message);
    await expect(sheltered).toHaveAttribute('aria-describedby', /(^|\s)vraag-i_in_opvang-fout(\s|$)/);

    // Corrected in the other question: the message goes (at once with JavaScript).
    await total.fill('100000');
    if (!javaScriptEnabled()) await saveSection(page);
    await expect(errors).toHaveCount(0);
    await expect(sheltered).not.toHaveAttribute('aria-describedby', /vraag-i_in_opvang-fout/);
    await waitUntilSettled(page);
  });

  test('a warning across questions appears and goes as the answers change', async ({ page }) => {
    const { account } = filler();
    const base = await startFilling(page, account);
    await openSection(page, base, 'E');
    await page.getByRole('group', { name: LABEL.agreements }).getByRole('radio', { name: 'Ja', exact: true }).check();
    if (!javaScriptEnabled()) await saveSection(page);
    if (javaScriptEnabled()) await expect(fieldStatus(page, 'e_afspraken_corporaties')).toHaveText(/^Opgeslagen om/);
    const quota = page.getByLabel(LABEL.quota);
    const allotted = page.getByLabel(LABEL.allotted);
    const warning = page.locator('#vraag-e_woningen_toegewezen-waarschuwing');
    const text = 'In een half jaar zijn meer woningen toegewezen dan het aantal per jaar in de afspraken. Klopt dat?';
    await quota.fill('10');
    await allotted.fill('50');
    if (!javaScriptEnabled()) await saveSection(page);
    await expect(warning).toBeVisible();
    await expect(warning).toContainText(text);
    await expect(allotted).toHaveAttribute('aria-describedby', /(^|\s)vraag-e_woningen_toegewezen-waarschuwing(\s|$)/);
    if (javaScriptEnabled()) await expect(page.locator('#regelmeldingen')).toContainText(text);
    await expectAccessible(page, 'section with a warning');

    await quota.fill('80');
    if (!javaScriptEnabled()) await saveSection(page);
    await expect(warning).toBeHidden();
    await expect(allotted).not.toHaveAttribute('aria-describedby', /waarschuwing/);
    await reloadSection(page);
    await expect(warning).toBeHidden();
    await expect(allotted).toHaveValue('50');
  });
});

// ---------------------------------------------------------------------------------------
// Two sessions at once
// ---------------------------------------------------------------------------------------

test.describe('invullen: tegelijk wijzigen', () => {
  // A colleague is simulated by the same account in a second browser session: every page
  // saves against the versions it loaded, so two sessions of one person conflict just like
  // two colleagues. The conflict then names this same person.

  test('a save over a colleague’s newer answer is refused and shows both; the user keeps theirs', async ({
    page,
    newSession,
  }) => {
    const { account } = filler();
    const base = await startFilling(page, account);
    const colleague = await newSession();
    await login(colleague, account);
    const suffix = uniqueSuffix();
    const mine = `Mijn succes ${suffix}`;
    const theirs = `Succes van de collega ${suffix}`;

    // Both open the section before either saves.
    await openSection(page, base, 'J');
    await openSection(colleague, base, 'J');
    await colleague.getByLabel(LABEL.success).fill(theirs);
    await saveSection(colleague);

    await page.getByLabel(LABEL.success).fill(mine);
    await clickSave(page);
    const panel = conflictPanel(page);
    await expect(panel).toBeVisible();
    if (javaScriptEnabled()) {
      await expect(fieldStatus(page, 'j_succesverhaal')).toHaveText(
        'Niet opgeslagen – een collega wijzigde dit antwoord',
      );
    } else {
      await expect(page).toHaveURL(`${base}/sectie/J?melding=conflict`);
      await expect(page.getByRole('status').filter({ hasText: 'een collega wijzigde een of meer antwoorden' })).toBeVisible();
    }
    await expect(panel).toContainText(`${account.name} wijzigde dit antwoord op`);
    await expect(panel).toContainText('Er is niets overschreven.');
    await expect(conflictAnswer(page, /^Uw antwoord$/)).toHaveText(mine);
    await expect(conflictAnswer(page, new RegExp(`^Antwoord van ${account.name}$`))).toHaveText(theirs);
    await expectAccessible(page, 'section with a conflict');

    await panel.getByRole('button', { name: 'Mijn antwoord bewaren' }).click();
    await expect(conflictPanel(page)).toHaveCount(0);
    if (javaScriptEnabled()) {
      await expect(fieldStatus(page, 'j_succesverhaal')).toHaveText(/^Opgeslagen om \d{2}:\d{2}$/);
    }

    // Stored: mine, for both sessions.
    await openSection(page, base, 'J');
    await expect(page.getByLabel(LABEL.success)).toHaveValue(mine);
    await expect(conflictPanel(page)).toHaveCount(0);
    await openSection(colleague, base, 'J');
    await expect(colleague.getByLabel(LABEL.success)).toHaveValue(mine);
  });

  test('a conflict stays until it is decided, also after a reload; the user takes the colleague’s answer', async ({
    page,
    newSession,
  }) => {
    const { account } = filler();
    const base = await startFilling(page, account);
    const colleague = await newSession();
    await login(colleague, account);
    const suffix = uniqueSuffix();
    const mine = `Mijn toelichting ${suffix}`;
    const theirs = `Toelichting van de collega ${suffix}`;

    await openSection(page, base, 'K');
    await openSection(colleague, base, 'K');
    await colleague.getByLabel(LABEL.finalNote).fill(theirs);
    await saveSection(colleague);
    await page.getByLabel(LABEL.finalNote).fill(mine);
    await clickSave(page);
    await expect(conflictPanel(page)).toBeVisible();

    // The refused answer is kept on the server: a new load of the page still shows both.
    await reloadSection(page);
    await expect(conflictPanel(page)).toBeVisible();
    await expect(conflictAnswer(page, /^Uw antwoord$/)).toHaveText(mine);
    await expect(conflictAnswer(page, new RegExp(`^Antwoord van ${account.name}$`))).toHaveText(theirs);

    await conflictPanel(page).getByRole('button', { name: 'Antwoord van collega nemen' }).click();
    await expect(conflictPanel(page)).toHaveCount(0);
    await expect(page.getByLabel(LABEL.finalNote)).toHaveValue(theirs);
    await waitForApp(page);

    await openSection(page, base, 'K');
    await expect(page.getByLabel(LABEL.finalNote)).toHaveValue(theirs);
    await expect(conflictPanel(page)).toHaveCount(0);
  });

  test('colleagues changing different questions of one section both keep their answer', async ({
    page,
    newSession,
  }) => {
    const { account } = filler();
    const base = await startFilling(page, account);
    const colleague = await newSession();
    await login(colleague, account);
    const note = `Toelichting bij de aantallen ${uniqueSuffix()}`;
    const young = String(10_000 + (Date.now() % 80_000));

    await openSection(page, base, 'I');
    await openSection(colleague, base, 'I');
    await page.getByLabel(LABEL.countsNote).fill(note);
    await saveSection(page);

    // The colleague's page still holds the section as it was before that save. They change
    // another question and save the section: the question they did not touch must not
    // count as a conflict, nor undo the first save.
    await colleague.getByLabel(LABEL.youngPeople).fill(young);
    await saveSection(colleague);
    await expect(conflictPanel(colleague)).toHaveCount(0);

    for (const session of [page, colleague]) {
      await openSection(session, base, 'I');
      await expect(session.getByLabel(LABEL.countsNote)).toHaveValue(note);
      await expect(session.getByLabel(LABEL.youngPeople)).toHaveValue(young);
      await expect(conflictPanel(session)).toHaveCount(0);
    }
  });
});

// ---------------------------------------------------------------------------------------
// The session ends while filling in
// ---------------------------------------------------------------------------------------

test.describe('invullen: sessie verlopen', () => {
  /** Ends the session while the section is open, then changes the contact person. */
  async function changeAfterSessionEnded(page: Page, base: string): Promise<string> {
    await openSection(page, base, 'A');
    await page.context().clearCookies();
    // The autosave is refused.
    expectFailedRequest(page, 401, /\/api\/responses\/save$/);
    const value = `Na verlopen sessie ${uniqueSuffix()}`;
    await page.getByLabel(LABEL.contact).fill(value);
    await expect(page.getByRole('region', { name: 'U bent uitgelogd' })).toBeVisible();
    await expect(fieldStatus(page, 'a_contactpersoon')).toContainText('Niet opgeslagen – u bent uitgelogd');
    await expect(page.getByLabel(LABEL.contact)).toHaveValue(value);
    // Kept in the browser until the server has it.
    expect(await pendingChanges(page)).toEqual(['a_contactpersoon']);
    return value;
  }

  test('with JavaScript, the user logs in on the page and the change is saved', async ({ page }) => {
    test.skip(!javaScriptEnabled(), 'logging in on the section page needs JavaScript; see the no-JS test');
    const { account } = filler();
    const base = await startFilling(page, account);
    const value = await changeAfterSessionEnded(page, base);
    await expectAccessible(page, 'section with the login to save');

    const again = page.getByRole('region', { name: 'U bent uitgelogd' });
    const button = again.getByRole('button', { name: 'Inloggen en opslaan' });
    await waitForEnhancedForm(button);
    await again.getByLabel('E-mailadres').fill(account.email);
    await again.getByLabel('Wachtwoord').fill(account.password);
    await button.click();

    await expect(again).toBeHidden();
    await expect(fieldStatus(page, 'a_contactpersoon')).toHaveText(/^Opgeslagen om \d{2}:\d{2}$/);
    await expect.poll(() => pendingChanges(page)).toEqual([]);
    await reloadSection(page);
    await expect(page.getByLabel(LABEL.contact)).toHaveValue(value);
    await expectSignedInAs(page, account);
  });

  test('with JavaScript, a kept change is sent when the section is opened after logging in again', async ({
    page,
    newTab,
  }) => {
    test.skip(!javaScriptEnabled(), 'changes are kept in the browser only with JavaScript');
    const { account } = filler();
    const base = await startFilling(page, account);
    const value = await changeAfterSessionEnded(page, base);

    // Log in the usual way in another tab of the same browser and open the section there.
    const tab = await newTab();
    await open(tab, `${base}/sectie/A`);
    await expect(tab).toHaveURL(/\/login\?terug=/);
    await submitLogin(tab, account.email, account.password);
    await expect(tab).toHaveURL(`${base}/sectie/A`);
    await expect(heading(tab)).toHaveText('Regio en respons');
    await waitForApp(tab);
    await expect(tab.getByLabel(LABEL.contact)).toHaveValue(value);
    await expect(fieldStatus(tab, 'a_contactpersoon')).toHaveText(/^Opgeslagen om \d{2}:\d{2}$/);
    await expect.poll(() => pendingChanges(tab)).toEqual([]);

    await reloadSection(tab);
    await expect(tab.getByLabel(LABEL.contact)).toHaveValue(value);
  });

  test('without JavaScript, saving after the session ended asks to log in and then saves', async ({ page }) => {
    test.skip(javaScriptEnabled(), 'with JavaScript the page logs in again in place (tests above)');
    const { account } = filler();
    const base = await startFilling(page, account);
    await openSection(page, base, 'A');
    const value = `Na verlopen sessie ${uniqueSuffix()}`;
    await page.getByLabel(LABEL.contact).fill(value);

    await page.context().clearCookies();
    expectFailedRequest(page, 401, /\/sectie\/A\/opslaan$/);
    await clickSave(page);
    await expect(heading(page)).toHaveText('Log opnieuw in om op te slaan');
    await expect(page.getByRole('main')).toContainText('Uw antwoorden zijn niet verloren');

    // The login form carries the posted answers along.
    await page.getByLabel('E-mailadres').fill(account.email);
    await page.getByLabel('Wachtwoord').fill(account.password);
    await page.getByRole('button', { name: 'Inloggen en opslaan' }).click();

    await expect(page).toHaveURL(`${base}/sectie/A?melding=opgeslagen`);
    await expect(savedNotice(page)).toBeVisible();
    await expect(page.getByLabel(LABEL.contact)).toHaveValue(value);
    await expect(fieldStatus(page, 'a_contactpersoon')).toContainText(`Laatst opgeslagen door ${account.name}`);
    await expectSignedInAs(page, account);
  });
});

// ---------------------------------------------------------------------------------------
// Keyboard only
// ---------------------------------------------------------------------------------------

/** Presses Tab until `target` has focus, or focus is inside it (a group). */
async function tabTo(page: Page, target: Locator, limit = 60): Promise<void> {
  for (let n = 0; n < limit; n++) {
    const focused = await target.evaluate((element) => element.contains(document.activeElement));
    if (focused) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab did not reach ${target} in ${limit} presses`);
}

/** Tabs into a group of radio buttons and chooses `label` with Space and the arrow keys. */
async function chooseRadio(page: Page, group: Locator, label: string): Promise<void> {
  await tabTo(page, group);
  // Without a choice yet, Tab lands on the first option and Space chooses it; the arrow
  // keys move the choice through the options (and around).
  if ((await group.getByRole('radio', { checked: true }).count()) === 0) await page.keyboard.press('Space');
  const radio = group.getByRole('radio', { name: label, exact: true });
  for (let n = 0; n < 4 && !(await radio.isChecked()); n++) await page.keyboard.press('ArrowRight');
  await expect(radio).toBeChecked();
  await expect(radio).toBeFocused();
}

test.describe('invullen: toetsenbord', () => {
  test('section A can be filled in and saved with the keyboard alone', async ({ page }) => {
    test.skip(!javaScriptEnabled(), 'one keyboard pass, in the js project');
    const { account } = filler();
    const base = await startFilling(page, account);
    await openSection(page, base, 'A');

    // From the top of the page: the skip link, then into the form.
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Naar de inhoud' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('main#inhoud')).toBeFocused();

    await chooseRadio(page, page.getByRole('group', { name: LABEL.confirmed }), 'Ja');

    const contact = page.getByLabel(LABEL.contact);
    const value = `Toetsenbord ${uniqueSuffix()}`;
    await tabTo(page, contact);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(value);

    // Day and month the same, so the order of the date field's parts does not matter.
    const date = page.getByLabel(LABEL.referenceDate);
    await tabTo(page, date);
    await page.keyboard.type('05052026');
    await expect(date).toHaveValue('2026-05-05');

    const contributors = page.getByRole('group', { name: LABEL.contributors });
    const wanted = ['Centrumgemeente', 'Regiogemeenten'];
    for (const label of CONTRIBUTORS) {
      const box = contributors.getByRole('checkbox', { name: label, exact: true });
      await tabTo(page, box);
      if ((await box.isChecked()) !== wanted.includes(label)) await page.keyboard.press('Space');
      if (wanted.includes(label)) await expect(box).toBeChecked();
      else await expect(box).not.toBeChecked();
    }

    await chooseRadio(page, page.getByRole('group', { name: LABEL.coordinated }), 'Ja');

    const save = page.getByRole('button', { name: 'Opslaan', exact: true });
    await tabTo(page, save);
    await page.keyboard.press('Enter');
    await expect(pageSaveStatus(page)).toContainText(/Alle wijzigingen zijn opgeslagen om \d{2}:\d{2}\./);
    // Saved in place: still on the section (the skip link may have added #inhoud).
    await expect(page).toHaveURL(new RegExp(`${base}/sectie/A(#inhoud)?$`));

    await reloadSection(page);
    await expectSectionA(page, { contact: value, date: '2026-05-05', contributors: wanted });
  });
});

// ---------------------------------------------------------------------------------------
// Taking answers over from the previous round
// ---------------------------------------------------------------------------------------

test.describe('invullen: overnemen', () => {
  test('taken-over answers are confirmed one by one, and submitting asks to confirm the rest', async ({
    page,
    newSession,
  }) => {
    // A region that is busy with the open round and answered the previous one in full (the
    // demo's regions 9 and 14): each project its own, through a coordinator made here.
    const region = javaScriptEnabled() ? 'R09' : 'R14';
    const admin = await newSession();
    await login(admin, ACCOUNTS.admin);
    const account = await createCoordinator(admin, region, 'overnemen', 'Overnemer');
    const base = await startFilling(page, account);
    await openSection(page, base, 'G');
    await page.getByRole('button', { name: 'Antwoorden van de vorige meting overnemen' }).click();
    await expect(page.getByRole('status').filter({ hasText: /van de vorige meting overgenomen/ })).toBeVisible();
    await waitForEnhancedForm(sectionForm(page));
    // Items hidden by the answers are taken over too, but not asked: only the shown ones count.
    const marks = page.locator('.prefilled').filter({ visible: true });
    const taken = await marks.count();
    expect(taken, 'several answers taken over').toBeGreaterThan(1);
    await expect(marks.first()).toContainText('Overgenomen – nog bevestigen');
    await expectAccessible(page, 'section with taken-over answers');

    // "Klopt nog" on the first: confirmed, in place with JavaScript, else back at the item.
    const button = marks.first().getByRole('button', { name: /^Klopt nog: / });
    await waitForEnhancedForm(button);
    await button.click();
    if (javaScriptEnabled()) {
      await expect(marks).toHaveCount(taken - 1);
      await expect(page.locator('#regelmeldingen')).toHaveText('Het overgenomen antwoord is bevestigd.');
    } else {
      await expect(page).toHaveURL(/\/sectie\/G\?melding=bevestigd-1#vraag-[a-z0-9_]+$/);
      await expect(page.getByRole('status').filter({ hasText: '1 overgenomen antwoord bevestigd.' })).toBeVisible();
    }
    await reloadSection(page);
    await expect(marks).toHaveCount(taken - 1);

    // The check page lists the rest; submitting asks to confirm them first.
    await open(page, `${base}/controleren`);
    const list = page.locator('.taken-over-list');
    await expect(list.getByRole('heading', { level: 2 })).toHaveText(
      `Overgenomen antwoorden die u nog niet hebt bevestigd (${taken - 1})`,
    );
    await expect(list.getByRole('listitem')).toHaveCount(taken - 1);
    await expect(list.getByRole('link').first()).toHaveAttribute('href', new RegExp(`^${base}/sectie/G#vraag-`));
    await expectAccessible(page, 'check page with taken-over answers');
    const submit = page.getByRole('button', { name: 'Vragenlijst indienen' });
    await waitForEnhancedForm(submit);
    expectFailedRequest(page, 422, /\/api\/responses\/submit$/);
    await submit.click();
    const refusal = page.getByRole('alert').filter({ hasText: 'De vragenlijst kan nog niet worden ingediend' });
    await expect(refusal).toContainText(`${taken - 1} overgenomen antwoord(en) zijn nog niet bevestigd.`);
    await expectAccessible(page, 'check page asking to confirm taken-over answers');
    // Ticked, the rest of the questionnaire still blocks: refused, and nothing is confirmed.
    await page.getByLabel(/overgenomen antwoorden hierboven gecontroleerd: ze kloppen nog\.$/).check();
    await waitForEnhancedForm(submit);
    await submit.click();
    await expect(page.getByRole('alert').filter({ hasText: 'Los de problemen hieronder op' })).toBeVisible();
    await open(page, `${base}/controleren`);
    await expect(list.getByRole('listitem')).toHaveCount(taken - 1);
  });
});

// ---------------------------------------------------------------------------------------
// Check and submit
// ---------------------------------------------------------------------------------------

test.describe('invullen: controleren en indienen', () => {
  test('the check page lists what is missing and refuses to submit an incomplete response', async ({ page }) => {
    const { account } = filler();
    const base = await startFilling(page, account);
    await page.getByRole('link', { name: 'Antwoorden controleren' }).click();
    await expect(page).toHaveURL(`${base}/controleren`);
    await expect(heading(page)).toHaveText('Antwoorden controleren');
    await waitForApp(page);

    // Nobody approves the answers in these tests, so that question is always open.
    const todo = page.locator('.problem-list');
    await expect(todo.getByRole('heading', { level: 2 })).toHaveText(/^Nog te doen voor u kunt indienen \(\d+\)$/);
    await expect(todo.getByRole('link', { name: LABEL.approved }).first()).toHaveAttribute(
      'href',
      `${base}/sectie/K#vraag-k_akkoord`,
    );
    await expect(
      page.getByRole('link', { name: 'Wijzigen: Naam en functie van de contactpersoon voor deze vragenlijst' }),
    ).toHaveAttribute('href', `${base}/sectie/A#vraag-a_contactpersoon`);

    expectFailedRequest(page, 422, /\/api\/responses\/submit$/);
    const submit = page.getByRole('button', { name: 'Vragenlijst indienen' });
    await waitForEnhancedForm(submit);
    await submit.click();
    await expect(
      page.getByRole('alert').filter({ hasText: 'De vragenlijst kan nog niet worden ingediend' }),
    ).toBeVisible();
    expect(new URL(page.url()).pathname).toBe(`${base}/controleren`);
    await expectAccessible(page, 'check page after a refused submit');

    // Nothing changed: not submitted, still open for changes.
    await open(page, base);
    await expect(page.getByRole('main')).not.toContainText('Ingediend op');
    await openSection(page, base, 'A');
    await expect(page.getByLabel(LABEL.contact)).toBeEnabled();
  });
});

// ---------------------------------------------------------------------------------------
// Submitting a complete response
// ---------------------------------------------------------------------------------------

test.describe('invullen: indienen', () => {
  test('a complete response is submitted and then read-only', async ({ page, newSession }) => {
    // Submitting can not be undone, so each project submits a response no other test uses:
    // Utrecht's with JavaScript, and without it a region that gets a coordinator here.
    let account: Account = ACCOUNTS.utrecht;
    if (!javaScriptEnabled()) {
      const admin = await newSession();
      await login(admin, ACCOUNTS.admin);
      account = await createCoordinator(admin, 'R20', 'indienen', 'Indiener');
    }
    const base = await startFilling(page, account);
    await answerEverything(page, base.split('/').pop()!);

    await open(page, `${base}/controleren`);
    await expect(heading(page)).toHaveText('Antwoorden controleren');
    await expect(page.locator('.problem-list')).toHaveCount(0);
    const submit = page.getByRole('button', { name: 'Vragenlijst indienen' });
    await waitForEnhancedForm(submit);
    await submit.click();

    await expect(page).toHaveURL(`${base}?melding=ingediend`);
    await expect(page.getByRole('status').filter({ hasText: 'Vragenlijst ingediend' })).toBeVisible();
    await expect(page.getByRole('main')).toContainText(`door ${account.name}`);
    await expect(page.getByRole('main')).toContainText('Ingediend op');
    await expectAccessible(page, 'task list after submitting');

    // Read-only now: the inputs are disabled and there is no save button.
    await openSection(page, base, 'A');
    await expect(page.getByLabel(LABEL.contact)).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Opslaan', exact: true })).toHaveCount(0);
    await open(page, `${base}/controleren`);
    await expect(page.getByRole('button', { name: 'Vragenlijst indienen' })).toHaveCount(0);
  });
});
