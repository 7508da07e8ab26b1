// Derived views of Insights' steps table: what each step's row says and offers the lead.
import type { Stats } from '../../../src/contract/index.ts';

export type StepRow = Stats['steps'][number];

/** Promote is offered only for a step the record recommends that does not run automatically already. */
export function promotable(step: StepRow): boolean {
  return step.graduation.recommended && step.mode !== 'auto';
}

/** The step's evidence, once, saying what it rests on: the associates' verdicts or shadow samples. */
export function evidenceLine(step: StepRow): string {
  return `${step.graduation.source === 'shadow' ? 'From shadow samples' : 'From verdicts'}: ${step.graduation.why}`;
}
