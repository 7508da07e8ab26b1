// Field extraction from a map's field definitions: a pattern when the map gives one, otherwise by the field's type
// (email, money, number, date) or, for a phone field, its name. Every value comes with the text it was read from, and
// nothing is guessed: a field the text does not support stays empty, for a person (or the LLM path) to fill.
import type { ProcessMapFile } from '../workspace/schema.ts';
import { legitimateText } from './text.ts';

type FieldDef = ProcessMapFile['fields'][number];

/** One extracted value and the exact text it came from (`index` is its offset in the ticket text). */
export interface Extracted {
  value: string | number;
  source: string;
  index: number;
}

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}/gi;
// An amount with its currency: a symbol before it ($45), a code or word after it (45 USD, 45 euros), or a code before
// it (USD 269, EUR 12,50, US$ 80) — the last as customers and banks write it.
const MONEY =
  /(?:(?<sym>[$€£])\s?(?<a>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:[.,]\d{1,2})?))|(?:\b(?<b>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:[.,]\d{1,2})?)\s?(?<cur>usd|eur|gbp|dollars?|euros?|pounds?|€|£)(?![a-z]))|(?:\b(?<pre>usd|eur|gbp|us\$)\s?(?<c>\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?|\d+(?:[.,]\d{1,2})?)\b)/gi;
const PHONE = /(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){2,4}(?![\w@])/g;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DATES: { re: RegExp; read: (m: RegExpExecArray) => [number, number, number] | null }[] = [
  { re: /\b(\d{4})-(\d{2})-(\d{2})\b/g, read: (m) => [Number(m[1]), Number(m[2]), Number(m[3])] },
  { re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\.?,?\\s+(\\d{4})\\b`, 'gi'), read: (m) => [Number(m[3]), monthOf(m[2]!), Number(m[1])] },
  { re: new RegExp(`\\b${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'gi'), read: (m) => [Number(m[3]), monthOf(m[1]!), Number(m[2])] },
];

/** Cue words before an email that say it is the new address, or the one in use now. */
const NEW_CUE = /\b(?:new|to|into|use|using|switch(?:ed)?|update(?:d)?|change(?:d)?|replace(?:d)?|now|instead(?! of)|going forward)\b/gi;
const OLD_CUE = /\b(?:old|current(?:ly)?|from|existing|registered|account(?: is)?|under|was|signed up with|login|instead of)\b/gi;

/** Where the last cue of a kind ends in `before`, or -1. */
function lastCue(re: RegExp, before: string): number {
  let end = -1;
  for (const m of before.matchAll(re)) end = m.index + m[0].length;
  return end;
}
const NEW_AFTER = /^[^@\n]{0,6}\b(?:instead|from now on|going forward)\b/i;
/** Words near an amount that say it is what the customer asks for. */
const ASK_CUE = /refund|back|difference|reimburs|compensat|credit|owe|send|return|overcharg|charged/i;

export function extractFields(map: ProcessMapFile, text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, e] of Object.entries(extractFieldsWithEvidence(map, text))) out[name] = e.value;
  return out;
}

/**
 * Each field the text supports, with the text it came from; fields it does not support are absent. Only the
 * ticket's legitimate content is read (see legitimateText): no value comes from a forged quote, a hidden comment or
 * an instruction aimed at the machine. Offsets are into the text as given.
 */
export function extractFieldsWithEvidence(map: ProcessMapFile, given: string): Record<string, Extracted> {
  const text = legitimateText(given);
  const out: Record<string, Extracted> = {};
  for (const field of map.fields) {
    const value = extractOne(field, text);
    if (value !== undefined) out[field.name] = value;
  }
  return out;
}

function extractOne(field: FieldDef, text: string): Extracted | undefined {
  if (field.pattern) {
    let re: RegExp;
    try {
      re = new RegExp(field.pattern, 'i');
    } catch {
      return undefined; // the loader reports a bad pattern; extraction just finds nothing
    }
    const m = re.exec(text);
    if (!m) return undefined;
    // The first group that took part: a pattern may offer alternatives, each with its own group.
    const group = m.slice(1).find((g) => g !== undefined);
    const raw = group ?? m[0];
    const index = m.index + (group === undefined ? 0 : m[0].lastIndexOf(group));
    return { value: raw.replace(/[\s-]/g, ''), source: raw, index };
  }
  if (/phone|mobile|tel/i.test(field.name) && field.type === 'string') return phone(text);
  switch (field.type) {
    case 'email':
      return email(field.name, text);
    case 'money':
    case 'number':
      return money(text);
    case 'date':
      return date(text);
    case 'address':
      return address(text);
    default:
      return undefined;
  }
}

