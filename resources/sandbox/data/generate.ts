// The demo operation's seed data: a deterministic generator for an online retailer of home & outdoor goods.
// Contract: resources/sandbox/DATA.md. Run `node resources/sandbox/data/generate.ts` to rewrite the JSON files
// beside this script; the same seed gives byte-identical output on every run (no clock, no Math.random).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DAY, HOUR, PRESENT_MS, iso, minute } from './clock.ts';
import { BASE62, Rng } from './random.ts';
import { AGENTS, CATALOG_WEIGHTS, EMAIL_DOMAINS, FIRST_NAMES, LAST_NAMES, PLANS, type Product } from './reference.ts';
import type { Charge, Country, Crm, CrmNote, Customer, Dataset, Helpdesk, Invoice, Logistics, Order, OrderItem, OrderStatus, Shipment, ShipmentEvent, Subscription } from './shapes.ts';
import { NOTE_TEXTS, asciiFold, delivered, inTransit, makeAddress, makePhone, planRoute, stuck } from './world.ts';

export type * from './shapes.ts';
export { PRESENT_MS };

export const SEED = 20261120;
export const FILES = ['customers.json', 'orders.json', 'charges.json', 'crm.json', 'billing.json', 'helpdesk.json', 'logistics.json'] as const;

// ---------------------------------------------------------------------------------------------------------
// The dataset

