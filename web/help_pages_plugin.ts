// The Vite plugin that makes the help pages: reads help/content/<slug>.<lang>.md, the message catalogue and
// help/links.json, renders them with src/help_render.ts, writes help/<slug>.html (generated, git-ignored)
// and adds each page to the build's inputs, so Vite bundles their script and styles like any other page.
// It also fills {{url:name}} in every HTML page (the login page's download <meta> tags) from links.json,
// and expands the shared header, notice and footer placeholders (src/page_layout.ts) of the hand-written pages.
// Any missing page, language, link or title stops the build: a broken help link never ships.

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { pageHtml, renderHelp, type RenderContext } from './src/help_render';
import { expandLayout } from './src/page_layout';
import { HELP_PAGES } from './src/strings';

export function helpPages(webDir: string): { plugin: Plugin; inputs: Record<string, string> } {
  const contentDir = join(webDir, 'help', 'content');
  const readJson = (p: string): Record<string, unknown> => JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
  const linksRaw = readJson(join(webDir, 'help', 'links.json'));
  const links = Object.fromEntries(Object.entries(linksRaw).filter(([k, v]) => !k.startsWith('_') && typeof v === 'string')) as Record<string, string>;
  const ctx: RenderContext = { links, catalogue: readJson(join(webDir, '..', 'messages', 'catalogue.json')) };

  const files = readdirSync(contentDir).filter((f) => f.endsWith('.md'));
  const slugs = [...new Set(files.map((f) => f.replace(/\.(zh-TW|en)\.md$/, '')))].sort();
  for (const f of files) if (!/^[a-z0-9-]+\.(zh-TW|en)\.md$/.test(f)) throw new Error(`help/content/${f}: name it <slug>.zh-TW.md or <slug>.en.md`);
  for (const p of HELP_PAGES) if (!slugs.includes(p.slug)) throw new Error(`help page ${p.slug} is linked from the portal but help/content/${p.slug}.*.md is missing`);

  const inputs: Record<string, string> = {};
  for (const slug of slugs) {
    const md = (lang: string): string => readFileSync(join(contentDir, `${slug}.${lang}.md`), 'utf8');
    const page = renderHelp({ slug, markdown: { 'zh-TW': md('zh-TW'), en: md('en') } }, ctx);
    const out = join(webDir, 'help', `${slug}.html`);
    writeFileSync(out, pageHtml(page));
    inputs[`help-${slug}`] = out;
  }

  const plugin: Plugin = {
    name: 'ecpa-help-pages',
    transformIndexHtml(html, hook) {
      return expandLayout(html, hook.path).replace(/\{\{url:([a-z-]+)\}\}/g, (_w, name: string) => {
        const url = links[name];
        if (url === undefined) throw new Error(`unknown link ${name} in a page`);
        return url.replace(/"/g, '&quot;');
      });
    },
  };
  return { plugin, inputs };
}
