// Records an associate's verdict on a triage: checked against the current reading, written with the ticket's new state in one transaction.
import type { DecideTriageInput } from '../contract/index.ts';
import { TandemError } from '../domain/errors.ts';
import type { Decision } from '../domain/triage.ts';
import type { Db } from '../store/db.ts';
import type { DecisionsRepo } from '../store/decisions-repo.ts';
import type { TicketsRepo } from '../store/tickets-repo.ts';
import type { TriageRepo } from '../store/triage-repo.ts';

export interface VerdictDeps {
  db: Db;
  tickets: TicketsRepo;
  triage: TriageRepo;
  decisions: DecisionsRepo;
  knownIntents: () => ReadonlySet<string>;
}

export function decideTriage(deps: VerdictDeps, input: DecideTriageInput, actor: string, now: number): { decision: Decision; created: boolean } {
  // A retried call (double click, lost reply) returns the row it already wrote.
  const existing = deps.decisions.get(input.decisionId);
  if (existing) {
    if (existing.ticketId !== input.ticketId || existing.triageId !== input.triageId) {
      throw new TandemError('bad_input', `Decision ${input.decisionId} was already used for another ticket.`, { hint: 'Send a new decision id for a new decision.' });
    }
    return { decision: existing, created: false };
  }
  const ticket = deps.tickets.get(input.ticketId);
  if (!ticket) throw new TandemError('not_found', `Ticket ${input.ticketId} is not in this workspace.`, { hint: 'Reload the inbox.' });
  const triage = deps.triage.get(input.triageId);
  if (!triage || triage.ticketId !== ticket.id) {
    throw new TandemError('not_found', `Triage ${input.triageId} does not belong to ticket ${ticket.id}.`, { hint: 'Reload the ticket to see its current triage.' });
  }
  const prior = deps.decisions.forTriage(triage.id);
  if (prior) {
    throw new TandemError('already_decided', `This triage was already ${prior.verdict} by ${prior.actor} at ${new Date(prior.decidedAt).toISOString()}.`, {
      hint: 'Reload the ticket to see the recorded decision.',
    });
  }
  if (input.verdict === 'accepted' && input.finalIntent !== triage.intent) {
    throw new TandemError('bad_input', `Accepting keeps the suggested intent "${triage.intent}"; to choose "${input.finalIntent}", override instead.`);
  }
  if (input.verdict === 'overridden') {
    if (input.finalIntent === triage.intent) throw new TandemError('bad_input', `Overriding needs an intent other than the suggested "${triage.intent}".`);
    if (!deps.knownIntents().has(input.finalIntent)) {
      throw new TandemError('bad_input', `"${input.finalIntent}" is not an intent of this workspace.`, { hint: 'Pick one of the intents listed, or add a map for it.' });
    }
  }
  const decision: Decision = {
    id: input.decisionId,
    ticketId: ticket.id,
    kind: 'triage',
    triageId: triage.id,
    runId: null,
    stepId: null,
    mapId: null,
    mapVersion: null,
    actor,
    decidedAt: now,
    suggested: triage.intent,
    final: input.finalIntent,
    verdict: input.verdict,
    confidence: triage.confidence,
    reason: input.reason?.trim() ? input.reason.trim() : null,
    decisionMs: input.decisionMs ?? null,
  };
  deps.db.transaction(() => {
    deps.decisions.insert(decision);
    deps.tickets.setState(ticket.id, 'in_progress');
  })();
  return { decision, created: true };
}
