// Replaces personal data in free text with placeholders: known names, emails, phone numbers and card numbers.
import { replacePhoneNumbers } from '../domain/phone-numbers.ts';

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
const CARD = /\b(?:\d[ -]?){13,19}\b/g;

/** Phone numbers are the ones domain/phone-numbers.ts finds (shared with the LLM path): ids and dates are kept. */
export function redactText(text: string, knownNames: readonly string[] = []): string {
  let out = text;
  for (const name of knownNames) out = out.split(name).join('[name]');
  out = out.replace(EMAIL, '[email]').replace(CARD, (m) => (m.replace(/\D/g, '').length >= 13 ? '[card]' : m));
  return replacePhoneNumbers(out, () => '[phone]');
}
