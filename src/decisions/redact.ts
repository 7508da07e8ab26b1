// Replaces personal data in free text with placeholders: known names, emails, phone numbers and card numbers.
const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
const CARD = /\b(?:\d[ -]?){13,19}\b/g;
const PHONE = /\+?\d[\d ()./-]{7,}\d/g;

export function redactText(text: string, knownNames: readonly string[] = []): string {
  let out = text;
  for (const name of knownNames) out = out.split(name).join('[name]');
  return out.replace(EMAIL, '[email]').replace(CARD, (m) => (m.replace(/\D/g, '').length >= 13 ? '[card]' : m)).replace(PHONE, (m) => (m.replace(/\D/g, '').length >= 9 ? '[phone]' : m));
}
