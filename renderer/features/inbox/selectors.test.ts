import { describe, expect, it } from 'vitest';
import type { Decision, TicketSummary } from '../../../src/contract/index.ts';
import { age, countsByState, overRead, positionLabel, queuePosition, readyCount, visibleTickets, withState, withTriageDecision } from './selectors.ts';

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

  const decision = (ticketId: string, over: Partial<Decision> = {}): Decision => ({
    id: `d-${ticketId}`,
    ticketId,
    kind: 'triage',
    triageId: `tr-${ticketId}`,
    runId: null,
    stepId: null,
    mapId: null,
    mapVersion: null,
    actor: 'ann',
    decidedAt: 1,
    suggested: 'refund_request',
    final: 'where_is_my_order',
    verdict: 'overridden',
    confidence: 0.9,
    reason: null,
    decisionMs: 10,
    ...over,
  });

  it('lists an overridden ticket under the intent the associate chose, with what was suggested', () => {
    const after = withTriageDecision(tickets, decision('a'));
    expect(after.find((x) => x.id === 'a')).toMatchObject({ intent: 'where_is_my_order', verdict: 'overridden', suggested: 'refund_request', confidence: 0.9 });
    expect(after.filter((x) => x.id !== 'a')).toEqual(tickets.filter((x) => x.id !== 'a'));
    const accepted = withTriageDecision(tickets, decision('c', { final: 'refund_request', verdict: 'accepted', confidence: 0.8 }));
    expect(accepted.find((x) => x.id === 'c')).toMatchObject({ intent: 'refund_request', verdict: 'accepted', suggested: null });
  });

  it('leaves the list alone for a verdict on a step', () => {
    expect(withTriageDecision(tickets, decision('a', { kind: 'step', verdict: 'edited', runId: 'r', stepId: 's' }))).toBe(tickets);
  });

  it('moves a ticket between the state chips as its state changes', () => {
    const after = withState(withTriageDecision(tickets, decision('a')), 'a', 'in_progress');
    expect(countsByState(after)).toMatchObject({ all: 4, triaged: 1, in_progress: 2, new: 1 });
    // An override under a search still counts once, in its new state.
    expect(countsByState(visibleTickets(after, 'all', 'refund'))).toMatchObject({ all: 1, triaged: 0, in_progress: 1 });
  });

  it('applies changes heard during a read over its answer, and only those it may predate', () => {
    const toA = { after: 2, apply: (l: TicketSummary[]) => withTriageDecision(l, decision('a')) };
    const moveA = { after: 3, apply: (l: TicketSummary[]) => withState(l, 'a', 'in_progress') };
    // Read 2 started before both changes: its (stale) answer gets both, in order.
    const stale = overRead(tickets, [toA, moveA], 2);
    expect(stale.tickets.find((x) => x.id === 'a')).toMatchObject({ intent: 'where_is_my_order', state: 'in_progress' });
    expect(stale.heard).toEqual([toA, moveA]);
    // Read 3 started after the verdict: the core's answer has it; only the state change is applied again.
    const fresh = overRead(tickets, [toA, moveA], 3);
    expect(fresh.heard).toEqual([moveA]);
    expect(fresh.tickets.find((x) => x.id === 'a')).toMatchObject({ intent: 'refund_request', state: 'in_progress' });
  });

  it('says where a ticket is in the list, and which tickets J and K go to', () => {
    expect(queuePosition(tickets, 'all', '', 'b')).toMatchObject({ index: 1, total: 4, prev: { id: 'a' }, next: { id: 'c' } });
    expect(queuePosition(tickets, 'all', '', 'a')).toMatchObject({ index: 0, prev: null, next: { id: 'b' } });
    expect(queuePosition(tickets, 'all', '', 'd')).toMatchObject({ index: 3, next: null });
    expect(positionLabel(queuePosition(tickets, 'all', '', 'b'), 'all', '')).toBe('2 of 4');
    expect(positionLabel(queuePosition(tickets, 'triaged', ' refund ', 'a'), 'triaged', ' refund ')).toBe('1 of 1 in Triaged, matching “refund”');
  });

  it('keeps J and K going from a ticket that left its filter (decided under Triaged)', () => {
    // b was accepted: it is in progress now, out of the Triaged list, between a and the next triaged ticket.
    const after = [...withState(tickets, 'b', 'in_progress'), t('e', 'triaged', 0.7)];
    const p = queuePosition(after, 'triaged', '', 'b');
    expect(p).toMatchObject({ index: null, total: 2, prev: { id: 'a' }, next: { id: 'e' } });
    expect(positionLabel(p, 'triaged', '')).toBe('Not in Triaged (2 tickets there)');
    expect(positionLabel({ index: null, total: 1, prev: null, next: null }, 'all', 'x')).toBe('Not in the inbox, matching “x” (1 ticket there)');
    expect(queuePosition(after, 'triaged', '', 'unknown')).toMatchObject({ index: null, prev: null, next: null });
  });
});
