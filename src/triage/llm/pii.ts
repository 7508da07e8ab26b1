// Reversible PII redaction for text that leaves the machine: each email, phone, card number, street address and
// known name becomes a numbered placeholder ([EMAIL_1]), and the placeholders in a model's answer are put back.
import { replaceCardNumbers } from '../../domain/card-numbers.ts';
import { replacePhoneNumbers } from '../../domain/phone-numbers.ts';

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
// A house number, one to four words and a street kind, optionally followed by ", City, ST 12345".
const ADDRESS =
  /\b\d{1,5}\s+(?:[A-Z][\p{L}'.-]*\s+){1,4}(?:St|Street|Rd|Road|Ave|Avenue|Blvd|Boulevard|Ln|Lane|Dr|Drive|Ct|Court|Way|Pl|Place|Terrace|Pkwy|Parkway|Hwy|Straße|Strasse|Weg|Rue|Calle)\b\.?(?:,\s*[\p{L} .'-]+){0,2}(?:,?\s*[A-Z]{2}\s*\d{5}(?:-\d{4})?)?(?:,\s*[A-Z]{2,3}\b)?/gu;

export interface Redaction {
  text: string;
  /** placeholder -> original */
  readonly originals: ReadonlyMap<string, string>;
}

export interface RedactionContext {
  /** Names known to belong to the requester (from the ticket's metadata). */
  names?: readonly string[];
  /** Placeholders already assigned, so the same value gets the same placeholder across texts of one request. */
  assigned?: Map<string, string>;
}

export function redactPii(text: string, ctx: RedactionContext = {}): Redaction {
  const byValue = ctx.assigned ?? new Map<string, string>();
  const counters = new Map<string, number>();
  for (const placeholder of byValue.values()) {
    const kind = placeholder.slice(1, placeholder.lastIndexOf('_'));
    counters.set(kind, Math.max(counters.get(kind) ?? 0, Number(placeholder.slice(placeholder.lastIndexOf('_') + 1, -1))));
  }
  const placeholder = (kind: string, value: string): string => {
    const known = byValue.get(value);
    if (known) return known;
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    const p = `[${kind}_${n}]`;
    byValue.set(value, p);
    return p;
  };
  let out = text;
  // Longest names first, whole names and each part of them (a greeting often uses the first name alone).
  const names = [...new Set((ctx.names ?? []).flatMap((n) => [n, ...n.split(/\s+/)]).filter((n) => n.length >= 3 && /^\p{Lu}/u.test(n)))].sort((a, b) => b.length - a.length);
  out = out.replace(EMAIL, (m) => placeholder('EMAIL', m));
  out = out.replace(ADDRESS, (m) => placeholder('ADDRESS', m));
  out = replaceCardNumbers(out, (m) => placeholder('CARD', m));
  // The export's redactor uses the same detector: 9 to 15 digits, named ids ("tracking number 1130768504") and dates kept.
  out = replacePhoneNumbers(out, (m) => placeholder('PHONE', m));
  for (const name of names) out = out.replace(new RegExp(`(?<![\\p{L}\\[_])${escapeRe(name)}(?![\\p{L}\\]])`, 'gu'), (m) => placeholder('NAME', m));
  const originals = new Map([...byValue].map(([value, p]) => [p, value]));
  return { text: out, originals };
}

/** Puts the originals back in a string the model produced; placeholders it invented stay as they are (and fail grounding). */
export function restorePii(text: string, originals: ReadonlyMap<string, string>): string {
  return text.replace(/\[(?:EMAIL|PHONE|CARD|ADDRESS|NAME)_\d+\]/g, (p) => originals.get(p) ?? p);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
