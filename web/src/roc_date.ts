// Dates as the portal shows them: the Republic of China calendar in Chinese (110年12月14日), the form the
// server uses for the calendar's days (libs/tw RocDate::to_chinese), so every date on a page reads alike.

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar day "YYYY-MM-DD" as its parts, or null (2021-02-30, 2021-13-01, "", "tomorrow"). */
export function parseIsoDate(text: string): { year: number; month: number; day: number } | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 02-30 over to 03-02 (and years 0–99 to 1900–1999): any changed part is refused.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** "2026-12-01" → "115年12月1日"; 1912 is 民國元年, earlier years count back (1911 → 民前1年). Null if not a day. */
export function rocDateFromIso(text: string): string | null {
  const d = parseIsoDate(text);
  if (!d) return null;
  const roc = d.year - 1911;
  const year = roc > 1 ? `${roc}` : roc === 1 ? '民國元' : `民前${1912 - d.year}`;
  return `${year}年${d.month}月${d.day}日`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/**
 * "2026-12-04" → "Fri 4 Dec 2026 (ROC 115)": what English readers read, with the ROC year beside it (the
 * year official papers and colleagues name). Before 1912 the ROC year is "before ROC n". Null if not a day.
 */
export function englishDateFromIso(text: string): string | null {
  const d = parseIsoDate(text);
  if (!d) return null;
  const weekday = WEEKDAYS[new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay()] ?? '';
  const roc = d.year - 1911;
  const rocYear = roc >= 1 ? `ROC ${roc}` : `before ROC ${1912 - d.year}`;
  return `${weekday} ${d.day} ${MONTHS[d.month - 1] ?? ''} ${d.year} (${rocYear})`;
}

/** A day as this language shows it: the ROC date in Chinese, the English date with its ROC year in English. */
export function dateFromIso(text: string, lang: 'zh-TW' | 'en'): string | null {
  return lang === 'en' ? englishDateFromIso(text) : rocDateFromIso(text);
}
