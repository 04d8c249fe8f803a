// 帳號密碼登入 (issue 12) in real Chromium against the REAL system (scripts/demo.sh in a temporary folder): the
// initial password forced to change at the first login, a login with the new one, five wrong passwords →
// the locked message with its unlock time, and 忘記密碼 end to end through ecpa-sim's SMTP sink (the real
// mail the portal sent, its one-time link, single use).

import { DESKTOP, artifact, assert, newRealContext, waitFor } from './lib/harness.mjs';
import { ACCOUNTS, INITIAL_PASSWORD, startSystem } from './lib/system.mjs';

const wang = ACCOUNTS.wang;
const FIRST_CHOICE = 'Taichung-Park-2026';
const AFTER_RESET = 'Hualien-Coast-2027';

async function openPasswordTab(page, origin) {
  await page.goto(`${origin}/`);
  await page.click('#tab-password');
  await page.locator('#account').waitFor({ state: 'visible' });
}

async function submitPassword(page, account, password) {
  await page.fill('#account', account);
  await page.fill('#password', password);
  await page.click('#password-submit');
}

async function onDashboard(page, name, what) {
  try {
    await page.waitForURL(/\/dashboard\.html/, { timeout: 20_000 });
  } catch {
    const shown = await page.locator('#password-error, #change-error').allInnerTexts().catch(() => []);
    throw new Error(`${what}: no dashboard (page shows ${JSON.stringify(shown)})`);
  }
  await page.locator('#person-name').filter({ hasText: name }).waitFor({ timeout: 10_000 });
  const method = (await page.locator('#person-method').textContent()).trim();
  assert(method.includes('帳號密碼'), `${what}: the dashboard says the login method is ${JSON.stringify(method)}`);
}

/** The mail ecpa-sim's sink received for `to`, newest first. */
async function mailFor(system, to) {
  const r = await fetch(`${system.mailUrl}?to=${encodeURIComponent(to)}`);
  assert(r.ok, `ecpa-sim mail list: ${r.status}`);
  return (await r.json()).messages;
}

