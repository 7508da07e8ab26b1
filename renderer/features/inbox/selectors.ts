// Derived views of the inbox: filtering, ordering, the counts shown in the header, and the list as events change it.
import type { Decision, TicketState, TicketSummary } from '../../../src/contract/index.ts';

export type InboxFilter = 'all' | TicketState;

export function visibleTickets(tickets: readonly TicketSummary[], filter: InboxFilter, query: string): TicketSummary[] {
  const q = query.trim().toLowerCase();
  return tickets.filter(
    (t) =>
      (filter === 'all' || t.state === filter) &&
      (q === '' || t.subject.toLowerCase().includes(q) || t.requester.name.toLowerCase().includes(q) || t.requester.email.toLowerCase().includes(q)),
  );
}

/** Where a ticket sits in the inbox's list (its filter and search), and the tickets J and K go to from it. */
export interface QueuePosition {
  /** 0-based place in the list; null when the ticket is not in it (decided out of its filter, or opened from a link). */
  index: number | null;
  total: number;
  prev: TicketSummary | null;
  next: TicketSummary | null;
}

export function queuePosition(tickets: readonly TicketSummary[], filter: InboxFilter, query: string, id: string): QueuePosition {
  const listed = visibleTickets(tickets, filter, query);
  const index = listed.findIndex((t) => t.id === id);
  if (index >= 0) return { index, total: listed.length, prev: listed[index - 1] ?? null, next: listed[index + 1] ?? null };
  // Out of the list, J and K still go on from where the ticket stands in the queue: to the nearest listed ticket each way.
  const at = tickets.findIndex((t) => t.id === id);
  if (at < 0) return { index: null, total: listed.length, prev: null, next: null };
  const inList = new Set(listed.map((t) => t.id));
  return {
    index: null,
    total: listed.length,
    prev: tickets.slice(0, at).findLast((t) => inList.has(t.id)) ?? null,
    next: tickets.slice(at + 1).find((t) => inList.has(t.id)) ?? null,
  };
}

const FILTER_NAME: Record<InboxFilter, string> = { all: 'the inbox', new: 'New', triaged: 'Triaged', in_progress: 'In progress', escalated: 'Escalated', done: 'Done' };

/** "3 of 12", and which list when it is not the whole inbox: "3 of 12 in Triaged, matching “refund”". */
export function positionLabel(p: QueuePosition, filter: InboxFilter, query: string): string {
  const q = query.trim();
  const list = `${FILTER_NAME[filter]}${q ? `, matching “${q}”` : ''}`;
  if (p.index !== null) return `${p.index + 1} of ${p.total}${filter === 'all' && !q ? '' : ` in ${list}`}`;
  return `Not in ${list} (${p.total} ticket${p.total === 1 ? '' : 's'} there)`;
}

export function countsByState(tickets: readonly TicketSummary[]): Record<InboxFilter, number> {
  const counts: Record<InboxFilter, number> = { all: tickets.length, new: 0, triaged: 0, in_progress: 0, escalated: 0, done: 0 };
  for (const t of tickets) counts[t.state]++;
  return counts;
}

/** "Ready to go": triaged and confident enough that the associate can confirm in one key press. */
export function readyCount(tickets: readonly TicketSummary[], threshold: number): number {
  return tickets.filter((t) => t.state === 'triaged' && (t.confidence ?? 0) >= threshold && !t.escalation).length;
}

/**
 * The list once the associate has decided a ticket's triage: the row takes the intent they settled on at once, as the
 * core will list it from then on. Anything but a triage verdict leaves the list as it is (the same array).
 */
export function withTriageDecision(tickets: TicketSummary[], d: Decision): TicketSummary[] {
  if (d.kind !== 'triage' || (d.verdict !== 'accepted' && d.verdict !== 'overridden')) return tickets;
  const verdict = d.verdict;
  return tickets.map((t) =>
    t.id === d.ticketId ? { ...t, intent: d.final, confidence: d.confidence, verdict, suggested: verdict === 'overridden' ? d.suggested : null } : t,
  );
}

/** The list once a ticket moved to another state (the state chips count from it). */
export function withState(tickets: TicketSummary[], ticketId: string, state: TicketState): TicketSummary[] {
  return tickets.map((t) => (t.id === ticketId && t.state !== state ? { ...t, state } : t));
}

/** A change heard from the core while reads of the list were in flight, with the number of reads started before it. */
export interface HeardChange {
  after: number;
  apply(tickets: TicketSummary[]): TicketSummary[];
}

/**
 * The answer of read number `read` with the changes it may predate applied again, in order: those heard after it
 * started. Changes heard before it started are in the answer already, and later reads do not need them either.
 */
export function overRead(listed: TicketSummary[], heard: readonly HeardChange[], read: number): { tickets: TicketSummary[]; heard: HeardChange[] } {
  const pending = heard.filter((h) => h.after >= read);
  return { tickets: pending.reduce((tickets, h) => h.apply(tickets), listed), heard: pending };
}

export function age(createdAt: number, now: number): string {
  const minutes = Math.max(0, Math.round((now - createdAt) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.round(hours / 24)}d`;
}
