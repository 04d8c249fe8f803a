import { describe, expect, it } from 'vitest';
import catalogue from '../../messages/catalogue.json';
import { errorCodesHtml, escapeHtml, pageHtml, popupStepsHtml, renderHelp, renderMarkdown, titleOf, type RenderContext } from './help_render';

const ctx: RenderContext = { links: { moica: 'https://moica.example/' }, catalogue: catalogue as Record<string, unknown> };
const codes = Object.keys(catalogue).filter((k) => !k.startsWith('_'));

describe('help_render', () => {
  it('lists every catalogue code in the FAQ, in both languages, with its message and action', () => {
    for (const lang of ['zh-TW', 'en'] as const) {
      const html = errorCodesHtml(ctx.catalogue, lang);
      for (const code of codes) expect(html).toContain(`id="${lang === 'en' ? 'en-' : ''}code-${code}"`);
      const entry = (catalogue as unknown as Record<string, { 'zh-TW': { action: string } }>)['CARD_PIN_LOCKED'];
      if (lang === 'zh-TW') expect(html).toContain(escapeHtml(entry!['zh-TW'].action));
      expect(html).not.toMatch(/\{[a-z_]+\}/); // placeholders never show raw
    }
  });

  it('refuses a catalogue entry without both languages', () => {
    expect(() => errorCodesHtml({ BROKEN: { 'zh-TW': { message: 'x', action: 'y' } } }, 'en')).toThrow(/BROKEN/);
  });

  it('prints the pop-up steps of every browser in the seed order, with an origin slot', () => {
    const html = popupStepsHtml('zh-TW', '本網站網址');
    const order = ['chrome', 'firefox', 'edge', 'safari-mac', 'safari-ios', 'other'].map((k) => html.indexOf(`id="popups-${k}"`));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html.match(/class="origin"/g)?.length).toBeGreaterThanOrEqual(6);
  });

  it('expands links and anchors, and stops the build on anything unknown', () => {
    const html = renderMarkdown('# T\n\n## Part {#part}\n\nSee {{url:moica}}.', 'en', ctx, 't.md');
    expect(html).toContain('<h2 id="en-part">Part</h2>');
    expect(html).toContain('href="https://moica.example/"');
    expect(() => renderMarkdown('# T\n{{url:nowhere}}', 'zh-TW', ctx, 't.md')).toThrow(/nowhere/);
    expect(() => renderMarkdown('# T\n{{mystery}}', 'zh-TW', ctx, 't.md')).toThrow(/mystery/);
    expect(() => titleOf('no title here', 't.md')).toThrow(/Title/);
  });

  it('makes a page with both languages, English hidden, and nothing inline', () => {
    const page = renderHelp({ slug: 'x', markdown: { 'zh-TW': '# 標題\n\n內文', en: '# Title <b>\n\nBody' } }, ctx);
    expect(page.title).toEqual({ 'zh-TW': '標題', en: 'Title <b>' });
    const html = pageHtml(page);
    expect(html).toContain('<title>標題 - 人事服務網 eCPA</title>');
    expect(html).toMatch(/data-article-lang="en"[^>]*hidden>/);
    expect(html).toContain('data-title="Title &lt;b&gt; - eCPA Personnel Service Portal"');
    expect(html).not.toMatch(/<script(?![^>]*src=)/); // every script is a file (strict CSP)
    expect(html).not.toMatch(/ style=|<style/);
  });
});
