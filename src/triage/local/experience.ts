// Experience for the local model: every ticket whose triage a person accepted or corrected, with the final intent.
import type { Example } from '../local-classifier.ts';
import type { LabelledCase } from '../../workspace/labelled.ts';
import { ticketText } from '../local-triage.ts';

/** The columns of a decision row this needs (the store's DecisionRow has them all). */
export interface TriageDecisionRow {
  kind: string;
  ticket_id: string | null;
  final: string;
  verdict: string;
}

/**
 * One example per decided ticket, from its latest triage verdict (a later correction replaces an earlier one).
 * Rows come in record order; a ticket whose text is gone (`textOf` gives undefined) teaches nothing.
 */
export function experienceFromDecisions(rows: Iterable<TriageDecisionRow>, textOf: (ticketId: string) => string | undefined): Example[] {
  const latest = new Map<string, string>();
  for (const r of rows) {
    if (r.kind !== 'triage' || r.ticket_id === null) continue;
    if (r.verdict !== 'accepted' && r.verdict !== 'overridden') continue;
    latest.delete(r.ticket_id); // re-inserted last, so examples keep the order of their latest decision
    latest.set(r.ticket_id, r.final);
  }
  const out: Example[] = [];
  for (const [ticketId, intent] of latest) {
    const text = textOf(ticketId);
    if (text !== undefined && text.trim() !== '') out.push({ intent, text });
  }
  return out;
}

/** Labelled tickets (a workspace's `triage.learn_from`, an eval split) as examples of their primary intent. */
export function labelledExamples(cases: readonly LabelledCase[]): Example[] {
  return cases.map((c) => ({ intent: c.intents[0]!, text: ticketText(c) }));
}
