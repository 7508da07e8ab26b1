// Orders / ERP: orders by id or customer email, line items, shipment status, and an address change refused once shipped. Bearer auth.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Audit, Router, bearer, json, type Reply, type Request } from './kit.ts';

export const ORDERS_CREDENTIALS = { token: 'erp_demo_8d3b61f2c4a94e07' };

interface Order {
  id: string;
  customer_id: string;
  customer_email: string;
  status: string;
  shipping_address: Record<string, unknown>;
  [key: string]: unknown;
}

export function createOrders(opts: { dataDir: string }) {
  const audit = new Audit('orders');
  const orders = new Map((JSON.parse(readFileSync(join(opts.dataDir, 'orders.json'), 'utf8')) as Order[]).map((o) => [o.id, o]));
  const customers = JSON.parse(readFileSync(join(opts.dataDir, 'customers.json'), 'utf8')) as { id: string; email: string }[];

  const auth = (req: Request): Reply | null =>
    bearer(req) === ORDERS_CREDENTIALS.token ? null : json(401, { error: { code: 'unauthorized', message: 'Missing or invalid bearer token' } });

  const router = new Router()
    .on('GET', '/api/orders/:id', (req) => {
      const denied = auth(req);
      if (denied) return denied;
      const id = req.params.id!.replace(/\D/g, '');
      const o = orders.get(id);
      return o ? json(200, o) : json(404, { error: { code: 'order_not_found', message: `No order ${req.params.id}` } });
    })
    .on('GET', '/api/orders', (req) => {
      const denied = auth(req);
      if (denied) return denied;
      const email = (req.query.get('email') ?? '').toLowerCase();
      if (!email) return json(400, { error: { code: 'missing_email', message: 'Give ?email= to list a customer’s orders' } });
      return json(200, { orders: [...orders.values()].filter((o) => o.customer_email.toLowerCase() === email) });
    })
    .on('GET', '/api/customers', (req) => {
      const denied = auth(req);
      if (denied) return denied;
      const email = (req.query.get('email') ?? '').toLowerCase();
      const c = customers.find((x) => x.email.toLowerCase() === email);
      return c ? json(200, c) : json(404, { error: { code: 'customer_not_found', message: `No customer with email ${email}` } });
    })
    .on('POST', '/api/orders/:id/address', (req) => {
      const denied = auth(req);
      if (denied) return denied;
      const o = orders.get(req.params.id!);
      if (!o) return json(404, { error: { code: 'order_not_found', message: `No order ${req.params.id}` } });
      if (o.status !== 'processing') return json(409, { error: { code: 'order_not_editable', message: `Order ${o.id} is ${o.status}; its address can no longer change` } });
      const address = req.body.address;
      if (typeof address === 'string' ? address.trim().length < 8 : !address || typeof address !== 'object') {
        return json(422, { error: { code: 'invalid_address', message: 'Give the new address as one line or an object with line1, city, postcode, country' } });
      }
      const next = typeof address === 'string' ? { line1: address.trim() } : (address as Record<string, unknown>);
      const before = o.shipping_address;
      if (JSON.stringify(before) === JSON.stringify(next)) return json(200, o); // same change again: nothing new happens
      o.shipping_address = next;
      audit.record('order.address_changed', `order:${o.id}`, 'api', { from: before, to: next });
      return json(200, o);
    });

  return { name: 'orders' as const, title: 'Orders (ERP)', kind: 'api' as const, router, audit, credentials: ORDERS_CREDENTIALS, basePath: '' };
}
