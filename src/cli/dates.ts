// Dates on the command line: a plain date or an ISO time; a plain --until date includes that whole day.
import { UsageError } from './args.ts';

export function parseDate(flag: string, text: string, endOfDay: boolean): number {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const ms = Date.parse(dateOnly ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(ms)) throw new UsageError(`${flag} must be a date like 2026-11-01 or an ISO time (got ${text})`);
  return dateOnly && endOfDay ? ms + 24 * 60 * 60 * 1000 : ms;
}
