import { describe, expect, it } from 'vitest';
import { isCardNumber, luhn, replaceCardNumbers } from './card-numbers.ts';

describe('card numbers', () => {
  it('knows a card number by its Luhn checksum, spaced, dashed or not', () => {
    expect(luhn('4242424242424242')).toBe(true);
    expect(isCardNumber('4242 4242 4242 4242')).toBe(true);
    expect(isCardNumber('5555-5555-5555-4444')).toBe(true);
    expect(isCardNumber('378282246310005')).toBe(true); // 15 digits (Amex)
    expect(isCardNumber('4242 4242 4242 4241')).toBe(false); // one digit off
    expect(isCardNumber('424242424242')).toBe(false); // too short to be a card
  });

  it('replaces card numbers and keeps other long digit runs and the text around them', () => {
    const text = 'card 4242 4242 4242 4242 was charged; tracking 1234 5678 9012 3456 and invoice 20261124000017 are not cards.';
    expect(replaceCardNumbers(text, () => '[card]')).toBe('card [card] was charged; tracking 1234 5678 9012 3456 and invoice 20261124000017 are not cards.');
    expect(replaceCardNumbers('4111111111111111, then', (m) => `<${m}>`)).toBe('<4111111111111111>, then');
  });
});
