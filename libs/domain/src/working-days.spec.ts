import {
  addWorkingDays,
  calendarDaysBetween,
  easterSunday,
  frenchPublicHolidays,
  isPublicHoliday,
  isWeekend,
  isWorkingDay,
  parisCalendarDate,
  parisDateTime,
  parisDayStart,
  publicHolidayName,
  toCalendarDate,
  workingDaysBetween,
} from './working-days.js';

describe('easterSunday', () => {
  it.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2000, '2000-04-23'],
    [2019, '2019-04-21'],
    [2038, '2038-04-25'],
    [1818, '1818-03-22'],
  ])('%i → %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it('refuses years outside the Gregorian calendar or not integers', () => {
    expect(() => easterSunday(1500)).toThrow(RangeError);
    expect(() => easterSunday(2024.5)).toThrow(RangeError);
  });
});

describe('frenchPublicHolidays', () => {
  it('lists the 11 national holidays of 2026 in date order', () => {
    expect(frenchPublicHolidays(2026)).toEqual([
      { date: '2026-01-01', name: 'Jour de l’an' },
      { date: '2026-04-06', name: 'Lundi de Pâques' },
      { date: '2026-05-01', name: 'Fête du Travail' },
      { date: '2026-05-08', name: 'Victoire 1945' },
      { date: '2026-05-14', name: 'Ascension' },
      { date: '2026-05-25', name: 'Lundi de Pentecôte' },
      { date: '2026-07-14', name: 'Fête nationale' },
      { date: '2026-08-15', name: 'Assomption' },
      { date: '2026-11-01', name: 'Toussaint' },
      { date: '2026-11-11', name: 'Armistice 1918' },
      { date: '2026-12-25', name: 'Noël' },
    ]);
  });

  it('derives the movable feasts from Easter', () => {
    const dates = (year: number) => frenchPublicHolidays(year).map((h) => h.date);
    expect(dates(2024)).toEqual(expect.arrayContaining(['2024-04-01', '2024-05-09', '2024-05-20']));
    expect(dates(2025)).toEqual(expect.arrayContaining(['2025-04-21', '2025-05-29', '2025-06-09']));
    expect(dates(2027)).toEqual(expect.arrayContaining(['2027-03-29', '2027-05-06', '2027-05-17']));
  });

  it('adds Good Friday and 26 December for Alsace-Moselle only', () => {
    const alsace = frenchPublicHolidays(2026, { alsaceMoselle: true });
    expect(alsace).toHaveLength(13);
    expect(alsace).toContainEqual({ date: '2026-04-03', name: 'Vendredi saint' });
    expect(alsace).toContainEqual({ date: '2026-12-26', name: 'Saint-Étienne' });
    expect(frenchPublicHolidays(2026).map((h) => h.date)).not.toContain('2026-04-03');
  });

  it('keeps one entry when two holidays fall on the same day (1 May = Ascension in 2008)', () => {
    const holidays = frenchPublicHolidays(2008);
    expect(holidays).toHaveLength(10);
    expect(holidays.filter((h) => h.date === '2008-05-01')).toEqual([{ date: '2008-05-01', name: 'Fête du Travail' }]);
  });
});

