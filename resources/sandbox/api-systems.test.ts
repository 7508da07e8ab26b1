// The API systems of the demo: helpdesk, orders, payments, billing — auth, happy paths, refusals and audits.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from './index.ts';
import { withSandbox } from './test-helpers.ts';

let sb: Sandbox;
beforeEach(async () => {
  sb = await withSandbox({ rateLimit: { max: 30, perMs: 60_000 } });
});
afterEach(async () => sb.stop());

const call = async (url: string, init: RequestInit = {}) => {
  const res = await fetch(url, init);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, any> };
};

describe('helpdesk (Zendesk API subset)', () => {
  const auth = () => ({ authorization: `Basic ${Buffer.from(`${sb.systems.helpdesk.credentials.email}/token:${sb.systems.helpdesk.credentials.api_token}`).toString('base64')}` });

  it('refuses calls without the API token', async () => {
    expect((await call(`${sb.systems.helpdesk.baseUrl}/tickets.json`)).status).toBe(401);
    const wrong = `Basic ${Buffer.from(`${sb.systems.helpdesk.credentials.email}/token:nope`).toString('base64')}`;
    expect((await call(`${sb.systems.helpdesk.baseUrl}/tickets.json`, { headers: { authorization: wrong } })).status).toBe(401);
  });

  it('pages through all 220 seeded tickets with their requesters', async () => {
    const seen: number[] = [];
    let url: string | null = `${sb.systems.helpdesk.baseUrl}/tickets.json?per_page=100&include=users`;
    while (url) {
      const r = await call(url, { headers: auth() });
      expect(r.status).toBe(200);
      seen.push(...r.body.tickets.map((t: { id: number }) => t.id));
      const users = new Set(r.body.users.map((u: { id: number }) => u.id));
      expect(r.body.tickets.every((t: { requester_id: number }) => users.has(t.requester_id))).toBe(true);
      url = r.body.next_page;
    }
    expect(new Set(seen).size).toBe(220);
  });

  it('seeds the splits a workspace learns from as solved history, the rest as new tickets', async () => {
    const history = await withSandbox({ solvedSplits: ['train'] });
    try {
      const statuses: Record<string, number> = {};
      let url: string | null = `${history.systems.helpdesk.baseUrl}/tickets.json?per_page=100`;
      while (url) {
        const r = await call(url, { headers: { authorization: `Basic ${Buffer.from(`${history.systems.helpdesk.credentials.email}/token:${history.systems.helpdesk.credentials.api_token}`).toString('base64')}` } });
        for (const t of r.body.tickets as { id: number; status: string }[]) statuses[`${t.id < 1101 ? 'train' : 'other'}:${t.status}`] = (statuses[`${t.id < 1101 ? 'train' : 'other'}:${t.status}`] ?? 0) + 1;
        url = r.body.next_page;
      }
      expect(statuses).toEqual({ 'train:solved': 100, 'other:new': 120 });
    } finally {
      await history.stop();
    }
  });

  it('posts a public reply and a status change, and audits exactly those', async () => {
    const r = await call(`${sb.systems.helpdesk.baseUrl}/tickets/1001.json`, {
      method: 'PUT',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ ticket: { status: 'solved', comment: { body: 'Refunded, sorry!', public: true } } }),
    });
    expect(r.status).toBe(200);
    expect(r.body.audit.events[0]).toMatchObject({ type: 'Comment', body: 'Refunded, sorry!', public: true });
    const comments = await call(`${sb.systems.helpdesk.baseUrl}/tickets/1001/comments.json`, { headers: auth() });
    expect(comments.body.comments.at(-1).body).toBe('Refunded, sorry!');
    expect(sb.audit('helpdesk').map((e) => e.action)).toEqual(['ticket.reply', 'ticket.status']);
  });

  it('answers 429 with Retry-After when called too fast', async () => {
    let last = 0;
    let retryAfter: string | null = null;
    for (let i = 0; i < 31; i++) {
      const r = await fetch(`${sb.systems.helpdesk.baseUrl}/users/1.json`, { headers: auth() });
      last = r.status;
      retryAfter = r.headers.get('retry-after');
      await r.text();
    }
    expect(last).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

describe('orders (ERP)', () => {
  const auth = () => ({ authorization: `Bearer ${sb.systems.orders.credentials.token}`, 'content-type': 'application/json' });

  it('finds orders by id and by email, and says what was not found', async () => {
    expect((await call(`${sb.systems.orders.baseUrl}/api/orders/100353`)).status).toBe(401);
    const o = await call(`${sb.systems.orders.baseUrl}/api/orders/100353`, { headers: auth() });
    expect(o.body).toMatchObject({ id: '100353', customer_email: 'brooke.fortin@example.com', status: 'delivered' });
    const list = await call(`${sb.systems.orders.baseUrl}/api/orders?email=BROOKE.FORTIN@example.com`, { headers: auth() });
    expect(list.body.orders.map((x: { id: string }) => x.id)).toContain('100353');
    const missing = await call(`${sb.systems.orders.baseUrl}/api/orders/999999`, { headers: auth() });
    expect([missing.status, missing.body.error.message]).toEqual([404, 'No order 999999']);
  });

  it('changes the address only before shipment, auditing the change once', async () => {
    const orders = (await import('./data/orders.json', { with: { type: 'json' } })).default as { id: string; status: string }[];
    const processing = orders.find((o) => o.status === 'processing')!;
    const shipped = orders.find((o) => o.status === 'shipped')!;
    const ok = await call(`${sb.systems.orders.baseUrl}/api/orders/${processing.id}/address`, { method: 'POST', headers: auth(), body: JSON.stringify({ address: '12 Elm St, Springfield, IL 62704, US' }) });
    expect(ok.body.shipping_address).toEqual({ line1: '12 Elm St, Springfield, IL 62704, US' });
    await call(`${sb.systems.orders.baseUrl}/api/orders/${processing.id}/address`, { method: 'POST', headers: auth(), body: JSON.stringify({ address: '12 Elm St, Springfield, IL 62704, US' }) });
    const refused = await call(`${sb.systems.orders.baseUrl}/api/orders/${shipped.id}/address`, { method: 'POST', headers: auth(), body: JSON.stringify({ address: '1 Main St, Boston, MA 02101, US' }) });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'order_not_editable']);
    expect(sb.audit('orders').map((e) => [e.action, e.target])).toEqual([['order.address_changed', `order:${processing.id}`]]);
  });
});

