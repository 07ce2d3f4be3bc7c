// How the console writes money, dates and times. Money arrives from the API as a decimal string
// ("12000.00") and is only ever re-formatted as text: it never passes through a JS number.

const MONEY = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/** "12000.00" → "¥12,000.00". Anything that is not a decimal amount is shown as it came. */
export function formatMoney(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return '—';
  const match = MONEY.exec(amount.trim());
  if (!match) return amount;
  const [, sign, whole, fraction = ''] = match;
  const grouped = whole!.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${grouped}.${fraction.padEnd(2, '0')}`;
}

/** Sums money strings exactly, in cents as BigInt: no floating point on money. */
export function addMoney(...amounts: string[]): string {
  const cents = (value: string) => {
    const [whole = '0', fraction = ''] = value.split('.');
    return BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2));
  };
  const total = amounts.reduce((sum, amount) => sum + cents(amount), 0n);
  return `${total / 100n}.${String(total % 100n).padStart(2, '0')}`;
}

/** What a clerk types as money ("1,700", "¥1700.5", " 1700 ") in the API's form ("1700.5"), or null. */
export function parseMoneyInput(text: string): string | null {
  const cleaned = text.replace(/[\s,，¥￥]/g, '').replace(/元$/, '');
  if (cleaned === '') return null;
  return /^\d{1,12}(\.\d{1,2})?$/.test(cleaned) ? cleaned : null;
}

/** "2026-03-15" → "2026年3月15日". */
export function formatDate(date: string | null | undefined): string {
  if (!date) return '—';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  return `${match[1]}年${Number(match[2])}月${Number(match[3])}日`;
}

/** "2026-03" → "2026年3月". */
export function formatMonth(month: string | null | undefined): string {
  if (!month) return '—';
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return month;
  return `${match[1]}年${Number(match[2])}月`;
}

/** A period of months: "2026年1月—3月", or one month alone. */
export function formatPeriod(from: string | null, to: string | null): string {
  if (!from || !to) return formatMonth(from ?? to);
  if (from === to) return formatMonth(from);
  if (from.slice(0, 4) === to.slice(0, 4)) return `${formatMonth(from)}—${Number(to.slice(5, 7))}月`;
  return `${formatMonth(from)}—${formatMonth(to)}`;
}

/** Dates and months inside a text ("2026-01至2026-03") in the Chinese way ("2026年1月至2026年3月"). */
export function formatDatesIn(text: string): string {
  return text.replace(/\b(\d{4})-(\d{2})(?:-(\d{2}))?\b/g, (_match, year: string, month: string, day: string | undefined) =>
    day ? `${year}年${Number(month)}月${Number(day)}日` : `${year}年${Number(month)}月`,
  );
}

const CHINA_TIME = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An ISO timestamp in China time: "2026年11月22日 10:05". */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return '—';
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const parts = Object.fromEntries(CHINA_TIME.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${parts.year}年${Number(parts.month)}月${Number(parts.day)}日 ${parts.hour}:${parts.minute}`;
}

/** Today's date in China time, YYYY-MM-DD (the API's date rules use China time). */
export function chinaToday(now: Date = new Date()): string {
  const parts = Object.fromEntries(CHINA_TIME.formatToParts(now).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/** The months of a transfer or a hold: one month, or the first and last and how many ("2026年1月至2026年3月（3 个月）"). */
export function formatMonthList(months: readonly string[]): string {
  if (months.length === 0) return '—';
  if (months.length === 1) return formatMonth(months[0]);
  return `${formatMonth(months[0])}至${formatMonth(months.at(-1))}（${months.length} 个月）`;
}