describe('Paris calendar dates', () => {
  it('uses the Paris date of an instant, not the UTC one', () => {
    // 23:30 UTC on 31 December is 00:30 on 1 January in Paris (UTC+1).
    expect(parisCalendarDate(new Date('2025-12-31T23:30:00Z'))).toBe('2026-01-01');
    // 22:30 UTC on 13 July is 00:30 on 14 July in Paris (UTC+2, summer time).
    expect(parisCalendarDate(new Date('2026-07-13T22:30:00Z'))).toBe('2026-07-14');
    expect(parisCalendarDate(new Date('2026-07-13T21:59:59Z'))).toBe('2026-07-13');
    // Around the DST switches.
    expect(parisCalendarDate(new Date('2026-03-28T23:30:00Z'))).toBe('2026-03-29');
    expect(parisCalendarDate(new Date('2026-10-24T22:30:00Z'))).toBe('2026-10-25');
    expect(parisCalendarDate(new Date('2026-10-25T22:30:00Z'))).toBe('2026-10-25');
  });

  it('accepts YYYY-MM-DD strings as Paris dates and rejects anything else', () => {
    expect(toCalendarDate('2026-02-28')).toBe('2026-02-28');
    expect(toCalendarDate(new Date('2026-02-28T12:00:00Z'))).toBe('2026-02-28');
    expect(() => toCalendarDate('2026-02-30')).toThrow(RangeError);
    expect(() => toCalendarDate('2026-1-1')).toThrow(RangeError);
    expect(() => toCalendarDate('2026-01-01T00:00:00Z')).toThrow(RangeError);
    expect(() => toCalendarDate(new Date('invalid'))).toThrow(RangeError);
  });

  it('handles 29 February', () => {
    expect(toCalendarDate('2028-02-29')).toBe('2028-02-29');
    expect(() => toCalendarDate('2027-02-29')).toThrow(RangeError);
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2026-03-02', true, 'a Monday'],
    ['2026-03-06', true, 'a Friday'],
    ['2026-03-07', false, 'a Saturday'],
    ['2026-03-08', false, 'a Sunday'],
    ['2026-07-14', false, 'Bastille Day, a Tuesday'],
    ['2026-05-14', false, 'Ascension Thursday'],
    ['2026-05-25', false, 'Whit Monday'],
    ['2026-04-06', false, 'Easter Monday'],
    ['2026-04-03', true, 'Good Friday outside Alsace-Moselle'],
    ['2026-12-24', true, 'Christmas Eve'],
    ['2027-01-01', false, 'New Year’s Day, a Friday'],
  ])('%s is %s (%s)', (date, expected) => {
    expect(isWorkingDay(date)).toBe(expected);
  });

  it('applies the Alsace-Moselle extras behind the option', () => {
    expect(isWorkingDay('2026-04-03', { alsaceMoselle: true })).toBe(false);
    expect(isWorkingDay('2025-12-26', { alsaceMoselle: true })).toBe(false);
    expect(isWorkingDay('2025-12-26')).toBe(true);
  });

  it('judges an instant by its Paris date', () => {
    // Wednesday 31 Dec 2025 in UTC, but already the 1 January holiday in Paris.
    expect(isWorkingDay(new Date('2025-12-31T23:30:00Z'))).toBe(false);
    expect(isWorkingDay(new Date('2025-12-31T22:59:00Z'))).toBe(true);
    // Sunday 22:30 UTC in summer is Monday 00:30 in Paris.
    expect(isWorkingDay(new Date('2026-06-07T22:30:00Z'))).toBe(true);
  });

  it('names holidays and weekends', () => {
    expect(publicHolidayName('2026-11-11')).toBe('Armistice 1918');
    expect(publicHolidayName('2026-11-12')).toBeUndefined();
    expect(isPublicHoliday('2026-08-15')).toBe(true);
    expect(isWeekend('2026-08-15')).toBe(true);
    expect(isWeekend('2026-08-14')).toBe(false);
  });
});

describe('workingDaysBetween', () => {
  it('counts working days after `from` up to and including `to`', () => {
    expect(workingDaysBetween('2026-03-02', '2026-03-02')).toBe(0);
    expect(workingDaysBetween('2026-03-02', '2026-03-03')).toBe(1);
    expect(workingDaysBetween('2026-03-06', '2026-03-07')).toBe(0);
    expect(workingDaysBetween('2026-03-06', '2026-03-09')).toBe(1);
    expect(workingDaysBetween('2026-03-06', '2026-03-13')).toBe(5);
    expect(workingDaysBetween('2026-03-07', '2026-03-08')).toBe(0);
  });

  it('ignores the time of day', () => {
    expect(workingDaysBetween(new Date('2026-03-02T17:59:00Z'), new Date('2026-03-03T06:00:00Z'))).toBe(1);
    expect(workingDaysBetween(new Date('2026-03-02T06:00:00Z'), new Date('2026-03-02T17:00:00Z'))).toBe(0);
  });

  it('skips holidays, across the year boundary', () => {
    // Thu 24 Dec 2026 → Mon 4 Jan 2027: 28, 29, 30, 31 Dec and 4 Jan.
    expect(workingDaysBetween('2026-12-24', '2027-01-04')).toBe(5);
    expect(workingDaysBetween('2026-12-24', '2027-01-04', { alsaceMoselle: true })).toBe(5);
    // 26 Dec 2025 is a Friday: an Alsace-Moselle holiday.
    expect(workingDaysBetween('2025-12-24', '2026-01-05')).toBe(6);
    expect(workingDaysBetween('2025-12-24', '2026-01-05', { alsaceMoselle: true })).toBe(5);
  });

  it('skips the Easter holidays', () => {
    // Thu 17 Apr 2025 → Tue 22 Apr 2025: Good Friday (working outside Alsace-Moselle) and Tuesday.
    expect(workingDaysBetween('2025-04-17', '2025-04-22')).toBe(2);
    expect(workingDaysBetween('2025-04-17', '2025-04-22', { alsaceMoselle: true })).toBe(1);
  });

  it('counts the 252 working days of 2026', () => {
    expect(workingDaysBetween('2025-12-31', '2026-12-31')).toBe(252);
  });

  it('is antisymmetric', () => {
    expect(workingDaysBetween('2027-01-04', '2026-12-24')).toBe(-5);
  });

  it('counts calendar days too', () => {
    expect(calendarDaysBetween('2026-12-24', '2027-01-04')).toBe(11);
    expect(calendarDaysBetween(new Date('2026-03-28T23:30:00Z'), new Date('2026-03-30T07:00:00Z'))).toBe(1);
  });
});

