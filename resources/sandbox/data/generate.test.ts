// The committed seed files are exactly what the generator writes, and they agree with each other.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_DIR, FILES, PRESENT_MS, generate } from './generate.ts';
import type { Billing, Charge, Crm, Customer, Helpdesk, Logistics, Order } from './generate.ts';

function load<T>(name: string): T {
  return JSON.parse(readFileSync(join(DATA_DIR, name), 'utf8')) as T;
}

const customers = load<Customer[]>('customers.json');
const orders = load<Order[]>('orders.json');
const charges = load<Charge[]>('charges.json');
const crm = load<Crm>('crm.json');
const billing = load<Billing>('billing.json');
const helpdesk = load<Helpdesk>('helpdesk.json');
const logistics = load<Logistics>('logistics.json');

function unique(values: string[]): boolean {
  return new Set(values).size === values.length;
}

describe('seed data', () => {
  it('is byte-identical to a fresh run of the generator', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-seed-'));
    try {
      generate(dir);
      for (const name of FILES) {
        expect(readFileSync(join(dir, name), 'utf8'), name).toBe(readFileSync(join(DATA_DIR, name), 'utf8'));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has about 300 customers and 1,000 orders, with unique ids and emails', () => {
    expect(customers.length).toBeGreaterThanOrEqual(250);
    expect(customers.length).toBeLessThanOrEqual(350);
    expect(orders.length).toBeGreaterThanOrEqual(900);
    expect(orders.length).toBeLessThanOrEqual(1100);
    expect(unique(customers.map((c) => c.id))).toBe(true);
    expect(unique(customers.map((c) => c.email))).toBe(true);
    expect(unique(orders.map((o) => o.id))).toBe(true);
    expect(unique(charges.map((c) => c.id))).toBe(true);
    expect(unique(billing.subscriptions.map((s) => s.id))).toBe(true);
    expect(unique(billing.invoices.map((i) => i.id))).toBe(true);
    expect(unique(helpdesk.users.map((u) => String(u.id)))).toBe(true);
  });

  it('uses only reserved example domains and well-formed emails', () => {
    for (const c of customers) {
      expect(c.email).toMatch(/^[a-z0-9._]+@([a-z]+\.)?example\.(com|org|net)$/);
    }
  });

  it('gives every order an existing customer with the same email', () => {
    const byId = new Map(customers.map((c) => [c.id, c]));
    for (const o of orders) {
      const c = byId.get(o.customer_id);
      expect(c, o.id).toBeDefined();
      expect(o.customer_email).toBe(c?.email);
    }
  });

  it('has 6-digit order ids in 100000–109999 and totals between $8 and $900 that add up', () => {
    for (const o of orders) {
      expect(o.id).toMatch(/^1\d{5}$/);
      expect(o.total_cents).toBeGreaterThanOrEqual(800);
      expect(o.total_cents).toBeLessThanOrEqual(90000);
      expect(o.total_cents).toBe(o.items.reduce((s, it) => s + it.qty * it.unit_price_cents, 0));
      expect(Date.parse(o.placed_at)).toBeLessThan(PRESENT_MS);
      expect(Date.parse(o.placed_at)).toBeGreaterThan(PRESENT_MS - 121 * 24 * 3_600_000);
    }
    expect(orders.filter((o) => o.total_cents > 20000).length).toBeGreaterThan(20);
  });

  it('has all four statuses, with shipments consistent with them', () => {
    const statuses = new Set(orders.map((o) => o.status));
    expect([...statuses].sort()).toEqual(['cancelled', 'delivered', 'processing', 'shipped']);
    for (const o of orders) {
      const s = o.shipment;
      if (o.status === 'processing' || o.status === 'cancelled') {
        expect(s, o.id).toBeNull();
        continue;
      }
      expect(s, o.id).not.toBeNull();
      if (!s) continue;
      expect(s.events.length).toBeGreaterThan(0);
      const times = s.events.map((e) => Date.parse(e.at));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(Math.max(...times)).toBeLessThanOrEqual(PRESENT_MS);
      expect(Date.parse(s.shipped_at)).toBeGreaterThan(Date.parse(o.placed_at));
      const last = s.events[s.events.length - 1];
      if (o.status === 'shipped') {
        expect(s.delivered_at).toBeNull();
        expect(s.events.some((e) => e.status === 'delivered')).toBe(false);
      } else {
        expect(s.delivered_at).not.toBeNull();
        expect(last?.status).toBe('delivered');
        expect(last?.at).toBe(s.delivered_at);
      }
    }
  });

  it('has one charge per paid order, for exactly the order total', () => {
    const chargeById = new Map(charges.map((c) => [c.id, c]));
    const orderById = new Map(orders.map((o) => [o.id, o]));
    for (const o of orders) {
      if (o.status === 'cancelled') {
        expect(o.charge_id).toBeNull();
        continue;
      }
      const ch = o.charge_id ? chargeById.get(o.charge_id) : undefined;
      expect(ch, o.id).toBeDefined();
      expect(ch?.amount).toBe(o.total_cents);
      expect(ch?.metadata.order_id).toBe(o.id);
      expect(ch?.customer_email).toBe(o.customer_email);
    }
    for (const ch of charges) {
      expect(orderById.get(ch.metadata.order_id)?.charge_id).toBe(ch.id);
      expect(ch.id).toMatch(/^ch_3N[0-9A-Za-z]{22}$/);
    }
    expect(charges.length).toBe(orders.filter((o) => o.status !== 'cancelled').length);
  });

  it('keeps CRM, billing, helpdesk and logistics in step with customers and orders', () => {
    expect(crm.customers.map((c) => [c.id, c.name, c.email, c.phone, c.tier])).toEqual(
      customers.map((c) => [c.id, c.name, c.email, c.phone, c.tier]),
    );
    const byId = new Map(customers.map((c) => [c.id, c]));
    for (const s of billing.subscriptions) expect(byId.get(s.customer_id)?.email).toBe(s.email);
    const subs = new Set(billing.subscriptions.map((s) => s.id));
    for (const i of billing.invoices) expect(subs.has(i.subscription_id)).toBe(true);
    expect(billing.subscriptions.length).toBeGreaterThan(customers.length / 4);
    expect(billing.subscriptions.length).toBeLessThan(customers.length / 2.4);
    const endUsers = helpdesk.users.filter((u) => u.role === 'end-user').map((u) => u.email);
    expect(endUsers).toEqual(customers.map((c) => c.email));
    expect(helpdesk.users.filter((u) => u.role === 'agent')).toHaveLength(3);
    const shipped = orders.filter((o) => o.shipment);
    expect(logistics.shipments.map((s) => [s.order_id, s.tracking_number, s.events])).toEqual(
      shipped.map((o) => [o.id, o.shipment?.tracking_number, o.shipment?.events]),
    );
  });
});
