// Finds phone numbers in free text for the two redactors: the export's (decisions/redact.ts) and the one that runs
// before text goes to an LLM (triage/llm/pii.ts). Both use this one detector so they agree on what a phone number is.
//
// A phone number here is 9 to 15 digits (E.164 allows at most 15), optionally after a + or inside ( ), written with
// spaces, dots, dashes, slashes or parentheses between them: +1 415 555 0100, (415) 555-0100, 07700 900123,
// +44 20 7946 0958, 4155550100.
// These are not phone numbers, and are left alone:
// * an id written as bare digits right after a word that names it: "tracking number 1130768504", "Order #1130768504",
//   {"invoice":"1130768504"}, "ref: 113076850412". A formatted number after such a word ("order: 07700 900123") is
//   still taken for a phone: ids are rarely written with spaces or a leading +, phone numbers often are;
// * digits inside a longer word or code (the UPS tracking number 1Z999AA10123456784, "INV1130768504");
// * ISO dates and times (2026-11-25 11:22:50).

/** Words that name the id that follows them (each may be followed by number, no., nr, id, code or ref). */
const ID_WORDS = 'tracking|track|trk|order|invoice|inv|shipment|parcel|package|consignment|waybill|awb|reference|ref|po|rma|sku|ticket|case|booking|confirmation|transaction|txn|receipt|id';
/** A named id: the word, then separators (`: `, ` #`, `":"`, ` no. `), then bare digits not followed by more digit groups. */
const NAMED_ID = `(?<![\\p{L}])(?:${ID_WORDS})(?:[\\s_-]*(?:number|num|nos?|nr|id|code|ref))?[\\s.:#="'-]*\\d+(?![\\d\\p{L}]|[ ()./-]\\d)|#\\s*\\d+(?![\\d\\p{L}]|[ ()./-]\\d)`;
/** An ISO date, optionally with its time of day. */
const ISO_DATE = `(?<!\\d)\\d{4}-\\d\\d-\\d\\d(?:[T ]\\d\\d:\\d\\d(?::\\d\\d(?:\\.\\d+)?)?(?:Z|[+-]\\d\\d:?\\d\\d)?)?`;
/** Something that may be a phone number: starts with +, ( or a digit, ends with a digit, not inside a word or number. */
const CANDIDATE = `(?<![\\p{L}\\p{N}_+])[+(]?\\d[\\d ()./-]{7,}\\d(?![\\p{L}\\p{N}_])`;
/** One pass over the text; named ids and dates are matched first so their digits are never read as a phone. */
const SCAN = new RegExp(`(${NAMED_ID})|(${ISO_DATE})|(${CANDIDATE})`, 'giu');

/** Every candidate matches this (CANDIDATE without its lookarounds, which cost more to run). */
const ROUGH = /\d[\d ()./-]{7,}\d/;

/** Whether a candidate has the digits of a phone number. */
function phoneDigits(candidate: string): boolean {
  let digits = 0;
  for (let i = 0; i < candidate.length; i++) {
    const c = candidate.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits++;
  }
  return digits >= 9 && digits <= 15;
}

/** `text` with each phone number in it replaced by what `replace` returns for it. */
export function replacePhoneNumbers(text: string, replace: (phone: string) => string): string {
  // Most text holds nothing that could be a phone: a plain regular expression says so faster than the full scan.
  if (!ROUGH.test(text)) return text;
  return text.replace(SCAN, (m: string, _id: string | undefined, _date: string | undefined, candidate: string | undefined) => (candidate !== undefined && phoneDigits(candidate) ? replace(candidate) : m));
}