export function build(seed: number = SEED): Dataset {
  const rng = new Rng(seed);

  // Customers ------------------------------------------------------------------------------------------
  const NUM_CUSTOMERS = 300;
  const usedEmails = new Set<string>();
  const customers: Customer[] = [];
  for (let i = 1; i <= NUM_CUSTOMERS; i++) {
    const country = rng.weighted<Country>([
      ['US', 55],
      ['GB', 15],
      ['CA', 12],
      ['DE', 10],
      ['FR', 8],
    ]);
    const first = rng.pick(FIRST_NAMES[country]);
    const last = rng.pick(LAST_NAMES[country]);
    const f = asciiFold(first).toLowerCase();
    const l = asciiFold(last).toLowerCase();
    const domain = rng.weighted(EMAIL_DOMAINS);
    const style = rng.weighted<string>([
      ['first.last', 70],
      ['firstlast', 10],
      ['f.last', 10],
      ['first_last', 5],
      ['last.first', 5],
    ]);
    let local = style === 'firstlast' ? `${f}${l}` : style === 'f.last' ? `${f[0]}.${l}` : style === 'first_last' ? `${f}_${l}` : style === 'last.first' ? `${l}.${f}` : `${f}.${l}`;
    let email = `${local}@${domain}`;
    if (usedEmails.has(email)) {
      local = `${local}${rng.int(2, 99)}`;
      email = `${local}@${domain}`;
    }
    while (usedEmails.has(email)) email = `${local}${rng.int(100, 999)}@${domain}`;
    usedEmails.add(email);
    const { address, dial } = makeAddress(rng, country);
    customers.push({
      id: `cus_${String(i).padStart(4, '0')}`,
      name: `${first} ${last}`,
      email,
      phone: makePhone(rng, country, dial),
      address,
      created_at: '', // set below, once we know the first order
      tier: 'standard', // set below, from the subscription
    });
  }

  // Orders ---------------------------------------------------------------------------------------------
  const NUM_ORDERS = 1000;
  // Each customer's appetite: a few buy often, most buy once or twice.
  const weights = customers.map(() => {
    const r = rng.float();
    return r < 0.1 ? 0 : r < 0.6 ? 1 : r < 0.9 ? 2.5 : 6;
  });
  const weightedCustomers = customers.map((c, i) => [c, weights[i] as number] as const);
  // More orders closer to the present (the run-up to the holidays).
  const ages = Array.from({ length: NUM_ORDERS }, () => 120 * DAY * Math.pow(rng.float(), 1.6));
  ages.sort((a, b) => b - a);
  let nextId = 100000 + rng.int(150, 400);
  const orders: Order[] = [];
  const charges: Charge[] = [];
  for (const age of ages) {
    const placedMs = minute(PRESENT_MS - age);
    const customer = rng.weighted(weightedCustomers);
    const nItems = rng.weighted([
      [1, 55],
      [2, 28],
      [3, 12],
      [4, 5],
    ] as const);
    let items: OrderItem[] = [];
    let total = 0;
    for (let attempt = 0; attempt < 50; attempt++) {
      const chosen = new Set<Product>();
      while (chosen.size < nItems) chosen.add(rng.weighted(CATALOG_WEIGHTS));
      items = [...chosen].map((p) => ({
        sku: p.sku,
        name: p.name,
        qty: p.price_cents < 6000 && rng.chance(0.25) ? rng.int(2, 4) : 1,
        unit_price_cents: p.price_cents,
      }));
      total = items.reduce((s, it) => s + it.qty * it.unit_price_cents, 0);
      if (total >= 800 && total <= 90000) break;
    }
    if (total < 800 || total > 90000) throw new Error('could not draw an order within $8–$900');

    const ageDays = (PRESENT_MS - placedMs) / DAY;
    const shipping_address = rng.chance(0.07) ? makeAddress(rng, customer.address.country).address : customer.address;
    const route = planRoute(rng, placedMs, shipping_address);
    let status: OrderStatus;
    let shipment: Shipment | null = null;
    if (rng.chance(ageDays < 1.5 ? 0.08 : 0.045)) {
      status = 'cancelled'; // cancelled before payment was captured
    } else if (route.labelMs > PRESENT_MS - HOUR || (ageDays > 2 && ageDays < 7 && rng.chance(0.1))) {
      status = 'processing'; // not shipped yet (or waiting on back-ordered stock)
    } else if (route.deliveredMs <= PRESENT_MS && ageDays > 4 && ageDays < 21 && rng.chance(0.05)) {
      status = 'shipped'; // lost in the network
      shipment = stuck(rng, route);
    } else if (route.deliveredMs <= PRESENT_MS) {
      status = 'delivered';
      shipment = delivered(route);
    } else {
      status = 'shipped';
      shipment = inTransit(route);
    }

    const id = String(nextId);
    nextId += rng.int(1, 12);
    let charge_id: string | null = null;
    // Cancelled orders were cancelled before payment was captured: no charge.
    if (status !== 'cancelled') {
      charge_id = `ch_3N${rng.chars(22, BASE62)}`;
      charges.push({
        id: charge_id,
        object: 'charge',
        amount: total,
        amount_refunded: 0,
        currency: 'usd',
        created: Math.floor(placedMs / 1000) + rng.int(2, 40),
        customer_email: customer.email,
        metadata: { order_id: id },
        paid: true,
        refunded: false,
        status: 'succeeded',
      });
    }
    orders.push({
      id,
      customer_id: customer.id,
      customer_email: customer.email,
      placed_at: iso(placedMs),
      currency: 'USD',
      items,
      total_cents: total,
      status,
      shipping_address,
      shipment,
      charge_id,
    });
  }
  if (nextId > 109999) throw new Error('order ids ran past 109999');

  // Customer since: before their first order (or a while ago, for those who never ordered).
  const firstOrder = new Map<string, number>();
  for (const o of orders) if (!firstOrder.has(o.customer_id)) firstOrder.set(o.customer_id, Date.parse(o.placed_at));
  const EARLIEST = Date.UTC(2021, 2, 1);
  for (const c of customers) {
    const latest = (firstOrder.get(c.id) ?? PRESENT_MS - 5 * DAY) - HOUR;
    const recent = rng.chance(0.15);
    const from = recent ? Math.max(EARLIEST, latest - 20 * DAY) : EARLIEST;
    c.created_at = iso(minute(from + rng.float() * (latest - from)));
  }

  // Billing: about a third subscribe ---------------------------------------------------------------
  const subscriptions: Subscription[] = [];
  const invoices: Invoice[] = [];
  for (const c of customers) {
    if (!rng.chance(0.34)) continue;
    const p = rng.weighted<(typeof PLANS)[number]>([
      [PLANS[0], 45],
      [PLANS[1], 25],
      [PLANS[2], 18],
      [PLANS[3], 12],
    ]);
    const status = rng.weighted<Subscription['status']>([['active', 84], ['cancelled', 9], ['past_due', 7]]);
    const createdMs = Date.parse(c.created_at);
    const maxBackDays = p.interval === 'month' ? 420 : 900;
    const earliest = Math.max(createdMs, PRESENT_MS - maxBackDays * DAY);
    let startMs = minute(earliest + rng.float() * (PRESENT_MS - 40 * DAY - earliest));
    if (startMs < createdMs) startMs = createdMs + DAY;
    const s = new Date(startMs);
    if (s.getUTCDate() > 28) startMs = Date.UTC(s.getUTCFullYear(), s.getUTCMonth(), 28, s.getUTCHours(), s.getUTCMinutes());
    const step = (k: number): number => {
      const d = new Date(startMs);
      const months = p.interval === 'month' ? k : 12 * k;
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes());
    };
    let periods = 0;
    while (step(periods + 1) <= PRESENT_MS) periods++;
    // periods = completed periods; the current one is index `periods`.
    let cancelledMs: number | null = null;
    let lastInvoice = periods; // index of the last period billed
    if (status === 'cancelled') {
      const cancelPeriod = rng.int(Math.max(0, periods - 6), periods);
      cancelledMs = minute(step(cancelPeriod) + rng.float() * (Math.min(step(cancelPeriod + 1), PRESENT_MS - DAY) - step(cancelPeriod)));
      if (cancelledMs < startMs) cancelledMs = startMs + HOUR;
      lastInvoice = cancelPeriod;
    }
    const sub: Subscription = {
      id: `sub_1N${rng.chars(22, BASE62)}`,
      customer_id: c.id,
      email: c.email,
      plan: p.plan,
      status,
      price_cents: p.price_cents,
      interval: p.interval,
      started_at: iso(startMs),
      cancelled_at: cancelledMs === null ? null : iso(cancelledMs),
      current_period_end: iso(step(lastInvoice + 1)),
    };
    subscriptions.push(sub);
    for (let k = 0; k <= lastInvoice; k++) {
      const open = status === 'past_due' && k === lastInvoice;
      invoices.push({
        id: `in_1N${rng.chars(22, BASE62)}`,
        subscription_id: sub.id,
        customer_id: c.id,
        amount_cents: p.price_cents,
        currency: 'usd',
        status: open ? 'open' : 'paid',
        issued_at: iso(step(k)),
      });
    }
    if (status !== 'cancelled') c.tier = p.tier;
  }
  invoices.sort((a, b) => (a.issued_at < b.issued_at ? -1 : a.issued_at > b.issued_at ? 1 : a.id < b.id ? -1 : 1));

  // CRM ------------------------------------------------------------------------------------------------
  const ordersByCustomer = new Map<string, Order[]>();
  for (const o of orders) ordersByCustomer.set(o.customer_id, [...(ordersByCustomer.get(o.customer_id) ?? []), o]);
  let noteSeq = 0;
  const crm: Crm = {
    users: AGENTS.map((a) => ({ username: a.username, display_name: a.display_name })),
    customers: customers.map((c) => {
      const credit = rng.chance(0.12) ? rng.pick([500, 1000, 1000, 1500, 2000, 2500, 5000]) : 0;
      const notes: CrmNote[] = [];
      const nNotes = rng.weighted([[0, 72], [1, 20], [2, 8]] as const);
      const mine = ordersByCustomer.get(c.id) ?? [];
      const createdMs = Date.parse(c.created_at);
      for (let k = 0; k < nNotes; k++) {
        const order = mine.length > 0 ? rng.pick(mine) : undefined;
        const text = rng.pick(NOTE_TEXTS)({ order: order?.id, credit });
        const from = order ? Date.parse(order.placed_at) : createdMs;
        noteSeq++;
        notes.push({ id: `note_${String(noteSeq).padStart(4, '0')}`, at: iso(minute(from + rng.float() * (PRESENT_MS - DAY - from))), author: rng.pick(AGENTS).username, text });
      }
      notes.sort((a, b) => (a.at < b.at ? -1 : 1));
      return { id: c.id, name: c.name, email: c.email, phone: c.phone, tier: c.tier, store_credit_cents: credit, notes };
    }),
  };

  // Helpdesk users: agents 1–3, end-users 1001+ (cus_0001 is 1001) -----------------------------------
  const helpdesk: Helpdesk = {
    users: [
      ...AGENTS.map((a, i) => ({ id: i + 1, name: a.display_name, email: a.email, role: 'agent' as const })),
      ...customers.map((c, i) => ({ id: 1001 + i, name: c.name, email: c.email, role: 'end-user' as const })),
    ],
    tickets: [],
  };

  // Logistics ------------------------------------------------------------------------------------------
  const logistics: Logistics = {
    shipments: orders.flatMap((o) => {
      if (!o.shipment) return [];
      const last = o.shipment.events[o.shipment.events.length - 1] as ShipmentEvent;
      return [{ order_id: o.id, carrier: o.shipment.carrier, tracking_number: o.shipment.tracking_number, status: last.status, events: o.shipment.events }];
    }),
    labels: [],
  };

  return { customers, orders, charges, crm, billing: { subscriptions, invoices }, helpdesk, logistics };
}

