import { createHmac } from 'node:crypto';
import {
  ACCOUNTS,
  errorSummary,
  expect,
  expectAccessible,
  expectFailedRequest,
  expectSignedInAs,
  heading,
  linkIn,
  login,
  logout,
  mailTo,
  open,
  submitLogin,
  test,
  uniqueSuffix,
  waitForApp,
} from './support';

/** RFC 4648 base32, as the setup page shows the secret (spaces allowed). */
function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) {
    bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The TOTP code (RFC 6238: SHA-1, 6 digits, 30 s) of a secret, `offset` seconds from now. */
function totp(secret: string, offset = 0): string {
  const counter = Math.floor((Date.now() / 1000 + offset) / 30);
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const hash = createHmac('sha1', base32Decode(secret)).update(message).digest();
  const start = hash[hash.length - 1] & 15;
  const value = hash.readUInt32BE(start) & 0x7fffffff;
  return String(value % 1_000_000).padStart(6, '0');
}

test.describe('tweestapsverificatie', () => {
  test('a new reviewer must set up two-factor sign-in, then logs in with a code', async ({ page }) => {
    const suffix = uniqueSuffix();
    const email = `e2e-tweestap-${suffix}@nad.example`;
    const name = `Tweestap ${suffix}`;
    const password = `een lang wachtwoord ${suffix}`;
    await login(page, ACCOUNTS.admin);
    const invited = await page.request.post('/api/users/create', {
      form: { email, display_name: name, role: 'reviewer', region_code: '' },
    });
    expect(invited.ok()).toBe(true);
    await logout(page);
    const link = new URL(linkIn(await mailTo(email, /Uitnodiging/)));
    await open(page, link.pathname + link.search);
    await page.getByLabel('Nieuw wachtwoord').fill(password);
    await page.getByRole('button', { name: 'Wachtwoord instellen' }).click();
    await expect(page).toHaveURL('/login?wachtwoord=gekozen');

    // The password is right; setting up comes first.
    await submitLogin(page, email, password);
    await expect(page).toHaveURL('/tweestapsverificatie');
    await waitForApp(page);
    await expect(heading(page)).toHaveText('Tweestapsverificatie instellen');
    await expect(page.getByRole('status')).toContainText('verplicht');
    await expect(page.getByRole('img', { name: /QR-code/ })).toBeVisible();
    const secret = (await page.locator('#sleutel').innerText()).trim();
    expect(secret.replace(/\s/g, '')).toMatch(/^[A-Z2-7]{32}$/);
    const codeField = page.getByLabel('Code uit uw app');
    await expect(codeField).toHaveAttribute('autocomplete', 'one-time-code');
    await expect(codeField).toHaveAttribute('inputmode', 'numeric');
    await expectAccessible(page, 'two-factor setup');
    // Nothing else is open yet.
    await page.goto('/regios');
    await expect(page).toHaveURL(/\/login\?terug=/);

    await open(page, '/tweestapsverificatie');
    expectFailedRequest(page, 422, /\/api\/two_factor\/confirm$/);
    await page.getByLabel('Code uit uw app').fill('000000');
    await page.getByRole('button', { name: 'Bevestigen' }).click();
    await expect(errorSummary(page)).toContainText('Deze code klopt niet.');
    // The same secret after the error.
    expect((await page.locator('#sleutel').innerText()).trim()).toBe(secret);

    await page.getByLabel('Code uit uw app').fill(totp(secret));
    await page.getByRole('button', { name: 'Bevestigen' }).click();
    await expect(page).toHaveURL('/tweestapsverificatie/herstelcodes');
    await expect(heading(page)).toHaveText('Tweestapsverificatie staat aan');
    const codes = page.locator('.recovery-codes li');
    await expect(codes).toHaveCount(10);
    await expectAccessible(page, 'recovery codes');
    await page.getByRole('link', { name: 'Ik heb de codes bewaard' }).click();
    await expect(page).toHaveURL('/regios');
    await mailTo(email, /Tweestapsverificatie gewijzigd/);
    const account = {
      email,
      password,
      name,
      roleLabel: 'Reviewer',
      startPage: '/regios',
      startHeading: "Regio's",
    };
    await waitForApp(page);
    await expectSignedInAs(page, account);
    await logout(page);

    // From now on the code follows the password.
    await open(page, '/login');
    await submitLogin(page, email, password);
    await expect(page).toHaveURL('/login/code');
    await expect(heading(page)).toHaveText('Code invullen');
    await expectAccessible(page, 'code page');
    // The next step's code: the one of setup may not be used twice.
    await page.getByLabel('Code uit uw app').fill(totp(secret, 30));
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect(page).toHaveURL('/regios');
    await waitForApp(page);
    await expectSignedInAs(page, account);

    // Mijn account says it is on, and that it can't be switched off for a reviewer.
    await open(page, '/mijn-account');
    await expect(page.getByRole('main')).toContainText('Tweestapsverificatie staat aan sinds');
    await expect(page.getByRole('main')).toContainText('nog 10 ongebruikte herstelcodes');
    await expect(page.getByRole('button', { name: 'Tweestapsverificatie uitzetten' })).toHaveCount(0);
  });
});
