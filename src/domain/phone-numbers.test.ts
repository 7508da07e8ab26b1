import { describe, expect, it } from 'vitest';
import { replacePhoneNumbers } from './phone-numbers.ts';

const mark = (text: string) => replacePhoneNumbers(text, (p) => `<${p}>`);

describe('replacePhoneNumbers', () => {
  it('finds phone numbers as people write them', () => {
    for (const phone of ['+1 415 555 0100', '(415) 555-0100', '07700 900123', '+44 20 7946 0958', '+44 7700 900123', '+49 711 555 0199', '415.555.0100', '4155550100', '+14155550100', '020 7946 0958']) {
      expect(mark(`call me on ${phone}, thanks`)).toBe(`call me on <${phone}>, thanks`);
    }
    expect(mark('{"phone":"4155550100"}')).toBe('{"phone":"<4155550100>"}');
    expect(mark('tel:+14155550100')).toBe('tel:<+14155550100>');
  });

  it('keeps ids written as bare digits after a word that names them', () => {
    for (const text of [
      'tracking number 1130768504',
      'Tracking #: 1130768504',
      'order 1130768504 / 2',
      'Order #1130768504',
      '#1130768504',
      'invoice no. 1130768504',
      'ref: 113076850412',
      '{"tracking":"1130768504"}',
      '{"trackingNumber": "1130768504"}',
      '{"order_id":"1130768504","amount":4500}',
      'shipment-1130768504 left the depot',
    ]) {
      expect(mark(text)).toBe(text);
    }
  });

  it('keeps digits inside codes, long references and ISO dates', () => {
    for (const text of ['UPS 1Z999AA10123456784', 'INV1130768504', 'ref 1234567890123456789012', 'decided 2026-11-25 11:22:50', 'at 2026-11-25T11:22:50.349Z', 'amount 4500, order 102499']) {
      expect(mark(text)).toBe(text);
    }
  });

  it('still finds a phone number written with formatting after an id word, or beside an id', () => {
    expect(mark('order: 07700 900123')).toBe('order: <07700 900123>');
    expect(mark('order 1130768504, call +44 20 7946 0958')).toBe('order 1130768504, call <+44 20 7946 0958>');
    expect(mark('on 2026-11-25 call 4155550100')).toBe('on 2026-11-25 call <4155550100>');
    // A bare number with no word naming it is taken for a phone: redacting an id by mistake leaks nothing.
    expect(mark('1130768504')).toBe('<1130768504>');
  });
});
