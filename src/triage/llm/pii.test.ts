import { describe, expect, it } from 'vitest';
import { redactPii, restorePii } from './pii.ts';

describe('reversible PII redaction', () => {
  it('replaces emails, card numbers, phones, addresses and known names with numbered placeholders, and restores them', () => {
    const text = 'Jane Roe here (jane@example.com). Card 4111 1111 1111 1111, call +44 20 7946 0958. Ship to 12 Oak Street, Springfield, IL 62704. Thanks, Jane';
    const r = redactPii(text, { names: ['Jane Roe'] });
    for (const s of ['jane@example.com', '4111', '7946', 'Oak Street', 'Jane', 'Roe']) expect(r.text).not.toContain(s);
    expect(r.text).toMatch(/\[EMAIL_1\].*\[CARD_1\].*\[PHONE_1\].*\[ADDRESS_1\]/);
    expect(restorePii(r.text, r.originals)).toBe(text);
  });

  it('leaves order numbers, amounts and numbers that fail the card checksum alone', () => {
    const r = redactPii('Refund $45.00 for order 104233, ref 1234 5678 9012 3456');
    expect(r.text).toBe('Refund $45.00 for order 104233, ref 1234 5678 9012 3456');
  });

  it('gives a value the same placeholder across texts of one request, and keeps invented placeholders as they are', () => {
    const assigned = new Map<string, string>();
    const a = redactPii('from a@x.org', { assigned });
    const b = redactPii('cc a@x.org and b@x.org', { assigned });
    expect(a.text).toBe('from [EMAIL_1]');
    expect(b.text).toBe('cc [EMAIL_1] and [EMAIL_2]');
    expect(restorePii('[EMAIL_2] [EMAIL_9]', b.originals)).toBe('b@x.org [EMAIL_9]');
  });
});

describe('phone numbers in text sent to an LLM (the detector the export shares)', () => {
  it('keeps named ids and redacts the phone numbers beside them', () => {
    const text = 'Order #1130768504, tracking number 1130768505: please call (415) 555-0100 or +44 7700 900123.';
    const r = redactPii(text);
    expect(r.text).toBe('Order #1130768504, tracking number 1130768505: please call [PHONE_1] or [PHONE_2].');
    expect(restorePii(r.text, r.originals)).toBe(text);
  });
});
