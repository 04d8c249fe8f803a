// Which browser the person uses, so that a blocked pop-up comes with that browser's own steps (the seed's
// second half, in our words, with this portal's origin filled in). The help pages print the same steps for
// every browser (help_render.ts), so the two can never disagree.

import type { Lang } from './i18n';

export type BrowserKind = 'chrome' | 'firefox' | 'edge' | 'safari-mac' | 'safari-ios' | 'other';

export function detectBrowser(userAgent: string): BrowserKind {
  const ua = userAgent;
  // Order matters: every iOS browser is Safari underneath and Edge says "Chrome" too.
  if (/iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && /Mobile\//.test(ua))) return 'safari-ios';
  if (/Edg(e|A|iOS)?\//.test(ua)) return 'edge';
  if (/Firefox\/|FxiOS\//.test(ua)) return 'firefox';
  if (/(Chrome|Chromium|CriOS)\//.test(ua)) return 'chrome';
  if (/Safari\//.test(ua) && /Macintosh/.test(ua)) return 'safari-mac';
  return 'other';
}

/** The seed's order: Chrome, Firefox, Edge, Safari on a Mac, Safari on iPhone/iPad; then everything else. */
export const BROWSER_ORDER: readonly BrowserKind[] = ['chrome', 'firefox', 'edge', 'safari-mac', 'safari-ios', 'other'];

const NAMES: Record<BrowserKind, Record<Lang, string>> = {
  chrome: { 'zh-TW': 'Google Chrome', en: 'Google Chrome' },
  firefox: { 'zh-TW': 'Firefox', en: 'Firefox' },
  edge: { 'zh-TW': 'Microsoft Edge', en: 'Microsoft Edge' },
  'safari-mac': { 'zh-TW': 'Mac 上的 Safari', en: 'Safari on a Mac' },
  'safari-ios': { 'zh-TW': 'iPhone、iPad 上的 Safari', en: 'Safari on iPhone or iPad' },
  other: { 'zh-TW': '其他瀏覽器', en: 'Other browsers' },
};

export function browserName(kind: BrowserKind, lang: Lang): string {
  return NAMES[kind][lang];
}

const STEPS: Record<BrowserKind, Record<Lang, string[]>> = {
  chrome: {
    'zh-TW': [
      '在網址列右側按一下「已封鎖彈出式視窗」圖示。',
      '選擇「一律允許 {origin} 的彈出式視窗和重新導向」,然後按「完成」。',
      '回到本頁再按一次「登入」。',
    ],
    en: ['Click the “Pop-ups blocked” icon at the right end of the address bar.', 'Choose “Always allow pop-ups and redirects from {origin}”, then click Done.', 'Come back to this page and press Log in again.'],
  },
  firefox: {
    'zh-TW': ['在網頁上方的提示列按「選項」(或「偏好設定」)按鈕。', '選擇「允許 {origin} 開啟彈出型視窗」。', '回到本頁再按一次「登入」。'],
    en: ['In the bar at the top of the page, click the Options (or Preferences) button.', 'Choose “Allow pop-ups for {origin}”.', 'Come back to this page and press Log in again.'],
  },
  edge: {
    'zh-TW': [
      '按右上角「…」,選擇「設定」。',
      '選擇「Cookie 和網站權限」(或「網站權限」),再選「快顯視窗並重新導向」。',
      '在「允許」旁按「新增」,輸入 {origin},再按「新增」。',
      '回到本頁再按一次「登入」。',
    ],
    en: [
      'Click “…” at the top right and choose Settings.',
      'Open “Cookies and site permissions” (or “Site permissions”), then “Pop-ups and redirects”.',
      'Next to Allow, click Add, type {origin} and click Add.',
      'Come back to this page and press Log in again.',
    ],
  },
  'safari-mac': {
    'zh-TW': ['保持本頁開啟,在選單列選擇 Safari >「設定…」(舊版為「偏好設定…」),再按「網站」。', '在左側選「彈出式視窗」。', '在 {origin} 旁的選單選擇「允許」。', '回到本頁再按一次「登入」。'],
    en: ['With this page open, choose Safari > Settings… (Preferences… in older versions) and click Websites.', 'Choose Pop-up Windows on the left.', 'Next to {origin}, choose Allow.', 'Come back to this page and press Log in again.'],
  },
  'safari-ios': {
    'zh-TW': ['開啟 iPhone 或 iPad 的「設定」>「Safari」。', '關閉「阻擋彈出式視窗」。', '回到 Safari 中 {origin} 的登入頁,再按一次「登入」。'],
    en: ['Open Settings > Safari on your iPhone or iPad.', 'Turn off Block Pop-ups.', 'Go back to the login page of {origin} in Safari and press Log in again.'],
  },
  other: {
    'zh-TW': ['在瀏覽器的設定中找到「彈出式視窗」或「快顯視窗」。', '允許 {origin} 開啟彈出式視窗。', '回到本頁再按一次「登入」。'],
    en: ['In your browser settings, find the pop-up settings.', 'Allow pop-ups for {origin}.', 'Come back to this page and press Log in again.'],
  },
};

/** The steps to allow pop-ups for origin in this browser. */
export function popupSteps(kind: BrowserKind, lang: Lang, origin: string): string[] {
  return STEPS[kind][lang].map((s) => s.replaceAll('{origin}', origin));
}