describe('payments (Stripe-shaped)', () => {
  const charge = 'ch_3Nd2zrkZBQjLHU6VVEy9Z6gR'; // $79.00, order 100353
  const refund = (body: Record<string, unknown>, key?: string) =>
    call(`${sb.systems.payments.baseUrl}/v1/refunds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sb.systems.payments.credentials.secret_key}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });

  it('refunds once per idempotency key, and refuses the key with other parameters', async () => {
    const first = await refund({ charge, amount: 2000 }, 'k1');
    const again = await refund({ charge, amount: 2000 }, 'k1');
    expect(first.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const conflict = await refund({ charge, amount: 2500 }, 'k1');
    expect([conflict.status, conflict.body.error.type]).toEqual([409, 'idempotency_error']);
    expect(sb.audit('payments')).toHaveLength(1);
  });

  it('accumulates partial refunds and refuses more than what is left', async () => {
    expect((await refund({ charge, amount: 5000 }, 'a')).status).toBe(200);
    const tooMuch = await refund({ charge, amount: 3000 }, 'b');
    expect([tooMuch.status, tooMuch.body.error.code]).toEqual([400, 'amount_too_large']);
    expect((await refund({ charge }, 'c')).body.amount).toBe(2900);
    const c = await call(`${sb.systems.payments.baseUrl}/v1/charges/${charge}`, { headers: { authorization: `Bearer ${sb.systems.payments.credentials.secret_key}` } });
    expect(c.body).toMatchObject({ amount_refunded: 7900, refunded: true });
    expect((await refund({ charge, amount: 1 }, 'd')).body.error.code).toBe('charge_already_refunded');
    expect((await call(`${sb.systems.payments.baseUrl}/v1/charges/${charge}`)).status).toBe(401);
  });
});

describe('billing', () => {
  const headers = () => ({ 'x-api-key': sb.systems.billing.credentials.api_key, 'content-type': 'application/json' });
  it('cancels a subscription once; cancelling again changes and records nothing', async () => {
    const list = await call(`${sb.systems.billing.baseUrl}/api/subscriptions?email=juergen.klein@example.net`, { headers: headers() });
    const sub = list.body.subscriptions[0];
    expect(sub.status).toBe('active');
    const cancel = () => call(`${sb.systems.billing.baseUrl}/api/subscriptions/${sub.id}/cancel`, { method: 'POST', headers: headers(), body: '{}' });
    expect((await cancel()).body.status).toBe('cancelled');
    expect((await cancel()).body.status).toBe('cancelled');
    expect(sb.audit('billing')).toHaveLength(1);
    expect((await call(`${sb.systems.billing.baseUrl}/api/subscriptions/${sub.id}`)).status).toBe(401);
    const invoices = await call(`${sb.systems.billing.baseUrl}/api/invoices?subscription=${sub.id}`, { headers: headers() });
    expect(Array.isArray(invoices.body.invoices)).toBe(true);
  });
});