// ---------------------------------------------------------------------------------------------------------
// Output: one record per line, so the files stay small and diff well.

function serialize(value: unknown): string {
  const list = (items: unknown[]): string => (items.length === 0 ? '[]' : `[\n${items.map((x) => JSON.stringify(x)).join(',\n')}\n]`);
  if (Array.isArray(value)) return `${list(value)}\n`;
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([k, v]) => `${JSON.stringify(k)}: ${Array.isArray(v) ? list(v) : JSON.stringify(v)}`,
  );
  return `{\n${entries.join(',\n')}\n}\n`;
}

export function render(data: Dataset): Record<(typeof FILES)[number], string> {
  return {
    'customers.json': serialize(data.customers),
    'orders.json': serialize(data.orders),
    'charges.json': serialize(data.charges),
    'crm.json': serialize(data.crm),
    'billing.json': serialize(data.billing),
    'helpdesk.json': serialize(data.helpdesk),
    'logistics.json': serialize(data.logistics),
  };
}

/** Writes the seed files into outDir (created if missing) and returns the paths written. */
export function generate(outDir: string): string[] {
  mkdirSync(outDir, { recursive: true });
  const files = render(build());
  return FILES.map((name) => {
    const path = join(outDir, name);
    writeFileSync(path, files[name]);
    return path;
  });
}

export const DATA_DIR = dirname(fileURLToPath(import.meta.url));

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const path of generate(DATA_DIR)) console.log(`wrote ${path}`);
}
