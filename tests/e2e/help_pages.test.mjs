// Every help page renders as the portal serves it: status 200, the page's title in both languages, no
// directive left unexpanded, every link from the login page and the dashboard menu resolves, and the FAQ
// lists every code of the message catalogue.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DESKTOP, DIST, IPHONE, REPO, WEB, artifact, assert, newContext, startPortal } from './lib/harness.mjs';
import { PEOPLE, loggedInAs, sharedSystem } from './lib/system.mjs';

const SLUGS = readdirSync(join(WEB, 'help', 'content'))
  .filter((f) => f.endsWith('.zh-TW.md'))
  .map((f) => f.replace(/\.zh-TW\.md$/, ''))
  .sort();

const titleOf = (slug, lang) => /^# (.+)$/m.exec(readFileSync(join(WEB, 'help', 'content', `${slug}.${lang}.md`), 'utf8'))[1].trim();

export const tests = [
  {
    name: 'the front end ships one page per help document',
    run: async () => {
      assert(SLUGS.length >= 12, `only ${SLUGS.length} help documents`);
      const built = readdirSync(join(DIST, 'help')).filter((f) => f.endsWith('.html'));
      for (const slug of SLUGS) assert(built.includes(`${slug}.html`), `dist/help/${slug}.html missing`);
    },
  },
  {
    name: 'each help page renders with its title, in zh-TW and in English',
    run: async () => {
      const portal = await startPortal();
      const context = await newContext(DESKTOP);
      try {
        const page = await context.newPage();
        const cspErrors = [];
        page.on('console', (m) => {
          if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
        });
        for (const slug of SLUGS) {
          const response = await page.goto(`${portal.url}/help/${slug}.html`);
          assert(response.status() === 200, `${slug}: status ${response.status()}`);
          const zh = titleOf(slug, 'zh-TW');
          assert((await page.title()).startsWith(zh), `${slug}: title "${await page.title()}" is not "${zh}"`);
          assert((await page.locator('article:visible h1').textContent()) === zh, `${slug}: visible h1 is not "${zh}"`);
          const body = await page.locator('main').textContent();
          assert(!/\{\{|\{#/.test(body), `${slug}: an unexpanded directive`);
          // Pop-up steps name this portal's own origin once the page has run.
          if ((await page.locator('.origin').count()) > 0) assert((await page.locator('.origin').first().textContent()) === portal.url, `${slug}: origin not filled in`);
          await page.click('[data-lang="en"]');
          const en = titleOf(slug, 'en');
          assert((await page.locator('article:visible h1').textContent()) === en, `${slug}: English h1 is not "${en}"`);
          assert((await page.title()).startsWith(en), `${slug}: English title "${await page.title()}"`);
          await page.click('[data-lang="zh-TW"]');
        }
        assert(cspErrors.length === 0, `CSP violations: ${cspErrors.join(' | ')}`);
      } finally {
        await context.close();
        await portal.close();
      }
    },
  },
  {
    name: 'every help link of the login page and the dashboard resolves',
    run: async () => {
      const system = await sharedSystem();
      const portal = { url: system.origin };
      const context = await newContext(DESKTOP);
      try {
        await loggedInAs(context, system, PEOPLE.chen);
        const page = await context.newPage();
        const hrefs = new Set();
        await page.goto(`${portal.url}/index.html`);
        // Logged in (the real portal), the login page sends us on to the dashboard; collect links from both.
        await page.waitForURL(/dashboard/, { timeout: 5000 });
        await page.locator('#menu a').first().waitFor();
        for (const h of await page.locator('a[href^="/help/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) hrefs.add(h);
        const login = readFileSync(join(DIST, 'index.html'), 'utf8');
        for (const m of login.matchAll(/href="(\/help\/[^"#]+)"/g)) hrefs.add(m[1]);
        // 新手上路 / 使用手冊 are help pages: the dashboard menu must lead there (checked first, by name).
        assert(hrefs.has('/help/getting-started.html') && hrefs.has('/help/manual.html'), `新手上路 / 使用手冊 not linked from the dashboard: menu ${JSON.stringify(await page.locator('#menu a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))))}`);
        assert(hrefs.size >= 12, `only ${hrefs.size} help links found`);
        for (const href of hrefs) {
          const r = await page.request.get(`${portal.url}${href.split('#')[0]}`);
          assert(r.status() === 200, `${href}: ${r.status()}`);
        }
      } finally {
        await context.close();
      }
    },
  },
  {
    name: 'the FAQ explains every catalogue code, and an error links to its entry',
    run: async () => {
      const catalogue = JSON.parse(readFileSync(join(REPO, 'messages', 'catalogue.json'), 'utf8'));
      const codes = Object.keys(catalogue).filter((k) => !k.startsWith('_'));
      const portal = await startPortal();
      const context = await newContext(IPHONE);
      try {
        const page = await context.newPage();
        await page.goto(`${portal.url}/help/faq.html#code-CARD_PIN_LOCKED`);
        const ids = new Set(await page.locator('.error-code').evaluateAll((els) => els.map((e) => e.id)));
        for (const code of codes) {
          assert(ids.has(`code-${code}`) && ids.has(`en-code-${code}`), `FAQ lacks ${code}`);
        }
        const entry = page.locator('#code-CARD_PIN_LOCKED');
        assert((await entry.textContent()).includes(catalogue.CARD_PIN_LOCKED['zh-TW'].action), 'the entry lacks the catalogue action');
        assert(await entry.isVisible(), 'the linked entry is not shown');
        await page.screenshot({ path: artifact('help-faq-iphone.png') });
      } finally {
        await context.close();
        await portal.close();
      }
    },
  },
];
