import { describe, expect, it } from 'vitest';
import { redactText } from './redact.ts';

describe('redactText', () => {
  it('replaces names it knows, emails, phone and card numbers, and leaves order ids and amounts', () => {
    const text = '{"note":"Refunded 42.00 USD on order 102499 for Lea Lehmann (lea.lehmann@mail.example.net, +49 711 555 0199), card 4242 4242 4242 4242"}';
    expect(redactText(text, ['Lea Lehmann', 'lea.lehmann@mail.example.net'])).toBe('{"note":"Refunded 42.00 USD on order 102499 for [name] ([name], [phone]), card [card]"}');
    expect(redactText('mail me at a.b@example.org')).toBe('mail me at [email]');
  });

  it('keeps tracking, order and invoice numbers written as bare digits (a tracking number is not a phone number)', () => {
    expect(redactText('Sent, tracking number 1130768504')).toBe('Sent, tracking number 1130768504');
    expect(redactText('{"tracking":"1130768504","order":"1130768505"}')).toBe('{"tracking":"1130768504","order":"1130768505"}');
    expect(redactText('Invoice #1130768504 paid on 2026-11-25 11:22:50')).toBe('Invoice #1130768504 paid on 2026-11-25 11:22:50');
  });

  it('still redacts phone numbers, next to ids too', () => {
    expect(redactText('tracking 1130768504; call +1 415 555 0100 or (415) 555-0100, UK 07700 900123, +44 20 7946 0958')).toBe('tracking 1130768504; call [phone] or [phone], UK [phone], [phone]');
  });
});
