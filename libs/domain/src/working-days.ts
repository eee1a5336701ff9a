/**
 * French working days (« jours ouvrés »): Monday to Friday, except public holidays.
 *
 * Dates are **calendar dates in Europe/Paris**. Functions accept either a JS `Date` (an instant,
 * converted to its Paris calendar date with `Intl.DateTimeFormat`, never with UTC getters: 23:30 UTC
 * on 31 December is already 1 January in Paris) or a `YYYY-MM-DD` string (already a Paris calendar
 * date). They return calendar dates as `YYYY-MM-DD` strings.
 *
 * Public holidays (Code du travail L3133-1): 1 January, Easter Monday, 1 May, 8 May, Ascension
 * Thursday, Whit Monday, 14 July, 15 August, 1 November, 11 November, 25 December. With
 * `{ alsaceMoselle: true }`, Good Friday and 26 December are added (local law of Bas-Rhin,
 * Haut-Rhin and Moselle). Whit Monday is counted as a holiday even though it may be worked as the
 * « journée de solidarité ».
 *
 * Counting convention ({@link workingDaysBetween}): the number of working days **strictly after**
 * `from`'s date **up to and including** `to`'s date. Same day → 0; Friday → next Monday → 1;
 * Monday → Tuesday → 1, whatever the time of day. {@link addWorkingDays} is its inverse: the first
 * calendar date `d` such that `workingDaysBetween(from, d) === n`.
 */

/** A calendar date `YYYY-MM-DD`, understood in Europe/Paris. */
export type CalendarDate = string;

/** An instant, or a calendar date already expressed in Europe/Paris. */
export type DateInput = Date | CalendarDate;

export interface HolidayOptions {
  /** Adds Good Friday and 26 December (Alsace-Moselle local law). Default `false`. */
  readonly alsaceMoselle?: boolean;
}

export interface PublicHoliday {
  readonly date: CalendarDate;
  /** French name, e.g. « Lundi de Pâques ». */
  readonly name: string;
}

export const PARIS_TIME_ZONE = 'Europe/Paris';

const MS_PER_DAY = 86_400_000;
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

let parisFormatter: Intl.DateTimeFormat | undefined;

function formatter(): Intl.DateTimeFormat {
  parisFormatter ??= new Intl.DateTimeFormat('en-US', {
    timeZone: PARIS_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    calendar: 'gregory',
    numberingSystem: 'latn',
  });
  return parisFormatter;
}

let parisDateTimeFormatter: Intl.DateTimeFormat | undefined;

/**
 * An instant as people in France read it, in Europe/Paris: `07/12/2026 03:42:10` (files people open
 * in a spreadsheet: batch results, exports), never a UTC ISO string.
 */
