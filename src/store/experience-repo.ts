// Reads the decision log as experience for triage: tickets a person decided (for few-shot examples) and escalations
// a lead resolved (for escalation memory). Read-only; the newest first, bounded so a long history stays fast.
import type { Db } from './db.ts';

export interface DecidedTicket {
  ticketId: string;
  subject: string;
  body: string;
  intent: string;
}

export interface ResolvedEscalation {
  decisionId: string;
  ticketId: string;
  subject: string;
  body: string;
  resolution: string;
  actor: string;
  decidedAt: number;
}

export function createExperienceRepo(db: Db, limit = 2000) {
  const decided = db.prepare<[number], { ticketId: string; subject: string; body: string; intent: string }>(`
    SELECT d.ticket_id AS ticketId, t.subject, t.body, d.final AS intent
    FROM decisions d JOIN tickets t ON t.id = d.ticket_id
    WHERE d.kind = 'triage' ORDER BY d.seq DESC LIMIT ?`);
  const resolved = db.prepare<[number], ResolvedEscalation>(`
    SELECT d.id AS decisionId, d.ticket_id AS ticketId, t.subject, t.body, COALESCE(d.reason, d.final) AS resolution, d.actor, d.decided_at AS decidedAt
    FROM decisions d JOIN tickets t ON t.id = d.ticket_id
    WHERE d.kind = 'escalation' AND d.verdict = 'returned' ORDER BY d.seq DESC LIMIT ?`);
  return {
    decided: (): DecidedTicket[] => decided.all(limit),
    resolved: (): ResolvedEscalation[] => resolved.all(limit),
  };
}
export type ExperienceRepo = ReturnType<typeof createExperienceRepo>;
