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

/** Tandem escalated the run only because a required field is not in the ticket: the associate can supply it. */
export function needsField(run: Pick<Run, 'state' | 'escalation'>): boolean {
  return run.state === 'escalated' && /^Tandem could not find .+ in the ticket/.test(run.escalation ?? '');
}

/**
 * The run's state in the associate's words: "Waiting for a lead" while the current step is with a lead, "Needs a
 * field" (not a red "Escalated") when only a field is missing, which the associate fixes themselves.
 */
export function runStateLabel(run: Run): { label: string; tone: string } {
  if (needsField(run)) return { label: 'Needs a field', tone: 'needs-field' };
  const step = currentStep(run);
  if (run.state === 'waiting' && step?.state === 'awaiting_approval') return { label: 'Waiting for a lead', tone: 'waiting-lead' };
  return { label: RUN_STATE_LABEL[run.state], tone: run.state };
}

/**
 * A lead rejected this step and handed it back: the associate is asked to change, skip or escalate it, so accepting
 * it unchanged is no longer the main action (it would only go back to the lead).
 */
export function rejectedByLead(step: RunStep, runId: string, decisions: readonly Decision[]): boolean {
  if (step.state !== 'awaiting_verdict' || step.block === 'manual') return false;
  // The record says it, not the note's wording: the lead's latest answer on this step (decisions are newest first).
  return decisions.find((d) => d.kind === 'approval' && d.runId === runId && d.stepId === step.stepId)?.verdict === 'rejected';
}

/**
 * Can the associate act on this step (buttons and keys)? Not while the run is escalated to a lead, except to retry or
 * settle a step that failed or may have happened; never once the run is over. The core refuses the same (runs.decide).
 */
export function actionable(step: RunStep | null, runState: Run['state']): boolean {
  if (step === null || runState === 'done' || runState === 'cancelled' || runState === 'failed') return false;
  const settles = step.state === 'uncertain' || (step.state === 'failed' && step.error?.code !== 'policy_blocked');
  return settles || ((step.state === 'awaiting_verdict' || waitsForLead(step)) && runState !== 'escalated');
}

/**
 * A step a rule sent to a lead: the associate may still edit it (an amount that needs no approval), skip it, do it by
 * hand or escalate, but not accept it as it stands (the core refuses that too). An `approval` block is the lead's alone.
 */
export function waitsForLead(step: RunStep): boolean {
  return step.state === 'awaiting_approval' && step.block !== 'approval';
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

/** How long a step took or has been running, as a person reads it: "57 ms", "13.0 s", "2 min 5 s". */
export function duration(ms: number): string {
  const t = Math.max(0, Math.round(ms));
  if (t < 1000) return `${t} ms`;
  if (t < 60_000) return `${(t / 1000).toFixed(1)} s`;
  const s = Math.round(t / 1000);
  return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
}

const VERDICT_WORDS: Record<string, string> = {
  accepted: 'Accepted',
  edited: 'Edited',
  skipped: 'Skipped',
  manual: 'Done by hand',
  escalated: 'Escalated',
  auto: 'Run automatically',
  approved: 'Approved',
  rejected: 'Rejected',
  returned: 'Handed back',
};

/** Who decided a step, in words: "Accepted by ann", "Run automatically by Tandem" (not "auto by tandem (auto)"). */
export function decidedBy(d: Pick<Decision, 'verdict' | 'actor' | 'kind'>): string {
  const who = d.actor === 'tandem (auto)' ? 'Tandem' : d.actor === 'tandem (shadow)' ? 'Tandem (shadow)' : d.actor;
  const what = d.kind === 'escalation' && d.verdict !== 'escalated' && d.verdict !== 'returned' ? `${VERDICT_WORDS[d.verdict] ?? d.verdict} after the escalation` : (VERDICT_WORDS[d.verdict] ?? d.verdict);
  return `${what} by ${who}`;
}

/**
 * A step's state in words. A check that did not hold is finished ("done" to the runner) but did not pass: the runner
 * notes where it went (escalated, finished, skipped ahead) only then, so a checked condition with a note did not hold.
 */
export function stepStateLabel(step: Pick<RunStep, 'state' | 'block' | 'note'>): string {
  if (step.block === 'condition' && step.state === 'done' && step.note) return 'Did not hold';
  return STEP_STATE_LABEL[step.state];
}
