import { describe, expect, it } from 'vitest';
import type { Decision, Run, RunStep } from '../../../src/contract/index.ts';
import { actionable, currentStep, needsField, rejectedByLead, revertible, revertOf, runStateLabel } from './selectors.ts';

const step = (stepId: string, state: RunStep['state'], error: RunStep['error'] = null): RunStep => ({
  idx: 0, stepId, title: stepId, block: 'http', mode: 'suggest', state, sideEffect: true, suggested: null, inputs: null, outputs: null, error, note: null, attempts: 0, simulated: false, startedAt: null, finishedAt: null,
});
const run = (steps: RunStep[]): Run => ({
  id: 'r', ticketId: 't', mapId: 'm', mapVersion: 1, state: 'waiting', dryRun: false, fields: {}, confidence: 1, threshold: 0.5, escalation: null, createdBy: 'ann', createdAt: 0, updatedAt: 0, steps,
});

describe('run selectors', () => {
  it('finds the step that needs someone', () => {
    expect(currentStep(run([step('a', 'done'), step('b', 'awaiting_verdict'), step('c', 'pending')]))?.stepId).toBe('b');
    expect(currentStep(run([step('a', 'done'), step('b', 'skipped')]))).toBeNull();
    expect(currentStep(null)).toBeNull();
  });

  it('never offers keyboard actions on a step blocked by policy or waiting for a lead', () => {
    expect(actionable(step('a', 'awaiting_verdict'), 'waiting')).toBe(true);
    expect(actionable(step('a', 'uncertain'), 'waiting')).toBe(true);
    expect(actionable(step('a', 'failed', { code: 'connector_unavailable', message: 'x' }), 'escalated')).toBe(true);
    expect(actionable(step('a', 'failed', { code: 'policy_blocked', message: 'x' }), 'escalated')).toBe(false);
    // A step a rule sent to a lead can still be revised, skipped or escalated by the associate; an approval block cannot.
    expect(actionable(step('a', 'awaiting_approval'), 'waiting')).toBe(true);
    expect(actionable({ ...step('a', 'awaiting_approval'), block: 'approval' }, 'waiting')).toBe(false);
    expect(actionable(null, 'waiting')).toBe(false);
  });

  it('offers nothing on a step the associate escalated until a lead hands the run back, nor on a finished run', () => {
    expect(actionable(step('a', 'awaiting_verdict'), 'escalated')).toBe(false);
    expect(actionable(step('a', 'uncertain'), 'cancelled')).toBe(false);
    expect(actionable(step('a', 'awaiting_verdict'), 'done')).toBe(false);
  });

  it('offers "Mark as reverted" only on a finished step Tandem ran alone, and only until it is reverted', () => {
    const decision = (kind: Decision['kind'], verdict: Decision['verdict'], stepId = 'a', runId = 'r'): Decision => ({
      id: `${kind}-${stepId}`, ticketId: 't', kind, triageId: null, runId, stepId, mapId: 'm', mapVersion: 1, actor: kind === 'step' && verdict === 'auto' ? 'tandem (auto)' : 'ann', decidedAt: 1, suggested: '{}', final: '{}', verdict, confidence: 1, reason: null, decisionMs: null,
    });
    const r = run([step('a', 'done')]);
    const auto = decision('step', 'auto');
    expect(revertible(r, r.steps[0]!, [auto])).toBe(true);
    expect(revertible(r, r.steps[0]!, [decision('step', 'accepted')])).toBe(false); // a person decided it
    expect(revertible(r, r.steps[0]!, [])).toBe(false); // a lookup: no verdict
    expect(revertible(r, r.steps[0]!, [decision('step', 'auto', 'a', 'other-run')])).toBe(false);
    expect(revertible(run([step('a', 'failed')]), step('a', 'failed'), [auto])).toBe(false);
    expect(revertible({ ...r, dryRun: true }, r.steps[0]!, [auto])).toBe(false);
    const reverted = decision('revert', 'reverted');
    expect(revertible(r, r.steps[0]!, [reverted, auto])).toBe(false);
    expect(revertOf([reverted, auto], 'r', 'a')).toBe(reverted);
    expect(revertOf([auto], 'r', 'a')).toBeUndefined();
  });
});

