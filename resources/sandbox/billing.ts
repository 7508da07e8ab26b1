// Billing: invoices and subscriptions in a SQLite file, read through a small API that can also cancel a subscription. X-Api-Key auth.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Audit, Router, json, type Reply, type Request } from './kit.ts';

export const BILLING_CREDENTIALS = { api_key: 'bill_demo_2a7c9e41f08b36d5' };

interface Seed {
  subscriptions: Record<string, unknown>[];
  invoices: Record<string, unknown>[];
}

export function createBilling(opts: { dataDir: string }) {
  const audit = new Audit('billing');
  const dir = mkdtempSync(join(tmpdir(), 'tandem-billing-'));
  const db = new Database(join(dir, 'billing.db'));
  db.pragma('journal_mode = WAL');
  db.exec(`
    CREATE TABLE subscriptions (id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, email TEXT NOT NULL, plan TEXT NOT NULL, status TEXT NOT NULL,
      price_cents INTEGER NOT NULL, interval TEXT NOT NULL, started_at TEXT NOT NULL, cancelled_at TEXT, current_period_end TEXT NOT NULL) STRICT;
    CREATE TABLE invoices (id TEXT PRIMARY KEY, subscription_id TEXT NOT NULL REFERENCES subscriptions (id), customer_id TEXT NOT NULL,
      amount_cents INTEGER NOT NULL, currency TEXT NOT NULL, status TEXT NOT NULL, issued_at TEXT NOT NULL) STRICT;
    CREATE INDEX subscriptions_by_email ON subscriptions (email COLLATE NOCASE);`);
  const seed = JSON.parse(readFileSync(join(opts.dataDir, 'billing.json'), 'utf8')) as Seed;
  const insSub = db.prepare('INSERT INTO subscriptions VALUES (@id, @customer_id, @email, @plan, @status, @price_cents, @interval, @started_at, @cancelled_at, @current_period_end)');
  const insInv = db.prepare('INSERT INTO invoices VALUES (@id, @subscription_id, @customer_id, @amount_cents, @currency, @status, @issued_at)');
  db.transaction(() => {
    for (const s of seed.subscriptions) insSub.run(s);
    for (const i of seed.invoices) insInv.run(i);
  })();

  const auth = (req: Request): Reply | null => (req.headers['x-api-key'] === BILLING_CREDENTIALS.api_key ? null : json(401, { error: { code: 'unauthorized', message: 'Missing or invalid X-Api-Key' } }));
  const sub = db.prepare<[string], Record<string, unknown>>('SELECT * FROM subscriptions WHERE id = ?');

  const router = new Router()
    .on('GET', '/api/subscriptions', (req) => {
      const denied = auth(req);
      if (denied) return denied;
      const email = req.query.get('email');
      if (!email) return json(400, { error: { code: 'missing_email', message: 'Give ?email=' } });
      return json(200, { subscriptions: db.prepare('SELECT * FROM subscriptions WHERE email = ? COLLATE NOCASE ORDER BY started_at').all(email) });
    })
    .on('GET', '/api/subscriptions/:id', (req) => {
      const denied = auth(req);
      if (denied) return denied;
      const s = sub.get(req.params.id!);
      return s ? json(200, s) : json(404, { error: { code: 'subscription_not_found', message: `No subscription ${req.params.id}` } });
    })
    .on('GET', '/api/invoices', (req) => {
      const denied = auth(req);
      if (denied) return denied;
      return json(200, { invoices: db.prepare('SELECT * FROM invoices WHERE subscription_id = ? ORDER BY issued_at').all(req.query.get('subscription') ?? '') });
    })
    .on('POST', '/api/subscriptions/:id/cancel', (req) => {
      const denied = auth(req);
      if (denied) return denied;
      const s = sub.get(req.params.id!);
      if (!s) return json(404, { error: { code: 'subscription_not_found', message: `No subscription ${req.params.id}` } });
      if (s.status === 'cancelled') return json(200, s); // cancelling twice changes nothing and records nothing
      const at = new Date().toISOString();
      const atPeriodEnd = req.body.at_period_end === true;
      db.prepare('UPDATE subscriptions SET status = ?, cancelled_at = ? WHERE id = ?').run('cancelled', atPeriodEnd ? String(s.current_period_end) : at, s.id as string);
      audit.record('subscription.cancelled', `subscription:${String(s.id)}`, 'api', { at_period_end: atPeriodEnd, previous_status: s.status });
      return json(200, sub.get(req.params.id!));
    });

  return {
    name: 'billing' as const,
    title: 'Billing',
    kind: 'api' as const,
    router,
    audit,
    credentials: BILLING_CREDENTIALS,
    basePath: '',
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
