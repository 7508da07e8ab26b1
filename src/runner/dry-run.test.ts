import { describe, expect, it } from 'vitest';
import { MapSchema } from '../maps/schema.ts';
import { dryRun } from './dry-run.ts';
import type { RunContext } from './prepare.ts';

const ctx: RunContext = {
  ticket: { id: 'files:A-1', externalId: 'A-1', source: 'files', subject: 'Refund', body: 'Refund 104233', requester: { name: 'Ann', email: 'ann@example.com' }, channel: 'email' },
  fields: { order_id: '104233' },
  steps: {},
};

const map = MapSchema.parse({
  id: 'refund',
  version: 1,
  intent: { title: 'Refund', description: 'Money back', examples: ['refund please'] },
  fields: [{ name: 'order_id', type: 'string', required: true }],
  policy: [{ id: 'big', when: 'steps.find.total > 20000', then: 'escalate', reason: 'Large refunds go to a lead.' }],
  steps: [
    { id: 'find', block: 'http', connector: 'orders', path: '/orders/{{ fields.order_id }}', outputs: { total: 'body.total' } },
    { id: 'paid', block: 'condition', if: 'steps.find.total > 0', else: { skip_to: 'reply' } },
    { id: 'refund', block: 'http', connector: 'payments', method: 'POST', path: '/refunds', body: { amount: '{{ steps.find.total }}' }, idempotency_key: 'r-{{ ticket.id }}' },
    { id: 'reply', block: 'reply', body: 'Hi {{ ticket.requester.name }}' },
  ],
});

describe('dryRun', () => {
  it('runs lookups for real, simulates what changes something, and follows conditions', async () => {
    const calls: unknown[] = [];
    const lookup = { http: async (inputs: Record<string, unknown>) => (calls.push(inputs), { status: 200, body: { total: 4200 }, headers: {} }) };
    const r = await dryRun(map, ctx, lookup);
    expect(calls).toEqual([{ connector: 'orders', method: 'GET', path: '/orders/104233' }]);
    expect(r.outcome).toBe('done');
    expect(r.steps.map((s) => [s.stepId, s.state])).toEqual([['find', 'looked_up'], ['paid', 'would_run'], ['refund', 'would_run'], ['reply', 'would_run']]);
    expect(r.steps[2]).toMatchObject({ inputs: { body: { amount: 4200 } }, call: ['POST payments /refunds', 'body: {"amount":4200}', 'idempotency key: r-files:A-1'], note: 'simulated: nothing was sent' });
  });

  it('skips ahead when a condition does not hold, and stops where policy escalates', async () => {
    const zero = await dryRun(map, ctx, { http: async () => ({ status: 200, body: { total: 0 }, headers: {} }) });
    expect(zero.steps.map((s) => s.state)).toEqual(['looked_up', 'would_run', 'skipped', 'would_run']);
    const big = await dryRun(map, ctx, { http: async () => ({ status: 200, body: { total: 50000 }, headers: {} }) });
    expect(big).toMatchObject({ outcome: 'escalated', escalation: 'Policy big: Large refunds go to a lead.' });
    expect(big.steps.map((s) => s.state)).toEqual(['looked_up', 'would_run', 'would_escalate', 'not_reached']);
  });

  it('replays a lookup from what the decided run recorded, and asks the system only when the record lacks an output', async () => {
    const calls: unknown[] = [];
    const now = { http: async (inputs: Record<string, unknown>) => (calls.push(inputs), { status: 200, body: { total: 0 }, headers: {} }) }; // already refunded today
    const r = await dryRun(map, ctx, now, undefined, { find: { status: 200, total: 4200 } });
    expect(calls).toEqual([]);
    expect(r.steps[0]).toMatchObject({ state: 'looked_up', outputs: { status: 200, total: 4200 } });
    expect(r.steps[0]!.note).toMatch(/on the run that was decided/);
    expect(r.steps[2]).toMatchObject({ state: 'would_run', inputs: { body: { amount: 4200 } } });
    // A map edited to read another output than the run recorded: the record cannot answer, the system is asked.
    const stale = await dryRun(map, ctx, now, undefined, { find: { status: 200, amount: 4200 } });
    expect(calls).toHaveLength(1);
    expect(stale.steps[0]).toMatchObject({ outputs: { total: 0 } });
  });

  it('without a lookup port sends nothing at all, and says which fields are missing', async () => {
    const r = await dryRun(map, ctx, null);
    expect(r.steps[0]).toMatchObject({ state: 'would_run', outputs: {} });
    const missing = await dryRun(map, { ...ctx, fields: {} }, null);
    expect(missing).toMatchObject({ outcome: 'waiting_for_fields', missing: ['order_id'] });
  });
});