describe('run wording', () => {
  it('says how long a step took in the units a person reads', async () => {
    const { duration } = await import('./selectors.ts');
    expect(duration(57)).toBe('57 ms');
    expect(duration(13018)).toBe('13.0 s');
    expect(duration(125_400)).toBe('2 min 5 s');
    expect(duration(120_000)).toBe('2 min');
    expect(duration(-3)).toBe('0 ms');
  });

  it('names who decided in words, Tandem included', async () => {
    const { decidedBy } = await import('./selectors.ts');
    expect(decidedBy({ verdict: 'auto', actor: 'tandem (auto)', kind: 'step' })).toBe('Run automatically by Tandem');
    expect(decidedBy({ verdict: 'manual', actor: 'ann', kind: 'step' })).toBe('Done by hand by ann');
    expect(decidedBy({ verdict: 'accepted', actor: 'ann', kind: 'escalation' })).toBe('Accepted after the escalation by ann');
    expect(decidedBy({ verdict: 'approved', actor: 'lead', kind: 'approval' })).toBe('Approved by lead');
  });

  it('words the run state as the associate meets it', () => {
    expect(runStateLabel(run([step('a', 'awaiting_verdict')]))).toEqual({ label: 'Waiting for you', tone: 'waiting' });
    expect(runStateLabel(run([step('a', 'done'), step('b', 'awaiting_approval')]))).toEqual({ label: 'Waiting for a lead', tone: 'waiting-lead' });
    const missing = { ...run([step('a', 'pending')]), state: 'escalated' as const, escalation: 'Tandem could not find order_id in the ticket; a person must supply it.' };
    expect(needsField(missing)).toBe(true);
    expect(runStateLabel(missing)).toEqual({ label: 'Needs a field', tone: 'needs-field' });
    const asked = { ...missing, escalation: 'ann: Customer wants a pickup; refund now or after?' };
    expect(needsField(asked)).toBe(false);
    expect(runStateLabel(asked)).toEqual({ label: 'Escalated', tone: 'escalated' });
  });

  it('knows a step a lead rejected and handed back, from the record rather than the note', () => {
    const answer = (verdict: Decision['verdict'], stepId = 'refund'): Decision => ({
      id: `${verdict}-${stepId}`, ticketId: 't', kind: 'approval', triageId: null, runId: 'r', stepId, mapId: 'm', mapVersion: 1, actor: 'lee', decidedAt: 1, suggested: '{}', final: '{}', verdict, confidence: 1, reason: null, decisionMs: null,
    });
    const back = { ...step('refund', 'awaiting_verdict'), note: 'lee rejected it: too much — change it (E), skip it (S) or escalate (X)' };
    expect(rejectedByLead(back, 'r', [answer('rejected')])).toBe(true);
    expect(rejectedByLead({ ...back, note: 'worded any other way' }, 'r', [answer('rejected'), answer('approved')])).toBe(true); // newest first
    expect(rejectedByLead({ ...back, note: null }, 'r', [])).toBe(false);
    expect(rejectedByLead({ ...back, state: 'awaiting_approval' }, 'r', [answer('rejected')])).toBe(false);
    expect(rejectedByLead(back, 'r', [answer('approved'), answer('rejected')])).toBe(false); // approved after a rejection
    expect(rejectedByLead(back, 'r', [answer('rejected', 'note')])).toBe(false); // another step's answer
  });
});

describe('step state words', () => {
  it('says a check that did not hold did not hold, instead of "Done"', async () => {
    const { stepStateLabel } = await import('./selectors.ts');
    expect(stepStateLabel({ state: 'done', block: 'condition', note: 'Order 106746 is not one of the orders of mary@example.com' })).toBe('Did not hold');
    expect(stepStateLabel({ state: 'done', block: 'condition', note: null })).toBe('Done');
    expect(stepStateLabel({ state: 'done', block: 'http', note: 'resumed after a restart' })).toBe('Done');
  });
});