describe('addWorkingDays', () => {
  it('returns the date n working days later', () => {
    expect(addWorkingDays('2026-03-02', 1)).toBe('2026-03-03');
    expect(addWorkingDays('2026-03-06', 1)).toBe('2026-03-09');
    expect(addWorkingDays('2026-03-07', 1)).toBe('2026-03-09');
    expect(addWorkingDays('2026-03-02', 7)).toBe('2026-03-11');
  });

  it('skips holidays', () => {
    // Friday 8 May 2026 is a holiday, Thursday 14 May is Ascension.
    expect(addWorkingDays('2026-05-07', 1)).toBe('2026-05-11');
    expect(addWorkingDays('2026-05-13', 1)).toBe('2026-05-15');
    expect(addWorkingDays('2026-05-04', 7)).toBe('2026-05-15');
    expect(addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
  });

  it('returns the Paris date unchanged for n = 0', () => {
    expect(addWorkingDays('2026-03-07', 0)).toBe('2026-03-07');
    expect(addWorkingDays(new Date('2025-12-31T23:30:00Z'), 0)).toBe('2026-01-01');
  });

  it('refuses negative or fractional counts', () => {
    expect(() => addWorkingDays('2026-03-02', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-03-02', 1.5)).toThrow(RangeError);
  });

  it('is the inverse of workingDaysBetween and always lands on a working day', () => {
    const starts = ['2026-03-06', '2026-03-07', '2026-04-02', '2026-05-07', '2026-12-23', '2027-03-25'];
    for (const start of starts) {
      for (let n = 0; n <= 25; n += 1) {
        const end = addWorkingDays(start, n);
        expect(workingDaysBetween(start, end)).toBe(n);
        if (n > 0) expect(isWorkingDay(end)).toBe(true);
      }
    }
  });
});

describe('parisDateTime', () => {
  it('writes an instant as read in France, summer and winter time, never UTC', () => {
    expect(parisDateTime(new Date('2026-12-07T02:42:10Z'))).toBe('07/12/2026 03:42:10');
    expect(parisDateTime(new Date('2026-07-14T22:05:00Z'))).toBe('15/07/2026 00:05:00');
    expect(() => parisDateTime(new Date('nope'))).toThrow(RangeError);
  });
});

describe('parisDayStart', () => {
  it('is midnight in France, summer and winter time, and on the days the clocks change', () => {
    expect(parisDayStart('2026-07-14').toISOString()).toBe('2026-07-13T22:00:00.000Z');
    expect(parisDayStart('2026-01-10').toISOString()).toBe('2026-01-09T23:00:00.000Z');
    // 29 March 2026: the clocks go forward at 2 am, midnight was still winter time.
    expect(parisDayStart('2026-03-29').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(parisDayStart('2026-03-30').toISOString()).toBe('2026-03-29T22:00:00.000Z');
    // 25 October 2026: back at 3 am, midnight was still summer time.
    expect(parisDayStart('2026-10-25').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(parisDayStart('2026-10-26').toISOString()).toBe('2026-10-25T23:00:00.000Z');
    expect(() => parisDayStart('2026-02-30')).toThrow(RangeError);
  });
});
