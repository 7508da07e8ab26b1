import { describe, expect, it } from 'vitest';
import { addEvent, type RecordedAction } from './recorder.ts';

describe('recorded page events', () => {
  it('merges typing into one field, keeps clicks in order and never keeps a password', () => {
    const actions: RecordedAction[] = [{ goto: '/customers' }];
    const skipped: string[] = [];
    for (const e of [
      { kind: 'fill', target: { label: 'Search by name or email' }, value: 'h' },
      { kind: 'fill', target: { label: 'Search by name or email' }, value: 'hannah' },
      { kind: 'click', target: { role: 'button', name: 'Search' } },
      { kind: 'password', target: { label: 'Password' }, value: 'hunter2' },
      { kind: 'password', target: { label: 'Password' } },
      { kind: 'select', target: { label: 'Tier' }, value: 'gold' },
      { kind: 'click', target: { role: 'link', name: ' ' } },
      { kind: 'bogus', target: { text: 'x' } },
      null,
    ]) addEvent(actions, skipped, e);
    expect(actions).toEqual([
      { goto: '/customers' },
      { fill: { target: { label: 'Search by name or email' }, value: 'hannah' } },
      { click: { role: 'button', name: 'Search' } },
      { select: { target: { label: 'Tier' }, value: 'gold' } },
      { click: { role: 'link' } },
    ]);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatch(/password field “Password”/);
    expect(JSON.stringify({ actions, skipped })).not.toContain('hunter2');
  });
});
