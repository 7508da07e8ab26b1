import { describe, expect, it } from 'vitest';
import { redactText } from './redact.ts';

describe('redactText', () => {
  it('replaces names it knows, emails, phone and card numbers, and leaves order ids and amounts', () => {
    const text = '{"note":"Refunded 42.00 USD on order 102499 for Lea Lehmann (lea.lehmann@mail.example.net, +49 711 555 0199), card 4242 4242 4242 4242"}';
    expect(redactText(text, ['Lea Lehmann', 'lea.lehmann@mail.example.net'])).toBe('{"note":"Refunded 42.00 USD on order 102499 for [name] ([name], [phone]), card [card]"}');
    expect(redactText('mail me at a.b@example.org')).toBe('mail me at [email]');
  });
});
