import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ReviewChanges } from './ReviewChanges.tsx';

const body = 'Hi Ann,\n\nOrder 106196 is with FedEx.\n\nBest regards';
const edit = {
  kind: 'step',
  verdict: 'edited',
  actor: 'ann',
  suggested: JSON.stringify({ public: true, body, status: 'solved' }),
  final: JSON.stringify({ public: true, body: `${body}\nSorry for the wait.`, status: 'pending' }),
  differences: [
    { path: 'body', suggested: body, final: `${body}\nSorry for the wait.` },
    { path: 'status', suggested: 'solved', final: 'pending' },
    { path: 'tags', suggested: '(none)', final: '' },
  ],
};

describe('ReviewChanges', () => {
  it('shows an edit as its changed values, one a row, each side whole, with the full JSON behind a disclosure', () => {
    const html = renderToStaticMarkup(<ReviewChanges item={edit} />);
    const rows = [...html.matchAll(/<tr><th scope="row"><code>([^<]*)<\/code><\/th><td>(.*?)<\/td><td>(.*?)<\/td><\/tr>/gs)].map((m) => m.slice(1));
    expect(rows).toEqual([
      ['body', `<div class="review-value">${body}</div>`, `<div class="review-value">${body}\nSorry for the wait.</div>`],
      ['status', '<div class="review-value">solved</div>', '<div class="review-value">pending</div>'],
      ['tags', '<span class="muted">(not set)</span>', '<span class="muted">(empty)</span>'],
    ]);
    expect(html).toContain('<th scope="col">3 changed values</th><th scope="col">Tandem suggested</th><th scope="col">The associate sent</th>');
    // public is the same on both sides: not a row, but still in the JSON.
    expect(html).not.toContain('<code>public</code>');
    expect(html).toMatch(/<details class="review-json"><summary>The whole suggestion and what was sent, as JSON<\/summary>.*&quot;public&quot;: true/s);
  });

  it('says so when an edit changed nothing', () => {
    const html = renderToStaticMarkup(<ReviewChanges item={{ ...edit, final: edit.suggested, differences: [] }} />);
    expect(html).toContain('Every value is as Tandem suggested.');
    expect(html).not.toContain('<table');
  });

  it('shows both sides as text where nothing was sent instead (a skip, a revert)', () => {
    const skipped = renderToStaticMarkup(<ReviewChanges item={{ ...edit, verdict: 'skipped', final: 'null', differences: [] }} />);
    expect(skipped).not.toContain('<table');
    expect(skipped).toContain('<h3>The associate did instead</h3><pre>(nothing)</pre>');
    const reverted = renderToStaticMarkup(<ReviewChanges item={{ ...edit, kind: 'revert', verdict: 'reverted', final: 'null', differences: [] }} />);
    expect(reverted).toContain('<h3>What stands</h3><pre>Nothing: ann undid it by hand in the system</pre>');
  });
});
