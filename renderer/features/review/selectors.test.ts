import { describe, expect, it } from 'vitest';
import { comparesValues, pathLabel, prettyJson, readable, sideTitles } from './selectors.ts';

describe('review selectors', () => {
  it('titles the two sides by what happened', () => {
    expect(sideTitles({ kind: 'step', verdict: 'edited', actor: 'ann' })).toEqual({ suggested: 'Tandem suggested', final: 'The associate sent' });
    expect(sideTitles({ kind: 'step', verdict: 'manual', actor: 'ann' }).final).toBe('Done by hand with');
    expect(sideTitles({ kind: 'step', verdict: 'skipped', actor: 'ann' }).final).toBe('The associate did instead');
    expect(sideTitles({ kind: 'escalation', verdict: 'escalated', actor: 'tandem (auto)' }).final).toBe('What happened');
    expect(sideTitles({ kind: 'revert', verdict: 'reverted', actor: 'ann' })).toEqual({ suggested: 'Tandem sent on its own', final: 'What stands' });
  });

  it('compares values for edits and for work done by hand with values, not for skips, escalations or triage', () => {
    const d = { path: 'body', suggested: 'a', final: 'b' };
    expect(comparesValues({ kind: 'step', verdict: 'edited', final: '{"body":"b"}', differences: [d] })).toBe(true);
    expect(comparesValues({ kind: 'step', verdict: 'edited', final: '{"body":"a"}', differences: [] })).toBe(true); // edited, nothing changed: said so
    expect(comparesValues({ kind: 'step', verdict: 'manual', final: 'null', differences: [] })).toBe(false);
    expect(comparesValues({ kind: 'step', verdict: 'skipped', final: 'null', differences: [] })).toBe(false);
    expect(comparesValues({ kind: 'triage', verdict: 'overridden', final: 'refund_request', differences: [] })).toBe(false);
  });

  it('reads a value as text: fields one a line, a body as itself, nested values indented', () => {
    expect(readable('{"body":"Hi Ann,\\n\\nDone.","public":true,"meta":{"a":1}}')).toBe('body: Hi Ann,\n\nDone.\npublic: true\nmeta: {\n  "a": 1\n}');
    expect(readable('"where_is_my_order"')).toBe('where_is_my_order');
    expect(readable('null')).toBe('(nothing)');
    expect(readable('refund_request')).toBe('refund_request'); // a triage intent is stored as plain text
  });

  it('writes the whole value out as indented JSON, and leaves text that is not JSON as it is', () => {
    expect(prettyJson('{"a":1,"b":"x"}')).toBe('{\n  "a": 1,\n  "b": "x"\n}');
    expect(prettyJson('refund_request')).toBe('refund_request');
    expect(pathLabel('(value)')).toBe('the whole value');
    expect(pathLabel('body.amount')).toBe('body.amount');
  });
});
