/**
 * CSV files people open in a spreadsheet (batch results, the journal): `;` separated (the French
 * spreadsheet habit), UTF-8 with a BOM (so Excel reads the accents), CRLF line ends, formulas
 * defused. Dates in them are written in France's time (`parisDateTime`).
 */

/** Quotes a value for a CSV we produce, and defuses formulas (CSV injection). */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // A cell starting with = + - @ is run as a formula by spreadsheets (CSV injection).
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole file: the header, then one line per row, with the BOM and CRLF line ends. */
export function csvDocument(header: readonly string[], rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  const lines = [header.map(csvCell).join(';'), ...rows.map((row) => row.map(csvCell).join(';'))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** A calendar date (`2026-12-07`) as French spreadsheets write it (`07/12/2026`); empty when absent. */
export function frenchCalendarDate(day: string | null | undefined): string {
  const match = day ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(day) : null;
  return match ? `${match[3]}/${match[2]}/${match[1]}` : '';
}
