/**
 * A small, strict CSV reader for agents' uploads (RFC 4180 quoting, `;` or `,` separator detected
 * on the header line, CRLF or LF, UTF-8 with or without BOM; a quoted field spans lines only when
 * it closes within the field length limit, so an unclosed quote costs one line, not the rest). It never throws on bad content: each
 * record carries its line number so problems can be reported per line.
 */
export interface CsvRecord {
  /** 1-based line number of the record's first line in the file. */
  readonly line: number;
  readonly fields: string[];
  /** Set when the record itself is malformed (unterminated quote, stray quote). */
  readonly problem?: string;
}

export function detectSeparator(headerLine: string): ';' | ',' {
  const semicolons = (headerLine.match(/;/g) ?? []).length;
  const commas = (headerLine.match(/,/g) ?? []).length;
  return semicolons >= commas ? ';' : ',';
}

export function parseCsv(text: string, maxFieldLength = 500): { separator: ';' | ','; records: CsvRecord[] } {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLineEnd = input.search(/\r?\n/);
  const separator = detectSeparator(firstLineEnd === -1 ? input : input.slice(0, firstLineEnd));
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  const n = input.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let problem: string | undefined;
    let inQuotes = false;
    let quotedField = false;
    let endOfRecord = false;
    while (i < n && !endOfRecord) {
      const ch = input[i] as string;
      if (inQuotes) {
        if (ch === '"') {
          if (input[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          inQuotes = false;
          i += 1;
          continue;
        }
        if (ch === '\n') {
          // A quoted field may span lines (RFC 4180), but only if it closes within its length
          // budget: otherwise a stray quote (garbage, a typo) would swallow the good lines after it.
          const closing = input.indexOf('"', i + 1);
          if (closing === -1 || closing - i > maxFieldLength - field.length) {
            problem ??= 'guillemet non fermé';
            inQuotes = false;
            i += 1;
            line += 1;
            endOfRecord = true;
            continue;
          }
          line += 1;
        }
        field += ch;
        i += 1;
        continue;
      }
      if (ch === '"') {
        if (field === '' && !quotedField) {
          inQuotes = true;
          quotedField = true;
        } else {
          problem ??= 'guillemet mal placé';
          field += ch;
        }
        i += 1;
      } else if (ch === separator) {
        fields.push(field);
        field = '';
        quotedField = false;
        i += 1;
      } else if (ch === '\r' && input[i + 1] === '\n') {
        i += 2;
        line += 1;
        endOfRecord = true;
      } else if (ch === '\n') {
        i += 1;
        line += 1;
        endOfRecord = true;
      } else {
        if (quotedField) problem ??= 'caractères après un champ entre guillemets';
        field += ch;
        i += 1;
      }
      if (field.length > maxFieldLength) {
        problem ??= `champ trop long (plus de ${maxFieldLength} caractères)`;
        field = field.slice(0, maxFieldLength);
      }
    }
    if (inQuotes) problem ??= 'guillemet non fermé';
    fields.push(field);
    const blank = fields.length === 1 && fields[0]?.trim() === '';
    if (!blank) records.push(problem ? { line: startLine, fields, problem } : { line: startLine, fields });
  }
  return { separator, records };
}

/** Quotes a value for a CSV we produce (defined once, in the domain, with the rest of the CSV export rules). */
export { csvCell } from '@fcplat/domain';
