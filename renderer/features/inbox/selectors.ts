// Derived views of the inbox: filtering, ordering and the counts shown in the header.
import type { TicketState, TicketSummary } from '../../../src/contract/index.ts';

export type InboxFilter = 'all' | TicketState;

export function visibleTickets(tickets: readonly TicketSummary[], filter: InboxFilter, query: string): TicketSummary[] {
  const q = query.trim().toLowerCase();
  return tickets.filter(
    (t) =>
      (filter === 'all' || t.state === filter) &&
      (q === '' || t.subject.toLowerCase().includes(q) || t.requester.name.toLowerCase().includes(q) || t.requester.email.toLowerCase().includes(q)),
  );
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

export function age(createdAt: number, now: number): string {
  const minutes = Math.max(0, Math.round((now - createdAt) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.round(hours / 24)}d`;
}
