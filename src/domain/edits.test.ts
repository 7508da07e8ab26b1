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
});
