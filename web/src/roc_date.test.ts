import { describe, expect, it } from 'vitest';
import { dateFromIso, englishDateFromIso, parseIsoDate, rocDateFromIso } from './roc_date';

describe('roc_date', () => {
  it('writes a day as the portal does elsewhere: ROC year, month and day without leading zeros', () => {
    expect(rocDateFromIso('2026-12-01')).toBe('115年12月1日');
    expect(rocDateFromIso('2021-12-14')).toBe('110年12月14日');
    expect(rocDateFromIso('2024-02-29')).toBe('113年2月29日');
    expect(rocDateFromIso('1913-01-05')).toBe('2年1月5日');
  });

  it('names the first year 民國元年 and counts earlier years back, like libs/tw', () => {
    expect(rocDateFromIso('1912-01-01')).toBe('民國元年1月1日');
    expect(rocDateFromIso('1911-12-31')).toBe('民前1年12月31日');
    expect(rocDateFromIso('1900-02-28')).toBe('民前12年2月28日');
  });

  it('refuses what is not a calendar day', () => {
    for (const bad of ['', '2021-02-29', '2021-02-30', '2021-13-01', '2021-00-10', '2021-12-00', '2021-1-5', '2021-12-14T00:00:00Z', '110年12月14日', ' 2021-12-14', '0099-01-01']) {
      expect(rocDateFromIso(bad), bad).toBeNull();
    }
    expect(parseIsoDate('2020-02-29')).toEqual({ year: 2020, month: 2, day: 29 });
  });

  it('writes English dates in English, with the ROC year beside them', () => {
    expect(englishDateFromIso('2026-12-04')).toBe('Fri 4 Dec 2026 (ROC 115)');
    expect(englishDateFromIso('2021-12-14')).toBe('Tue 14 Dec 2021 (ROC 110)');
    expect(englishDateFromIso('2024-02-29')).toBe('Thu 29 Feb 2024 (ROC 113)');
    expect(englishDateFromIso('1912-01-01')).toBe('Mon 1 Jan 1912 (ROC 1)');
    expect(englishDateFromIso('1911-12-31')).toBe('Sun 31 Dec 1911 (before ROC 1)');
    expect(englishDateFromIso('2021-02-30')).toBeNull();
    expect(dateFromIso('2026-12-04', 'en')).toBe('Fri 4 Dec 2026 (ROC 115)');
    expect(dateFromIso('2026-12-04', 'zh-TW')).toBe('115年12月4日');
  });
});
