import { describe, expect, it } from 'vitest';
import { detectBrowser, popupSteps, type BrowserKind } from './browser';

const UA: Record<string, BrowserKind> = {
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36': 'chrome',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0': 'edge',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0': 'firefox',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15': 'safari-mac',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1': 'safari-ios',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1': 'safari-ios',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1': 'safari-ios',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36': 'chrome',
  'curl/8.0': 'other',
};

describe('detectBrowser', () => {
  it.each(Object.entries(UA))('%s', (ua, kind) => {
    expect(detectBrowser(ua)).toBe(kind);
  });
});

describe('popupSteps', () => {
  it('fills in the portal origin in every browser and language', () => {
    for (const kind of ['chrome', 'firefox', 'edge', 'safari-mac', 'safari-ios', 'other'] as const) {
      for (const lang of ['zh-TW', 'en'] as const) {
        const steps = popupSteps(kind, lang, 'https://ecpa.example.gov.tw');
        expect(steps.length).toBeGreaterThanOrEqual(2);
        expect(steps.join(' ')).not.toContain('{origin}');
        expect(steps.join(' ')).toContain('https://ecpa.example.gov.tw');
      }
    }
  });
});
