import { describe, expect, it } from 'vitest';
import type { Run, RunStep } from '../../../src/contract/index.ts';
import { actionable, currentStep } from './selectors.ts';

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
    expect(actionable(step('a', 'awaiting_verdict'))).toBe(true);
    expect(actionable(step('a', 'uncertain'))).toBe(true);
    expect(actionable(step('a', 'failed', { code: 'connector_unavailable', message: 'x' }))).toBe(true);
    expect(actionable(step('a', 'failed', { code: 'policy_blocked', message: 'x' }))).toBe(false);
    expect(actionable(step('a', 'awaiting_approval'))).toBe(false);
  });
});
