import { describe, expect, it } from 'vitest';
import { addStep, branchTargets, issuesAt, laterSteps, moveStep, updateStep } from './selectors.ts';

const draft = { id: 'm', steps: [{ id: 'a', block: 'set' }, { id: 'b', block: 'condition', if: 'x', else: { skip_to: 'd' } }, { id: 'c', block: 'reply' }, { id: 'd', block: 'manual' }] };

describe('builder selectors', () => {
  it('moves a step and keeps the others in order', () => {
    expect(moveStep(draft, 3, 0).steps!.map((s) => s.id)).toEqual(['d', 'a', 'b', 'c']);
    expect(moveStep(draft, 0, 9)).toBe(draft);
  });

  it('adds a step from the palette with a free id, and drops emptied inputs', () => {
    const { draft: d, index } = addStep(draft, { block: 'reply', body: 'Hi' }, 1);
    expect(index).toBe(1);
    expect(d.steps![1]).toEqual({ id: 'reply', block: 'reply', body: 'Hi' });
    expect(addStep(d, { block: 'reply' }).draft.steps!.at(-1)!.id).toBe('reply_2');
    expect(updateStep(d, 1, { title: 'Tell them', body: '' }).steps![1]).toEqual({ id: 'reply', block: 'reply', title: 'Tell them' });
  });

  it('finds issues by place, later steps and branch targets', () => {
    const issues = [{ path: 'steps[1].if', at: ['steps', 1, 'if'], message: 'bad' }, { path: 'intent', at: ['intent'], message: 'x' }];
    expect(issuesAt(issues, 'steps', 1)).toHaveLength(1);
    expect(issuesAt(issues, 'steps', 2)).toHaveLength(0);
    expect(laterSteps(draft, 1)).toEqual(['c', 'd']);
    expect(branchTargets(draft)).toEqual({ d: ['b'] });
  });
});
