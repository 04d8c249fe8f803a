import { describe, expect, it } from 'vitest';
import { saveLang, storedLang, type StorageLike } from './lang';

function memory(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('language choice', () => {
  it('defaults to zh-TW and remembers English', () => {
    const s = memory();
    expect(storedLang(s)).toBe('zh-TW');
    saveLang(s, 'en');
    expect(storedLang(s)).toBe('en');
    saveLang(s, 'zh-TW');
    expect(storedLang(s)).toBe('zh-TW');
  });

  it('reads anything odd as zh-TW and survives storage that throws', () => {
    const s = memory();
    s.setItem('ecpa.lang', 'fr');
    expect(storedLang(s)).toBe('zh-TW');
    const broken: StorageLike = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceeded');
      },
    };
    expect(storedLang(broken)).toBe('zh-TW');
    expect(() => saveLang(broken, 'en')).not.toThrow();
    expect(storedLang(null)).toBe('zh-TW');
  });
});
