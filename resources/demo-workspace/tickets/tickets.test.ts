// The demo tickets and their labels: shape, coverage, ties to the seed data, and a clean train/test split.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const DIR = dirname(fileURLToPath(import.meta.url));
const ORDERS = join(DIR, '../../sandbox/data/orders.json');

interface Ticket {
  id: string;
  subject: string;
  body: string;
  requester: { name: string; email: string };
  channel: string;
  created_at: string;
}

interface Label {
  id: string;
  intents: string[];
  fields: Record<string, unknown>;
  note?: string;
}

const FIELDS: Record<string, string[]> = {
  refund_request: ['order_id', 'amount', 'reason'],
  where_is_my_order: ['order_id'],
  change_shipping_address: ['order_id', 'new_address'],
  cancel_subscription: ['account_email', 'subscription_id'],
  damaged_item: ['order_id', 'item', 'resolution'],
  update_account_email: ['current_email', 'new_email'],
  other: [],
};
const INTENTS = Object.keys(FIELDS);
const SPLITS = { train: [1, 100], test: [101, 200], hostile: [201, 220] } as const;
type Split = keyof typeof SPLITS;

function load(split: Split): { tickets: Ticket[]; labels: Label[] } {
  const tickets = (parse(readFileSync(join(DIR, `${split}.yaml`), 'utf8')) as { tickets: Ticket[] }).tickets;
  const labels = (parse(readFileSync(join(DIR, 'labels', `${split}.yaml`), 'utf8')) as { labels: Label[] }).labels;
  return { tickets, labels };
}

const data = { train: load('train'), test: load('test'), hostile: load('hostile') };
const orderIds = new Set((JSON.parse(readFileSync(ORDERS, 'utf8')) as { id: string }[]).map((o) => o.id));
const EMAIL = /^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/;
const PRESENT = Date.parse('2026-11-20T12:00:00Z');

/** The sentences of a body, normalised, that are long enough to give a reuse away. */
function sentences(body: string): Set<string> {
  const out = new Set<string>();
  for (const line of body.split('\n')) {
    for (const raw of line.replace(/^[\s>]+/, '').split(/(?<=[.!?])\s+/)) {
      const s = raw.trim().toLowerCase().replace(/\s+/g, ' ');
      if (s.length > 40) out.add(s);
    }
  }
  return out;
}

describe('demo tickets', () => {
  it('has 100 train, 100 test and 20 hostile tickets with ids in their ranges', () => {
    for (const split of Object.keys(SPLITS) as Split[]) {
      const [from, to] = SPLITS[split];
      const ids = data[split].tickets.map((t) => t.id);
      expect(ids, split).toHaveLength(to - from + 1);
      expect(ids).toEqual(Array.from({ length: to - from + 1 }, (_, i) => `T-${String(from + i).padStart(4, '0')}`));
    }
  });

  it('has unique ids that match the labels one-to-one', () => {
    const all = Object.values(data).flatMap((d) => d.tickets.map((t) => t.id));
    expect(new Set(all).size).toBe(all.length);
    for (const { tickets, labels } of Object.values(data)) {
      expect(labels.map((l) => l.id)).toEqual(tickets.map((t) => t.id));
    }
  });

  it('has well-formed tickets', () => {
    for (const { tickets } of Object.values(data)) {
      for (const t of tickets) {
        expect(t.subject, t.id).toEqual(expect.any(String));
        expect(t.body.trim().length, t.id).toBeGreaterThan(0);
        expect(t.requester.name.length, t.id).toBeGreaterThan(0);
        expect(t.requester.email, t.id).toMatch(EMAIL);
        expect(['email', 'chat', 'web', 'phone']).toContain(t.channel);
        const at = Date.parse(t.created_at);
        expect(at, t.id).toBeLessThanOrEqual(PRESENT);
        expect(at, t.id).toBeGreaterThanOrEqual(PRESENT - 10 * 24 * 3_600_000);
      }
    }
  });

  it('labels only known intents, with fields that belong to them', () => {
    for (const { labels } of Object.values(data)) {
      for (const l of labels) {
        expect(l.intents.length, l.id).toBeGreaterThan(0);
        for (const intent of l.intents) expect(INTENTS, l.id).toContain(intent);
        expect(new Set(l.intents).size, l.id).toBe(l.intents.length);
        const allowed = new Set(l.intents.flatMap((i) => FIELDS[i] ?? []));
        for (const key of Object.keys(l.fields)) expect(allowed.has(key), `${l.id}: ${key}`).toBe(true);
        if (typeof l.fields.order_id !== 'undefined') expect(l.fields.order_id, l.id).toMatch(/^\d{6}$/);
        if (typeof l.fields.amount !== 'undefined') expect(l.fields.amount, l.id).toEqual(expect.any(Number));
        for (const key of ['account_email', 'current_email', 'new_email']) {
          if (typeof l.fields[key] !== 'undefined') expect(l.fields[key], `${l.id}: ${key}`).toMatch(EMAIL);
        }
        if ('resolution' in l.fields) expect([null, 'replacement', 'refund']).toContain(l.fields.resolution);
      }
    }
  });

  it('labels order ids that exist, unless the note says they are deliberately wrong', () => {
    for (const { labels } of Object.values(data)) {
      for (const l of labels) {
        const id = l.fields.order_id;
        if (typeof id !== 'string') continue;
        if (!orderIds.has(id)) expect(l.note ?? '', `${l.id}: ${id}`).toMatch(/deliberately wrong/i);
      }
    }
  });

  it('covers every intent in train and test', () => {
    for (const split of ['train', 'test'] as const) {
      const primaries = new Set(data[split].labels.map((l) => l.intents[0]));
      expect([...primaries].sort(), split).toEqual([...INTENTS].sort());
    }
  });

  it('shares no sentence longer than 40 characters between train and test bodies', () => {
    const train = new Set(data.train.tickets.flatMap((t) => [...sentences(t.body)]));
    const shared = data.test.tickets.flatMap((t) => [...sentences(t.body)].filter((s) => train.has(s)).map((s) => `${t.id}: ${s}`));
    expect(shared).toEqual([]);
  });
});
