import { describe, expect, it } from 'vitest';
import dashboardPage from '../dashboard.html?raw';
import helpIndexPage from '../help/index.html?raw';
import loginPage from '../index.html?raw';
import { pageHtml } from './help_render';
import { escapeHtml, expandLayout, noticeLines, siteFooterLines, siteHeaderLines } from './page_layout';
import { t } from './strings';

const PAGES = { 'index.html': loginPage, 'dashboard.html': dashboardPage, 'help/index.html': helpIndexPage };

describe('page_layout', () => {
  it('puts the header in place of its placeholder, indented like it, with the landmarks the pages rely on', () => {
    const html = expandLayout('<body>\n    <!-- ecpa:header home="/" -->\n</body>', 't.html');
    expect(html).not.toContain('ecpa:');
    expect(html).toContain('\n    <a class="skip-link" href="#main" data-i18n="skip">跳到主要內容</a>\n    <header class="site-header">\n');
    expect(html).toContain('      <div class="site-header__inner">\n        <a class="brand" href="/">');
    expect(html).toContain('aria-label="語言" data-i18n-aria-label="langSwitch"');
    expect(html).toContain('<button type="button" data-lang="en" lang="en">English</button>');
    expect(html).not.toContain('id="menu"');
    expect(html.trimEnd().endsWith('    </header>\n</body>')).toBe(true);
  });

  it('adds the main menu inside the header only when asked, and links the brand where told', () => {
    const lines = siteHeaderLines({ home: '/dashboard.html', menu: true });
    expect(lines).toContain('    <a class="brand" href="/dashboard.html">');
    const menu = lines.indexOf('  <nav class="main-menu" aria-label="主選單" data-i18n-aria-label="menu">');
    expect(menu).toBeGreaterThan(0);
    expect(lines[menu + 1]).toBe('    <ul id="menu"></ul>');
    expect(lines.at(-1)).toBe('</header>');
  });

  it('writes the notice and footer in the words of strings.ts, escaped', () => {
    const notice = noticeLines().join('\n');
    expect(notice).toContain(`<span data-i18n="notice">${escapeHtml(t('notice', 'zh-TW'))}</span>`);
    expect(notice).toContain('<strong data-i18n="noticeLabel">重要訊息:</strong>');
    expect(siteFooterLines().join('\n')).toContain('<p data-i18n="agencyName">行政院人事行政總處</p>');
    expect(escapeHtml(`<a href="x" title='y'>&`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;');
  });

  it('stops the build on a placeholder it does not know or cannot place', () => {
    expect(() => expandLayout('  <!-- ecpa:sidebar -->', 'a.html')).toThrow(/a\.html: unknown placeholder ecpa:sidebar/);
    expect(() => expandLayout('  <!-- ecpa:header -->', 'b.html')).toThrow(/b\.html: ecpa:header needs home/);
    expect(() => expandLayout('  <!-- ecpa:header home="https://evil.example/" -->', 'c.html')).toThrow(/needs home/);
    expect(() => expandLayout('  <!-- ecpa:header home="/" colour="red" -->', 'd.html')).toThrow(/no attribute colour/);
    expect(() => expandLayout('  <!-- ecpa:notice loud -->', 'e.html')).toThrow(/no attribute loud/);
    expect(() => expandLayout('<p>x <!-- ecpa:footer --></p>', 'f.html')).toThrow(/f\.html: .*line of its own/);
  });

  it('gives every hand-written page the same skip link, header, notice and footer, and leaves no placeholder', () => {
    const header = siteHeaderLines({ home: '/', menu: false }).join('\n');
    for (const [where, source] of Object.entries(PAGES)) {
      const html = expandLayout(source, where);
      expect(html, where).not.toContain('<!-- ecpa:');
      expect(html.match(/<header class="site-header">/g), where).toHaveLength(1);
      expect(html.match(/<footer class="site-footer">/g), where).toHaveLength(1);
      expect(html, where).toContain('<main id="main"');
      // The skip link is the first thing in the body, so the first Tab reaches it.
      expect(/<body>\s*<a class="skip-link" href="#main"/.test(html), where).toBe(true);
      if (where !== 'dashboard.html') expect(html.replace(/^ {4}/gm, ''), where).toContain(header);
    }
    expect(expandLayout(loginPage, 'index.html')).toContain(`${escapeHtml(t('notice', 'zh-TW'))}</span>`);
    expect(expandLayout(dashboardPage, 'dashboard.html')).toContain('<ul id="menu"></ul>');
  });

  it('gives the generated help pages the very header and footer of the hand-written ones', () => {
    const help = pageHtml({ slug: 'x', title: { 'zh-TW': '標題', en: 'Title' }, body: { 'zh-TW': '<h1>標題</h1>', en: '<h1>Title</h1>' } });
    const written = expandLayout(helpIndexPage, 'help/index.html');
    const chrome = (html: string): string => html.slice(html.indexOf('<body>'), html.indexOf('<main')) + html.slice(html.indexOf('</main>'));
    expect(chrome(help)).toBe(chrome(written));
  });
});
