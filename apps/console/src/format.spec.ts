import { formatCalendarDate, formatNumericDateTime, todayInParis, workingDays } from './format.js';

describe('console formatting', () => {
  it('says working days in French with the plural', () => {
    expect(workingDays(0)).toBe('0 jour ouvré');
    expect(workingDays(1)).toBe('1 jour ouvré');
    expect(workingDays(12)).toBe('12 jours ouvrés');
  });

  it('writes calendar dates without shifting them across time zones', () => {
    expect(formatCalendarDate('2026-01-01')).toBe('1 janvier 2026');
    expect(formatCalendarDate('not a date')).toBe('—');
    expect(formatCalendarDate(null)).toBe('—');
  });

  it('writes a moment as JJ/MM/AAAA à HH:MM in Paris time', () => {
    expect(formatNumericDateTime('2026-03-04T09:15:00Z')).toBe('04/03/2026 à 10:15');
    expect(formatNumericDateTime('2026-07-01T21:05:00Z')).toBe('01/07/2026 à 23:05');
    expect(formatNumericDateTime(null)).toBe('—');
  });

  it('gives today in Paris', () => {
    expect(todayInParis(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
  });
});