async function run() {
  const system = await startSystem();
  try {
    // 1. The first login with HR's initial password: the change form, its checklist, then the dashboard.
    const first = await newRealContext(DESKTOP);
    try {
      const page = await first.newPage();
      await openPasswordTab(page, system.origin);
      await submitPassword(page, wang.account, INITIAL_PASSWORD);
      await page.locator('#password-change-form').waitFor({ state: 'visible', timeout: 15_000 });
      const reason = await page.locator('#password-change-reason').textContent();
      assert(/初始密碼|首次/.test(reason), `the change form does not say why: ${reason}`);
      // A password the policy refuses is caught by the checklist, and by the server if sent anyway.
      await page.fill('#new-password', 'short');
      const lengthRule = page.locator('#new-password-rules li[data-rule="length"]');
      assert((await lengthRule.getAttribute('data-state')) === 'unmet', 'the length rule is not shown unmet');
      await page.fill('#new-password', FIRST_CHOICE);
      await waitFor(async () => (await lengthRule.getAttribute('data-state')) === 'met', 5000, 'the length rule ticks');
      await page.fill('#confirm-password', FIRST_CHOICE);
      await page.screenshot({ path: artifact('password-01-change.png'), fullPage: true });
      await page.click('#change-submit');
      await onDashboard(page, wang.name, 'after the forced change');
      await page.screenshot({ path: artifact('password-02-dashboard.png'), fullPage: true });
    } finally {
      await first.close();
    }

    // 2. The new password logs in straight to the dashboard; the initial one no longer does.
    const second = await newRealContext(DESKTOP);
    try {
      const page = await second.newPage();
      await openPasswordTab(page, system.origin);
      await submitPassword(page, wang.account, INITIAL_PASSWORD);
      await page.locator('#password-error[data-code="PASSWORD_LOGIN_FAILED"]').waitFor({ timeout: 15_000 });
      const shown = await page.locator('#password-error').innerText();
      assert(shown.includes('帳號或密碼錯誤'), `the wrong-password message: ${shown}`);
      await submitPassword(page, wang.account, FIRST_CHOICE);
      await onDashboard(page, wang.name, 'with the new password');
    } finally {
      await second.close();
    }

    // 3. Five wrong passwords for another account: the fifth answer is the lock, with the time it opens.
    const third = await newRealContext(DESKTOP);
    try {
      const page = await third.newPage();
      await openPasswordTab(page, system.origin);
      for (let i = 1; i <= 5; i++) {
        await submitPassword(page, ACCOUNTS.chang.account, `Wrong-Guess-${i}-x`);
        const want = i < 5 ? 'PASSWORD_LOGIN_FAILED' : 'ACCOUNT_LOCKED';
        await page.locator(`#password-error[data-code="${want}"]`).waitFor({ timeout: 15_000 }).catch(async () => {
          throw new Error(`attempt ${i}: expected ${want}, page shows ${await page.locator('#password-error').getAttribute('data-code')}`);
        });
        // The same alert is re-filled: wait for the button to be usable again.
        await page.locator('#password-submit:not([disabled])').waitFor({ timeout: 10_000 });
      }
      const locked = await page.locator('#password-error').innerText();
      assert(locked.includes('暫停登入'), `the lock message: ${locked}`);
      const unlock = /(\d{4}-\d{2}-\d{2} \d{2}:\d{2})/.exec(locked)?.[1];
      assert(unlock, `the lock message names no unlock time: ${locked}`);
      const expected = new Date(Date.now() + 8 * 3600_000 + 15 * 60_000).toISOString().slice(0, 16).replace('T', ' ');
      const diffMinutes = Math.abs((Date.parse(unlock.replace(' ', 'T') + 'Z') - Date.parse(expected.replace(' ', 'T') + 'Z')) / 60_000);
      assert(diffMinutes <= 1, `unlock time ${unlock}, expected about ${expected} (Taiwan time, 15 minutes on)`);
      await page.screenshot({ path: artifact('password-03-locked.png'), fullPage: true });
    } finally {
      await third.close();
    }

    // 4. 忘記密碼 → the real mail in ecpa-sim's sink → its link → a new password → login with it.
    const fourth = await newRealContext(DESKTOP);
    try {
      const page = await fourth.newPage();
      await openPasswordTab(page, system.origin);
      await page.click('#password-forgot');
      await page.waitForURL(/\/forgot-password\.html/, { timeout: 10_000 });
      await page.fill('#forgot-account', wang.account);
      await page.fill('#forgot-national-id', wang.id);
      await page.fill('#forgot-email', wang.email);
      await page.click('#forgot-submit');
      await page.locator('#forgot-sent').waitFor({ state: 'visible', timeout: 15_000 });
      const sent = await page.locator('#forgot-sent-message').innerText();
      assert(sent.includes('30 分鐘'), `the confirmation: ${sent}`);
      let messages = [];
      await waitFor(async () => (messages = await mailFor(system, wang.email)).length > 0, 15_000, 'the reset mail reaches the SMTP sink');
      const mail = messages[0];
      assert(mail.subject.includes('重設密碼'), `the mail's subject: ${mail.subject}`);
      const link = /(http:\/\/127\.0\.0\.1:\d+\/reset-password\.html#token=[A-Za-z0-9_-]{43})/.exec(mail.body)?.[1];
      assert(link, `no reset link in the mail:\n${mail.body}`);

      await page.goto(link);
      await page.locator('#reset-form').waitFor({ state: 'visible', timeout: 10_000 });
      assert(!page.url().includes('token='), `the token stays in the address bar: ${page.url()}`);
      await page.fill('#new-password', AFTER_RESET);
      await page.fill('#confirm-password', AFTER_RESET);
      await page.click('#reset-submit');
      await page.locator('#reset-done').waitFor({ state: 'visible', timeout: 15_000 });
      await page.screenshot({ path: artifact('password-04-reset-done.png'), fullPage: true });

      // The link works once. (From another page: a jump to the same page with only a new fragment would not
      // load it again.)
      await page.goto('about:blank');
      await page.goto(link);
      await page.locator('#reset-form').waitFor({ state: 'visible', timeout: 10_000 });
      await page.fill('#new-password', 'Another-Try-2028x');
      await page.fill('#confirm-password', 'Another-Try-2028x');
      await page.click('#reset-submit');
      await page.locator('#reset-broken').waitFor({ state: 'visible', timeout: 15_000 });
      const broken = await page.locator('#reset-link-error').innerText();
      assert(broken.includes('無效或已使用過'), `a used link says: ${broken}`);

      await openPasswordTab(page, system.origin);
      await submitPassword(page, wang.account, AFTER_RESET);
      await onDashboard(page, wang.name, 'with the password set through the reset link');
    } finally {
      await fourth.close();
    }
  } catch (e) {
    throw new Error(`${e.message}\n--- demo.sh said ---\n${system.output().split('\n').slice(-5).join('\n')}`);
  } finally {
    await system.stop();
  }
}

export const tests = [{ name: '帳號密碼登入: forced change, login, lockout with its time, 忘記密碼 through the SMTP sink', run }];
