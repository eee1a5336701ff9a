import { z } from 'zod';

/**
 * Strings that may hold TAB, LF and CR (multi-line text: comments, reasons, notes). The API's input
 * hygiene (apps/api/src/http/validation.ts) refuses every other control character everywhere, and
 * these three everywhere else.
 */
export const MULTILINE_TEXT = z.registry<Record<string, never>>();

/** Marks a string schema as multi-line text (comments, reasons): TAB, LF and CR accepted there. */
export function multilineText<T extends z.ZodType>(schema: T): T {
  MULTILINE_TEXT.add(schema, {});
  return schema;
}

/** An ISO 8601 instant as the API writes it (`Date.prototype.toISOString`). */
export const isoDateTime = z.string().meta({ format: 'date-time', description: 'ISO 8601 instant' });

/** A Paris calendar date `YYYY-MM-DD`. */
export const calendarDate = z.string().meta({ format: 'date', description: 'Calendar date YYYY-MM-DD' });
