// Logistics: a web UI with its own login — carrier status per order, return labels; a slow shipment page and sessions that expire.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Audit, Router, escapeHtml, html, redirect } from './kit.ts';
import { createSessions, isReply, page } from './web.ts';

export const LOGISTICS_CREDENTIALS = { username: 'ops-desk', password: 'logi-demo-Parcel-77' };

interface Shipment {
  order_id: string;
  carrier: string;
  tracking_number: string;
  status: string;
  events: { at: string; status: string; location: string }[];
}
interface Label {
  id: string;
  order_id: string;
  carrier: string;
  created_at: string;
  created_by: string;
}

export function createLogistics(opts: { dataDir: string; slowMs?: number; sessionExpiryEvery?: number }) {
  const audit = new Audit('logistics');
  const seed = JSON.parse(readFileSync(join(opts.dataDir, 'logistics.json'), 'utf8')) as { shipments: Shipment[] };
  const shipments = new Map(seed.shipments.map((s) => [s.order_id, s]));
  const labels = new Map<string, Label>();
  const slowMs = opts.slowMs ?? 1200;
  const sessions = createSessions('Logistics', { [LOGISTICS_CREDENTIALS.username]: LOGISTICS_CREDENTIALS.password }, { expireEvery: opts.sessionExpiryEvery ?? 25 });
  const router = new Router();
  sessions.mount(router);
  let seq = 0;

  router
    .on('GET', '/', () => redirect('/shipments'))
    .on('GET', '/shipments', async (req) => {
      const s = sessions.require(req);
      if (isReply(s)) return s;
      const order = (req.query.get('order') ?? '').replace(/\D/g, '');
      const search = `<form method="get" action="/shipments" role="search"><label>Order number <input name="order" value="${escapeHtml(order)}"></label><button type="submit">Look up</button></form>`;
      if (!order) return html(200, page('Logistics', 'Shipments', search, s));
      // The carrier lookup behind this page is slow on purpose: automation must wait for it, not race it.
      if (slowMs > 0) await new Promise((r) => setTimeout(r, slowMs));
      const sh = shipments.get(order);
      if (!sh) return html(404, page('Logistics', 'Shipments', `${search}<p class="error" role="alert">No shipment for order ${escapeHtml(order)}.</p>`, s));
      const existing = [...labels.values()].filter((l) => l.order_id === order);
      const events = sh.events.map((e) => `<tr><td>${escapeHtml(e.at)}</td><td>${escapeHtml(e.status)}</td><td>${escapeHtml(e.location)}</td></tr>`).join('');
      return html(200, page('Logistics', `Order ${order}`, `${search}
<p>Carrier: <strong>${escapeHtml(sh.carrier)}</strong> · Tracking <span data-field="tracking">${escapeHtml(sh.tracking_number)}</span> · Status <strong data-field="status">${escapeHtml(sh.status)}</strong></p>
<table><thead><tr><th>When</th><th>Status</th><th>Where</th></tr></thead><tbody>${events}</tbody></table>
${existing.length ? `<p>Return labels: ${existing.map((l) => `<a href="/labels/${l.id}">${l.id}</a>`).join(', ')}</p>` : ''}
<form method="post" action="/shipments/${order}/return-label"><input type="hidden" name="csrf" value="${s.csrf}"><button type="submit">Create return label</button></form>`, s));
    })
    .on('POST', '/shipments/:order/return-label', (req) => {
      const s = sessions.require(req);
      if (isReply(s)) return s;
      const sh = shipments.get(req.params.order!);
      if (!sh) return html(404, page('Logistics', 'Not found', `<p class="error">No shipment for order ${escapeHtml(req.params.order)}.</p>`, s));
      const label: Label = { id: `RL-${sh.order_id}-${String(++seq).padStart(3, '0')}`, order_id: sh.order_id, carrier: sh.carrier, created_at: new Date().toISOString(), created_by: s.user };
      labels.set(label.id, label);
      audit.record('return_label.created', `order:${sh.order_id}`, s.user, { label_id: label.id, carrier: sh.carrier });
      return redirect(`/labels/${label.id}`);
    })
    .on('GET', '/labels/:id', (req) => {
      const s = sessions.require(req);
      if (isReply(s)) return s;
      const l = labels.get(req.params.id!);
      if (!l) return html(404, page('Logistics', 'Not found', `<p class="error">No label ${escapeHtml(req.params.id)}.</p>`, s));
      return html(200, page('Logistics', `Return label ${l.id}`, `<p class="ok" role="status">Return label created.</p><p>Label <strong data-label-id="${l.id}">${l.id}</strong> for order ${escapeHtml(l.order_id)} with ${escapeHtml(l.carrier)}.</p><p><a href="/shipments?order=${l.order_id}">Back to the shipment</a></p>`, s));
    });

  return { name: 'logistics' as const, title: 'Logistics (web only)', kind: 'web' as const, router, audit, credentials: LOGISTICS_CREDENTIALS, basePath: '' };
}
