// Derived facts about a run for the step cards: which step is current, and what each state means to the associate.
import type { Decision, Run, RunStep } from '../../../src/contract/index.ts';

export function currentStep(run: Run | null): RunStep | null {
  if (!run) return null;
  return run.steps.find((s) => s.state === 'awaiting_verdict' || s.state === 'uncertain' || s.state === 'failed' || s.state === 'awaiting_approval') ?? null;
}

export const STEP_STATE_LABEL: Record<RunStep['state'], string> = {
  pending: 'Not yet',
  awaiting_verdict: 'Your call',
  awaiting_approval: 'Waiting for a lead',
  running: 'Running…',
  uncertain: 'Did it happen?',
  done: 'Done',
  skipped: 'Skipped',
  failed: 'Failed',
};

export const RUN_STATE_LABEL: Record<Run['state'], string> = {
  running: 'Running',
  waiting: 'Waiting for you',
  escalated: 'Escalated',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/**
 * Can the associate act on this step (buttons and keys)? Not while the run is escalated to a lead, except to retry or
 * settle a step that failed or may have happened; never once the run is over. The core refuses the same (runs.decide).
 */
export function actionable(step: RunStep | null, runState: Run['state']): boolean {
  if (step === null || runState === 'done' || runState === 'cancelled' || runState === 'failed') return false;
  const settles = step.state === 'uncertain' || (step.state === 'failed' && step.error?.code !== 'policy_blocked');
  return settles || (step.state === 'awaiting_verdict' && runState !== 'escalated');
}

/** The person's revert of a step Tandem ran automatically in this run, if there is one. */
export function revertOf(decisions: readonly Decision[], runId: string, stepId: string): Decision | undefined {
  return decisions.find((d) => d.kind === 'revert' && d.runId === runId && d.stepId === stepId);
}

/**
 * May this step be marked as reverted? Only a step Tandem ran on its own (its verdict is `auto`) that finished, and only
 * once. The core checks the same (runs.revert); this only decides whether to offer it.
 */
export function revertible(run: Run, step: RunStep, decisions: readonly Decision[]): boolean {
  if (run.dryRun || step.state !== 'done') return false;
  const ranAlone = decisions.some((d) => d.kind === 'step' && d.verdict === 'auto' && d.runId === run.id && d.stepId === step.stepId);
  return ranAlone && !revertOf(decisions, run.id, step.stepId);
}
