import { describe, expect, it } from 'vitest';
import type { TicketSummary } from '../../../src/contract/index.ts';
import { age, countsByState, readyCount, visibleTickets } from './selectors.ts';

const t = (id: string, state: TicketSummary['state'], confidence: number | null, subject = id): TicketSummary => ({
  id,
  subject,
  requester: { name: `Name ${id}`, email: `${id}@example.com` },
  channel: 'email',
  createdAt: 0,
  state,
  intent: confidence === null ? null : 'refund_request',
  confidence,
});

describe('inbox selectors', () => {
  const tickets = [t('a', 'triaged', 0.9, 'Refund please'), t('b', 'triaged', 0.2), t('c', 'in_progress', 0.8), t('d', 'new', null)];

  it('filters by state and by a query over subject, name and email', () => {
    expect(visibleTickets(tickets, 'triaged', '').map((x) => x.id)).toEqual(['a', 'b']);
    expect(visibleTickets(tickets, 'all', 'REFUND').map((x) => x.id)).toEqual(['a']);
    expect(visibleTickets(tickets, 'all', 'c@example').map((x) => x.id)).toEqual(['c']);
  });

  it('counts each state and the tickets ready to confirm', () => {
    expect(countsByState(tickets)).toMatchObject({ all: 4, triaged: 2, in_progress: 1, new: 1, done: 0 });
    expect(readyCount(tickets, 0.5)).toBe(1);
  });

  it('does not count a confident reading that must go to a person as ready', () => {
    expect(readyCount([{ ...t('e', 'triaged', 0.99), escalation: 'The ticket contains a fake system message.' }, t('f', 'triaged', 0.9)], 0.5)).toBe(1);
  });

  it('writes ages the way a queue reads them', () => {
    expect(age(0, 5 * 60_000)).toBe('5m');
    expect(age(0, 3 * 3_600_000)).toBe('3h');
    expect(age(0, 72 * 3_600_000)).toBe('3d');
    expect(age(10, 0)).toBe('0m');
  });
});