function all(re: RegExp, text: string): RegExpExecArray[] {
  re.lastIndex = 0;
  return [...text.matchAll(re)] as RegExpExecArray[];
}

/**
 * Which email a field means, from its name (new_email, current_email, …) and the words just before each address:
 * "change it to X" is new, "my account is X" is current. A current/old field is only filled when the text says so.
 */
function email(name: string, text: string): Extracted | undefined {
  const found = all(EMAIL, text).map((m) => {
    // The nearest cue word before the address (within a few words, same line) decides; "instead" after it means new.
    const before = text.slice(Math.max(0, m.index - 30), m.index).split('\n').at(-1)!;
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 30);
    const newAt = lastCue(NEW_CUE, before);
    const oldAt = lastCue(OLD_CUE, before);
    const isNew = NEW_AFTER.test(after) || (newAt >= 0 && newAt > oldAt);
    const isOld = !isNew && oldAt >= 0;
    return { value: m[0].toLowerCase().replace(/[.]+$/, ''), source: m[0], index: m.index, isNew, isOld };
  });
  if (found.length === 0) return undefined;
  const role = /new|target|updated|^to_/i.test(name) ? 'new' : /current|old|previous|existing|^from_/i.test(name) ? 'old' : 'any';
  const pick = (e: (typeof found)[number] | undefined) => e && { value: e.value, source: e.source, index: e.index };
  const distinct = [...new Map(found.map((e) => [e.value, e])).values()];
  if (role === 'new') {
    const cued = distinct.filter((e) => e.isNew);
    if (cued.length > 0) return pick(cued.at(-1));
    const uncued = distinct.filter((e) => !e.isOld);
    return uncued.length === 1 ? pick(uncued[0]) : undefined;
  }
  if (role === 'old') {
    const cued = distinct.find((e) => e.isOld);
    if (cued) return pick(cued);
    const others = distinct.filter((e) => !e.isNew);
    return distinct.length === 2 && others.length === 1 ? pick(others[0]) : undefined;
  }
  return pick(distinct.find((e) => e.isOld) ?? distinct[0]);
}

/** The amount asked for: the one with refund-like words around it, else the only or first amount. */
function money(text: string): Extracted | undefined {
  const found = all(MONEY, text).map((m) => {
    const raw = m.groups?.a ?? m.groups?.b ?? m.groups?.c ?? '';
    const normal = /,\d{3}(?:\D|$)/.test(raw) ? raw.replace(/,/g, '') : raw.replace(',', '.');
    const around = text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 30);
    return { value: Number(normal), source: m[0].trim(), index: m.index, asked: ASK_CUE.test(around) };
  });
  const best = found.find((f) => f.asked) ?? found[0];
  return best && Number.isFinite(best.value) ? { value: best.value, source: best.source, index: best.index } : undefined;
}

