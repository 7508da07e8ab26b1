import { describe, expect, it } from 'vitest';
import { valueDifferences } from './edits.ts';

describe('valueDifferences', () => {
  it('names each value that differs, with both sides as text', () => {
    expect(valueDifferences({ body: { amount: 0, currency: 'usd' }, path: '/v1/refunds' }, { body: { amount: 4200, currency: 'usd' }, path: '/v1/refunds' })).toEqual([
      { path: 'body.amount', draft: '0', associate: '4200' },
    ]);
    expect(valueDifferences({ body: 'Hi Ann' }, { body: 'Hi Ann, done.', public: true })).toEqual([
      { path: 'body', draft: 'Hi Ann', associate: 'Hi Ann, done.' },
      { path: 'public', draft: '(none)', associate: 'true' },
    ]);
    expect(valueDifferences('a', null)).toEqual([{ path: '(value)', draft: 'a', associate: 'null' }]);
    expect(valueDifferences({ a: 'x'.repeat(200) }, { a: 1 })[0]!.draft).toHaveLength(160);
  });

  it('keeps each side whole and writes objects out over lines when asked (the review reads a reply body whole)', () => {
    const body = `Hi Ann,\n\n${'Your parcel is on its way. '.repeat(20)}`;
    expect(valueDifferences({ body }, { body: `${body}\nSorry for the wait.` }, { max: Infinity })).toEqual([{ path: 'body', draft: body, associate: `${body}\nSorry for the wait.` }]);
    expect(valueDifferences({ a: 1 }, { a: 1, meta: { tag: 'vip' } }, { indent: 2 })).toEqual([{ path: 'meta', draft: '(none)', associate: '{\n  "tag": "vip"\n}' }]);
  });
});
