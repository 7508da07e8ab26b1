// Experience from the decision log: the decided tickets most like a new one (few-shot examples for the model) and a
// near-identical ticket a lead already resolved (offered before a ticket escalates again).
import type { Triage } from '../domain/triage.ts';
import type { DecidedTicket, ResolvedEscalation } from '../store/experience-repo.ts';
import type { FewShot } from './llm/prompt.ts';

export interface ExperienceSource {
  decided(): DecidedTicket[];
  resolved(): ResolvedEscalation[];
}

export type Precedent = NonNullable<Triage['precedent']>;

/** How alike two tickets must be for a lead's resolution of one to be offered for the other. */
export const PRECEDENT_SIMILARITY = 0.8;

export function createExperience(source: ExperienceSource) {
  return {
    /** The k decided tickets most similar to the text (at most one per ticket), most similar first. */
    examples(text: string, k: number, excludeTicketId?: string): FewShot[] {
      if (k <= 0) return [];
      const v = vector(text);
      const seen = new Set<string>();
      return source
        .decided()
        .filter((d) => d.ticketId !== excludeTicketId && !seen.has(d.ticketId) && seen.add(d.ticketId))
        .map((d) => ({ d, sim: cosine(v, vector(`${d.subject}\n${d.body}`)) }))
        .filter((x) => x.sim > 0.1)
        .sort((a, b) => b.sim - a.sim)
        .slice(0, k)
        .map(({ d }) => ({ text: `${d.subject}\n${d.body}`.slice(0, 1500), intent: d.intent }));
    },
    /** A resolved escalation on a near-identical ticket, or null. */
    precedent(ticketId: string, text: string): Precedent | null {
      const v = vector(text);
      let best: { r: ResolvedEscalation; sim: number } | null = null;
      for (const r of source.resolved()) {
        if (r.ticketId === ticketId) continue;
        const sim = cosine(v, vector(`${r.subject}\n${r.body}`));
        if (sim >= PRECEDENT_SIMILARITY && (!best || sim > best.sim)) best = { r, sim };
      }
      if (!best) return null;
      const { r, sim } = best;
      return { ticketId: r.ticketId, subject: r.subject, decisionId: r.decisionId, resolution: r.resolution, actor: r.actor, decidedAt: r.decidedAt, similarity: Math.round(sim * 1000) / 1000 };
    },
  };
}
export type Experience = ReturnType<typeof createExperience>;

/** Word counts; numbers count as one shape (#) so two tickets about different orders still look alike. */
export function vector(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const raw of text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').split(/[^a-z0-9]+/)) {
    if (raw.length < 2 && !/\d/.test(raw)) continue;
    const w = /\d/.test(raw) ? '#' : raw;
    out.set(w, (out.get(w) ?? 0) + 1);
  }
  return out;
}

export function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, x] of a) {
    na += x * x;
    const y = b.get(k);
    if (y) dot += x * y;
  }
  for (const y of b.values()) nb += y * y;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
