// Payment card numbers in free text, for redaction (exports, LLM prompts): 13 to 19 digits, spaced or dashed, that pass
// the Luhn checksum every issued card number passes. Without the checksum any long run of digits would go — a parcel's
// tracking number, an invoice or IBAN fragment — and a lead analysing an export would lose it for nothing.

const CANDIDATE = /\b(?:\d[ -]?){13,19}\b/g;

/** Does this run of digits pass the Luhn checksum? */
export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

export function isCardNumber(text: string): boolean {
  const digits = text.replace(/\D/g, '');
  return digits.length >= 13 && digits.length <= 19 && luhn(digits);
}

/** The text with each card number replaced by what `replace` gives for it; other digit runs stay as they are. */
export function replaceCardNumbers(text: string, replace: (match: string) => string): string {
  return text.replace(CANDIDATE, (m) => {
    // The pattern may take a trailing space or dash; keep it outside the replacement.
    const core = m.replace(/[ -]+$/, '');
    return isCardNumber(core) ? replace(core) + m.slice(core.length) : m;
  });
}
