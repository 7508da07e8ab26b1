// Experience for the local model: every ticket whose triage a person accepted or corrected, with the final intent.
import type { Example, ExampleChanges } from '../local-classifier.ts';
import type { LabelledCase } from '../../workspace/labelled.ts';
import { ticketText } from '../local-triage.ts';
import { TandemError } from '../../domain/errors.ts';

/** The columns of a decision row this needs (the store's DecisionRow has them all). */
export interface TriageDecisionRow {
  kind: string;
  ticket_id: string | null;
  final: string;
  verdict: string;
}

/** A decision row with its place in the log. */
export interface VerdictRow extends TriageDecisionRow {
  seq: number;
}

/** What the local model has learned from the log: each decided ticket's intent, and the last decision read. */
export interface ExperienceState {
  /** The seq of the last decision read; the next read starts after it. */
  cursor: number;
  /** Decided ticket → the intent its example teaches (in the order of their latest decision). */
  intents: ReadonlyMap<string, string>;
}

export const NO_EXPERIENCE: ExperienceState = { cursor: 0, intents: new Map() };

/**
 * Reads decisions past the state's cursor (rows in record order, all after it): the new state and what changed for
 * the model — a ticket decided for the first time adds its example; a changed verdict on a ticket already learned
 * removes its example (by the ticket id as key) and adds the new one; the same intent again changes nothing.
 * The state passed in is left as it was, so a retrain that fails or is abandoned loses nothing.
 */
export function experienceAfter(state: ExperienceState, rows: Iterable<VerdictRow>, textOf: (ticketId: string) => string | undefined): { state: ExperienceState; changes: ExampleChanges } {
  let cursor = state.cursor;
  const latest = new Map<string, string>();
  for (const r of rows) {
    if (r.seq <= state.cursor) throw new TandemError('internal', `Decision ${r.seq} was read again: the local model has learned the log up to decision ${state.cursor}.`);
    cursor = Math.max(cursor, r.seq);
    if (r.kind !== 'triage' || r.ticket_id === null) continue;
    if (r.verdict !== 'accepted' && r.verdict !== 'overridden') continue;
    latest.delete(r.ticket_id); // re-inserted last, so examples keep the order of their latest decision
    latest.set(r.ticket_id, r.final);
  }
  const intents = new Map(state.intents);
  const added: Example[] = [];
  const removed: string[] = [];
  for (const [ticketId, intent] of latest) {
    const before = intents.get(ticketId);
    if (before === intent) continue;
    if (before !== undefined) {
      removed.push(ticketId);
      intents.delete(ticketId);
    }
    const text = textOf(ticketId);
    if (text === undefined || text.trim() === '') continue; // a ticket whose text is gone teaches nothing
    intents.set(ticketId, intent);
    added.push({ intent, text, key: ticketId });
  }
  return { state: { cursor, intents }, changes: { added, removed } };
}

/**
 * One example per decided ticket, from its latest triage verdict (a later correction replaces an earlier one).
 * Rows come in record order; a ticket whose text is gone (`textOf` gives undefined) teaches nothing.
 */
export function experienceFromDecisions(rows: Iterable<TriageDecisionRow>, textOf: (ticketId: string) => string | undefined): Example[] {
  let seq = 0;
  const numbered = (function* () {
    for (const r of rows) yield { ...r, seq: ++seq };
  })();
  return experienceAfter(NO_EXPERIENCE, numbered, textOf).changes.added.map(({ intent, text }) => ({ intent, text }));
}

/** Labelled tickets (a workspace's `triage.learn_from`, an eval split) as examples of their primary intent. */
export function labelledExamples(cases: readonly LabelledCase[]): Example[] {
  return cases.map((c) => ({ intent: c.intents[0]!, text: ticketText(c) }));
}