export function parisDateTime(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('Date invalide.');
  parisDateTimeFormatter ??= new Intl.DateTimeFormat('fr-FR', {
    timeZone: PARIS_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  return parisDateTimeFormatter.format(instant).replace(',', '');
}

/** The calendar date of an instant in Europe/Paris. */
export function parisCalendarDate(instant: Date): CalendarDate {
  if (Number.isNaN(instant.getTime())) throw new RangeError('Date invalide.');
  let year = '';
  let month = '';
  let day = '';
  for (const part of formatter().formatToParts(instant)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year.padStart(4, '0')}-${month}-${day}`;
}

/**
 * The instant a calendar date begins in Europe/Paris (`2026-07-14` → `2026-07-13T22:00:00Z`): the
 * bounds of a « du … au … » filter typed in France. Daylight saving never changes at midnight in
 * France (it changes at 2 or 3 am), so the offset at midnight is that of the day: +2 h or +1 h.
 */
export function parisDayStart(day: CalendarDate): Date {
  const utcMidnight = toDayNumber(day) * 86_400_000;
  const summer = new Date(utcMidnight - 2 * 3_600_000);
  return parisCalendarDate(summer) === day ? summer : new Date(utcMidnight - 3_600_000);
}

/**
 * Days since 1970-01-01 of a calendar date: the arithmetic unit of this module. Throws a
 * `RangeError` for strings that are not a real `YYYY-MM-DD` date.
 */
export function toDayNumber(input: DateInput): number {
  const date = input instanceof Date ? parisCalendarDate(input) : input;
  const match = CALENDAR_DATE.exec(date);
  if (!match) throw new RangeError(`Date calendaire attendue au format AAAA-MM-JJ : « ${date} ».`);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`Date calendaire inexistante : « ${date} ».`);
  }
  return Math.round(ms / MS_PER_DAY);
}

/** Inverse of {@link toDayNumber}. */
export function fromDayNumber(dayNumber: number): CalendarDate {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Normalises any {@link DateInput} to its Paris calendar date. */
export function toCalendarDate(input: DateInput): CalendarDate {
  return fromDayNumber(toDayNumber(input));
}

function calendarDate(year: number, month: number, day: number): CalendarDate {
  return fromDayNumber(Math.round(Date.UTC(year, month - 1, day) / MS_PER_DAY));
}

/** Easter Sunday (Gregorian calendar), anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
export function easterSunday(year: number): CalendarDate {
  if (!Number.isInteger(year) || year < 1583) throw new RangeError(`Année non prise en charge : ${year}.`);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return calendarDate(year, month, day);
}

/** French public holidays of `year`, sorted by date. */
export function frenchPublicHolidays(year: number, options: HolidayOptions = {}): readonly PublicHoliday[] {
  const easter = toDayNumber(easterSunday(year));
  const relative = (offset: number): CalendarDate => fromDayNumber(easter + offset);
  const holidays: PublicHoliday[] = [
    { date: calendarDate(year, 1, 1), name: 'Jour de l’an' },
    { date: relative(1), name: 'Lundi de Pâques' },
    { date: calendarDate(year, 5, 1), name: 'Fête du Travail' },
    { date: calendarDate(year, 5, 8), name: 'Victoire 1945' },
    { date: relative(39), name: 'Ascension' },
    { date: relative(50), name: 'Lundi de Pentecôte' },
    { date: calendarDate(year, 7, 14), name: 'Fête nationale' },
    { date: calendarDate(year, 8, 15), name: 'Assomption' },
    { date: calendarDate(year, 11, 1), name: 'Toussaint' },
    { date: calendarDate(year, 11, 11), name: 'Armistice 1918' },
    { date: calendarDate(year, 12, 25), name: 'Noël' },
  ];
  if (options.alsaceMoselle) {
    holidays.push({ date: relative(-2), name: 'Vendredi saint' });
    holidays.push({ date: calendarDate(year, 12, 26), name: 'Saint-Étienne' });
  }
  // 1 May and Ascension can coincide (e.g. 2008): keep one entry per date, first name wins.
  const byDate = new Map<CalendarDate, PublicHoliday>();
  for (const holiday of holidays) if (!byDate.has(holiday.date)) byDate.set(holiday.date, holiday);
  return [...byDate.values()].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
}

const holidayCache = new Map<string, ReadonlyMap<CalendarDate, string>>();

function holidaysOf(year: number, options: HolidayOptions): ReadonlyMap<CalendarDate, string> {
  const key = `${year}:${options.alsaceMoselle ? 'am' : 'fr'}`;
  let map = holidayCache.get(key);
  if (!map) {
    map = new Map(frenchPublicHolidays(year, options).map((h) => [h.date, h.name]));
    holidayCache.set(key, map);
  }
  return map;
}

/** The holiday's French name if `date` is a public holiday, otherwise `undefined`. */
export function publicHolidayName(date: DateInput, options: HolidayOptions = {}): string | undefined {
  const day = toCalendarDate(date);
  return holidaysOf(Number(day.slice(0, 4)), options).get(day);
}

export function isPublicHoliday(date: DateInput, options: HolidayOptions = {}): boolean {
  return publicHolidayName(date, options) !== undefined;
}

/** ISO weekday of a day number: 1 = Monday ... 7 = Sunday (1970-01-01 was a Thursday). */
function isoWeekday(dayNumber: number): number {
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

export function isWeekend(date: DateInput): boolean {
  return isoWeekday(toDayNumber(date)) >= 6;
}

function isWorkingDayNumber(dayNumber: number, options: HolidayOptions): boolean {
  if (isoWeekday(dayNumber) >= 6) return false;
  const day = fromDayNumber(dayNumber);
  return !holidaysOf(Number(day.slice(0, 4)), options).has(day);
}

/** Monday to Friday and not a public holiday (Paris calendar date). */
export function isWorkingDay(date: DateInput, options: HolidayOptions = {}): boolean {
  return isWorkingDayNumber(toDayNumber(date), options);
}

/**
 * Working days elapsed from `from` to `to`: working days `d` with `from < d <= to` (calendar dates
 * in Paris). Same date → 0. Antisymmetric: if `to` is before `from`, the result is
 * `-workingDaysBetween(to, from)`.
 */
export function workingDaysBetween(from: DateInput, to: DateInput, options: HolidayOptions = {}): number {
  const start = toDayNumber(from);
  const end = toDayNumber(to);
  if (end < start) return -workingDaysBetween(to, from, options);
  let count = 0;
  for (let day = start + 1; day <= end; day += 1) if (isWorkingDayNumber(day, options)) count += 1;
  return count;
}

/** Calendar days from `from`'s Paris date to `to`'s (negative if `to` is earlier). */
export function calendarDaysBetween(from: DateInput, to: DateInput): number {
  return toDayNumber(to) - toDayNumber(from);
}

/**
 * The date `n` working days after `from`: the first calendar date `d` (always a working day when
 * `n >= 1`) such that `workingDaysBetween(from, d) === n`. `n = 0` returns `from`'s date as is.
 * `n` must be a non-negative integer.
 */
export function addWorkingDays(from: DateInput, n: number, options: HolidayOptions = {}): CalendarDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Nombre de jours ouvrés invalide : ${n}.`);
  let day = toDayNumber(from);
  let remaining = n;
  while (remaining > 0) {
    day += 1;
    if (isWorkingDayNumber(day, options)) remaining -= 1;
  }
  return fromDayNumber(day);
}
