// Payments: a Stripe-shaped API — charges and refunds, Idempotency-Key replay and conflicts, partial refunds, no refund above the charge.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Audit, Router, basic, bearer, json, type Reply, type Request } from './kit.ts';

export const PAYMENTS_CREDENTIALS = { secret_key: 'sk_test_demo_4eC39HqLyjWDarjtT1zdp7dc' };

interface Charge {
  id: string;
  amount: number;
  amount_refunded: number;
  refunded: boolean;
  metadata: { order_id: string };
  [key: string]: unknown;
}
interface Refund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string;
  currency: string;
  created: number;
  reason: string | null;
  metadata: Record<string, unknown>;
  status: 'succeeded';
}

const error = (status: number, type: string, code: string, message: string): Reply => json(status, { error: { type, code, message } });

export function createPayments(opts: { dataDir: string }) {
  const audit = new Audit('payments');
  const charges = new Map((JSON.parse(readFileSync(join(opts.dataDir, 'charges.json'), 'utf8')) as Charge[]).map((c) => [c.id, c]));
  const refunds = new Map<string, Refund>();
  const idempotency = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  let seq = 0;

  const authed = (req: Request) => bearer(req) === PAYMENTS_CREDENTIALS.secret_key || basic(req)?.user === PAYMENTS_CREDENTIALS.secret_key;
  const deny = () => error(401, 'authentication_error', 'invalid_api_key', 'Invalid API Key provided');

  function createRefund(req: Request): { status: number; body: unknown } {
    const chargeId = String(req.body.charge ?? '');
    const charge = charges.get(chargeId);
    if (!charge) return { status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such charge: '${chargeId}'` } } };
    const remaining = charge.amount - charge.amount_refunded;
    if (remaining <= 0) return { status: 400, body: { error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: `Charge ${chargeId} has already been refunded.` } } };
    const amount = req.body.amount === undefined || req.body.amount === '' ? remaining : Number(req.body.amount);
    if (!Number.isInteger(amount) || amount <= 0) return { status: 400, body: { error: { type: 'invalid_request_error', code: 'parameter_invalid_integer', message: 'Amount must be a positive whole number of cents.' } } };
    if (amount > remaining) {
      return { status: 400, body: { error: { type: 'invalid_request_error', code: 'amount_too_large', message: `Refund amount ($${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge ($${(remaining / 100).toFixed(2)})` } } };
    }
    const refund: Refund = {
      id: `re_demo_${String(++seq).padStart(6, '0')}`,
      object: 'refund',
      amount,
      charge: chargeId,
      currency: 'usd',
      created: Math.floor(Date.now() / 1000),
      reason: typeof req.body.reason === 'string' ? req.body.reason : null,
      metadata: (req.body.metadata as Record<string, unknown>) ?? {},
      status: 'succeeded',
    };
    refunds.set(refund.id, refund);
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded >= charge.amount;
    audit.record('refund.created', `charge:${chargeId}`, 'api', { refund_id: refund.id, amount, order_id: charge.metadata.order_id });
    return { status: 200, body: refund };
  }

  const router = new Router()
    .on('GET', '/v1/charges/:id', (req) => {
      if (!authed(req)) return deny();
      const c = charges.get(req.params.id!);
      return c ? json(200, c) : error(404, 'invalid_request_error', 'resource_missing', `No such charge: '${req.params.id}'`);
    })
    .on('GET', '/v1/charges', (req) => {
      if (!authed(req)) return deny();
      const order = req.query.get('metadata[order_id]');
      const email = req.query.get('customer_email');
      const data = [...charges.values()].filter((c) => (!order || c.metadata.order_id === order) && (!email || String(c.customer_email).toLowerCase() === email.toLowerCase()));
      return json(200, { object: 'list', data, has_more: false });
    })
    .on('GET', '/v1/refunds', (req) => {
      if (!authed(req)) return deny();
      const charge = req.query.get('charge');
      return json(200, { object: 'list', data: [...refunds.values()].filter((r) => !charge || r.charge === charge), has_more: false });
    })
    .on('POST', '/v1/refunds', (req) => {
      if (!authed(req)) return deny();
      const key = req.headers['idempotency-key'];
      const fingerprint = createHash('sha256').update(JSON.stringify(req.body)).digest('hex');
      if (typeof key === 'string' && key) {
        const seen = idempotency.get(key);
        if (seen) {
          if (seen.fingerprint !== fingerprint) {
            return error(409, 'idempotency_error', 'idempotency_key_in_use', `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}'.`);
          }
          return json(seen.status, seen.body, { 'idempotent-replayed': 'true' });
        }
      }
      const result = createRefund(req);
      if (typeof key === 'string' && key) idempotency.set(key, { fingerprint, ...result });
      return json(result.status, result.body);
    });

  return { name: 'payments' as const, title: 'Payments', kind: 'api' as const, router, audit, credentials: PAYMENTS_CREDENTIALS, basePath: '' };
}
