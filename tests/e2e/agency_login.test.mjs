// 機關憑證 (issue 12) in real Chromium against the REAL system: the demo's GCA agency card in the reader, the
// 機關憑證 route → 帳號資訊不存在 → 我要更新憑證 asks the 機關代碼 (not the ID number) and the PIN → bound to
// the agency's personnel officer → login → the dashboard shows the officer, the agency and 機關憑證.
// Direct mode: the PIN is typed in the agent's own window.

import { DESKTOP, artifact, assert, newRealContext } from './lib/harness.mjs';
import { AGENCY, expectVisible, pageError, signWithComponent, startSystem, useCard } from './lib/system.mjs';

async function run() {
  const system = await startSystem({ allowPortal: true });
  const context = await newRealContext(DESKTOP);
  try {
    await useCard(system, AGENCY.card);
    const page = await context.newPage();
    await page.goto(`${system.origin}/`);
    await expectVisible(page, '#direct-hint:visible', 'the direct-mode hint (ecpa-agent found)', 10_000);
    await page.check('input[name="route"][value="agency"]');

    // 1. The first login of an unbound agency card.
    await signWithComponent(context, 'direct', page, () => page.click('#cert-submit'), AGENCY.pin);
    await expectVisible(page, '#not-bound-dialog[open]', '帳號資訊不存在');
    await page.click('#not-bound-update');
    await expectVisible(page, '#bind-dialog[open]', 'the binding dialog');
    assert(await page.isVisible('#agency-code'), 'the agency binding does not ask the 機關代碼');
    assert(!(await page.isVisible('#national-id')), 'the agency binding asks an ID number');
    const title = await page.locator('#bind-title').textContent();
    assert(title.includes('機關憑證'), `the binding dialog is titled ${title}`);

    // A wrong code first: refused with its own message, nothing bound, the dialog stays.
    await page.fill('#agency-code', 'A01');
    await signWithComponent(context, 'direct', page, () => page.click('#bind-submit'), AGENCY.pin);
    await page.locator('#bind-error[data-code="AGENCY_OID_MISMATCH"]').waitFor({ timeout: 20_000 }).catch(async () => {
      throw new Error(`a wrong 機關代碼 was not refused as AGENCY_OID_MISMATCH${await pageError(page)}`);
    });
    await page.screenshot({ path: artifact('agency-01-wrong-code.png'), fullPage: true });

    await page.fill('#agency-code', AGENCY.code.toLowerCase());
    await signWithComponent(context, 'direct', page, () => page.click('#bind-submit'), AGENCY.pin);
    await expectVisible(page, '#bound-dialog[open]', 'the binding success message');
    await page.click('#bound-close');
    await page.locator('#bound-dialog').waitFor({ state: 'hidden' });

    // 2. The bound card logs in: the officer's dashboard, with the agency and the method.
    await signWithComponent(context, 'direct', page, () => page.click('#cert-submit'), AGENCY.pin);
    try {
      await page.waitForURL(/\/dashboard\.html/, { timeout: 20_000 });
    } catch {
      throw new Error(`no dashboard after the agency card's login${await pageError(page)}`);
    }
    await page.locator('#person-name').filter({ hasText: AGENCY.officer }).waitFor({ timeout: 10_000 });
    const agency = await page.locator('#person-agency').textContent();
    assert(agency.includes(AGENCY.card), `the dashboard's agency: ${agency}`);
    const method = await page.locator('#person-method').textContent();
    assert(method.includes('機關憑證'), `the dashboard's login method: ${method}`);
    await page.screenshot({ path: artifact('agency-02-dashboard.png'), fullPage: true });
  } catch (e) {
    throw new Error(`${e.message}\n--- demo.sh said ---\n${system.output().split('\n').slice(-5).join('\n')}`);
  } finally {
    await context.close();
    await system.stop();
  }
}

export const tests = [{ name: '機關憑證: first login → 機關代碼 binding → login → dashboard with the agency', run }];
