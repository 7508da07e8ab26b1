// Replaces personal data in free text with placeholders: known names, emails, phone numbers and card numbers.
import { replaceCardNumbers } from '../domain/card-numbers.ts';
import { replacePhoneNumbers } from '../domain/phone-numbers.ts';

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;

/** Phone and card numbers are the ones domain/ finds (shared with the LLM path): ids, dates and tracking numbers are kept. */
export function redactText(text: string, knownNames: readonly string[] = []): string {
  let out = text;
  for (const name of knownNames) out = out.split(name).join('[name]');
  out = replaceCardNumbers(out.replace(EMAIL, '[email]'), () => '[card]');
  return replacePhoneNumbers(out, () => '[phone]');
}