// Postal addresses as customers write them, read into one line the maps split again: "line1, [line2,] city, REGION
// POSTCODE, CC" (North America), "[Flat …,] line1, city, POSTCODE, GB", "line1, POSTCODE city, FR|DE". Only an
// address with a street, a town and a postcode is read: anything less is left for the person (or the LLM) to give.
const STREET_KIND = String.raw`(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Ln|Lane|Dr|Drive|Ct|Court|Way|Pl|Place|Pkwy|Parkway|Hwy|Highway|Terrace|Ter|Cir|Circle|Sq|Square|Close|Crescent|Gardens|Grove|Row|Walk)\.?`;
const UNIT = String.raw`(?:Apt|Apartment|Unit|Suite|Ste|#)\.?\s*[\w-]+`;
const NA_ADDRESS = new RegExp(
  String.raw`\b(\d{1,5}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:(?:\d+(?:st|nd|rd|th)|[\p{L}][\p{L}'.-]*)\s+){0,4}?${STREET_KIND})(?:,?\s+(${UNIT}))?,?\s+([\p{L}][\p{L} .'-]*?),?\s+([A-Z]{2})\s+(\d{5}(?:-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d)\b`,
  'iu',
);
const UK_ADDRESS = new RegExp(
  String.raw`\b(?:(Flat\s+\w+),?\s+)?(\d{1,5}[A-Za-z]?\s+(?:[\p{L}][\p{L}'.-]*\s+){0,3}?${STREET_KIND})\s*,?\s+([\p{L}][\p{L} .'-]*?),?\s+([A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2})\b`,
  'u',
);
const EU_ADDRESS = new RegExp(
  String.raw`\b(\d{1,4}\s*(?:bis\s+)?(?:rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai)\s+[^\d,\n]{2,40}?|[\p{L}.-]+(?:straße|strasse|str\.|weg|platz|allee|gasse)\s+\d{1,4}\s?[a-z]?|Packstation\s+\d{1,4})\s*,?\s+(\d{5})\s+([\p{L}][\p{L}' -]{1,30}?)(?=[\s.,;!]|$)`,
  'iu',
);
const NA_REGIONS_CA = new Set(['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT']);

function address(text: string): Extracted | undefined {
  const flat = text.replace(/\s*\n\s*/g, ', ').replace(/,(\s*,)+/g, ',');
  const found: Extracted[] = [];
  const na = NA_ADDRESS.exec(flat);
  if (na) {
    const [, line1, unit, city, region, postcode] = na;
    const country = /^[A-Z]\d/i.test(postcode!) || NA_REGIONS_CA.has(region!.toUpperCase()) ? 'CA' : 'US';
    found.push({ value: [line1, unit, city!.trim(), `${region!.toUpperCase()} ${postcode!.toUpperCase()}`, country].filter(Boolean).join(', '), source: na[0], index: na.index });
  }
  const uk = UK_ADDRESS.exec(flat);
  if (uk) {
    const [, flatNo, line1, city, postcode] = uk;
    found.push({ value: [flatNo, line1, city!.trim(), postcode!.toUpperCase(), 'GB'].filter(Boolean).join(', '), source: uk[0], index: uk.index });
  }
  const eu = EU_ADDRESS.exec(flat);
  if (eu) {
    const [, line1, postcode, city] = eu;
    const german = /stra(ß|ss)e|str\.|weg|platz|allee|gasse|packstation/i.test(line1!);
    found.push({ value: [line1!.trim().replace(/,$/, ''), `${postcode} ${city!.trim()}`, german ? 'DE' : 'FR'].join(', '), source: eu[0], index: eu.index });
  }
  // Offsets are into the flattened text: the same length where the ticket had no line breaks, close enough otherwise.
  return found.sort((a, b) => a.index - b.index)[0];
}

/** The first calendar date written out in full (ISO, "14 May 2027", "May 14, 2027"), as YYYY-MM-DD. */
function date(text: string): Extracted | undefined {
  let best: Extracted | undefined;
  for (const { re, read } of DATES) {
    for (const m of all(re, text)) {
      const parts = read(m);
      if (!parts) continue;
      const [y, mo, d] = parts;
      const dt = new Date(Date.UTC(y, mo - 1, d));
      if (mo < 1 || mo > 12 || dt.getUTCDate() !== d) continue; // 31 February is no date
      if (!best || m.index < best.index) best = { value: dt.toISOString().slice(0, 10), source: m[0], index: m.index };
    }
  }
  return best;
}

function monthOf(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

/** A phone number: 7 to 15 digits in groups, optionally with a +country code; order ids and dates are not phones. */
function phone(text: string): Extracted | undefined {
  for (const m of all(PHONE, text)) {
    const digits = m[0].replace(/\D/g, '');
    if (digits.length < 7 || digits.length > 15) continue;
    if (/^\d{4}-\d{2}-\d{2}$/.test(m[0])) continue;
    return { value: (m[0].trim().startsWith('+') ? '+' : '') + digits, source: m[0].trim(), index: m.index };
  }
  return undefined;
}
