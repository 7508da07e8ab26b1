// CRM: web UI only, no API — login, customer search, a customer page with notes and store credit, and an edit form.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Audit, Router, escapeHtml, html, json, redirect } from './kit.ts';
import { createSessions, isReply, page } from './web.ts';

export const CRM_CREDENTIALS = { username: 'maya.ortiz', password: 'crm-demo-Harbor-42' };
/** A second CRM account that always asks for a one-time code after its password (two-step verification). */
export const CRM_2FA_CREDENTIALS = { username: 'sam.okafor', password: 'crm-demo-Otter-17' };

interface Customer {
  id: string;
  name: string;
  email: string;
  phone: string;
  tier: string;
  store_credit_cents: number;
  notes: { id: string; at: string; author: string; text: string }[];
}

const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function createCrm(opts: { dataDir: string; /** Every account asks for a one-time code, not only sam.okafor. */ twoFactor?: boolean }) {
  const audit = new Audit('crm');
  const seed = JSON.parse(readFileSync(join(opts.dataDir, 'crm.json'), 'utf8')) as { users: { username: string }[]; customers: Customer[] };
  const customers = new Map(seed.customers.map((c) => [c.id, { ...c, notes: [...c.notes] }]));
  const sessions = createSessions(
    'CRM',
    { [CRM_CREDENTIALS.username]: CRM_CREDENTIALS.password, [CRM_2FA_CREDENTIALS.username]: CRM_2FA_CREDENTIALS.password },
    { oneTimeCode: opts.twoFactor ? [CRM_CREDENTIALS.username, CRM_2FA_CREDENTIALS.username] : [CRM_2FA_CREDENTIALS.username] },
  );
  const router = new Router();
  sessions.mount(router);

  const notFound = (id: string) => html(404, page('CRM', 'Not found', `<p class="error">No customer ${escapeHtml(id)}.</p>`));

  function customerPage(c: Customer, csrf: string, flash = ''): string {
    const notes = c.notes.length ? `<ul class="notes">${c.notes.map((n) => `<li><strong>${escapeHtml(n.author)}</strong> · ${escapeHtml(n.at)}<br>${escapeHtml(n.text)}</li>`).join('')}</ul>` : '<p>No notes yet.</p>';
    return `${flash}<dl><dt>Email</dt><dd data-field="email">${escapeHtml(c.email)}</dd><dt>Phone</dt><dd>${escapeHtml(c.phone)}</dd><dt>Tier</dt><dd>${escapeHtml(c.tier)}</dd><dt>Store credit</dt><dd data-field="store-credit">${money(c.store_credit_cents)}</dd></dl>
<p><a href="/customers/${c.id}/edit">Edit</a></p>
<h2>Notes</h2>${notes}
<form method="post" action="/customers/${c.id}/notes"><input type="hidden" name="csrf" value="${csrf}"><label>Note <textarea name="text" rows="3" required></textarea></label><button type="submit">Add note</button></form>`;
  }

  router
    .on('GET', '/', () => redirect('/customers'))
    .on('GET', '/customers', (req) => {
      const s = sessions.require(req);
      if (isReply(s)) return s;
      const q = (req.query.get('q') ?? '').trim().toLowerCase();
      const hits = q ? [...customers.values()].filter((c) => c.email.toLowerCase().includes(q) || c.name.toLowerCase().includes(q)).slice(0, 50) : [];
      const rows = hits.map((c) => `<tr><td><a href="/customers/${c.id}">${escapeHtml(c.email)}</a></td><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.tier)}</td></tr>`).join('');
      return html(200, page('CRM', 'Customers', `<form method="get" action="/customers" role="search"><label>Search by name or email <input name="q" value="${escapeHtml(q)}"></label><button type="submit">Search</button></form>
${q ? (hits.length ? `<table><thead><tr><th>Email</th><th>Name</th><th>Tier</th></tr></thead><tbody>${rows}</tbody></table>` : `<p>No customer matches “${escapeHtml(q)}”.</p>`) : ''}`, s));
    })
    .on('GET', '/customers/:id', (req) => {
      const s = sessions.require(req);
      if (isReply(s)) return s;
      const c = customers.get(req.params.id!);
      if (!c) return notFound(req.params.id!);
      const flash = req.query.get('saved') ? '<p class="ok" role="status">Saved.</p>' : req.query.get('noted') ? '<p class="ok" role="status">Note added.</p>' : '';
      return html(200, page('CRM', c.name, customerPage(c, s.csrf, flash), s));
    })
    .on('POST', '/customers/:id/notes', (req) => {
      const s = sessions.require(req);
      if (isReply(s)) return s;
      const c = customers.get(req.params.id!);
      if (!c) return notFound(req.params.id!);
      const text = String(req.body.text ?? '').trim();
      if (!text) return html(422, page('CRM', c.name, customerPage(c, s.csrf, '<p class="error" role="alert">A note cannot be empty.</p>'), s));
      const note = { id: `note_${randomBytes(5).toString('hex')}`, at: new Date().toISOString(), author: s.user, text };
      c.notes.push(note);
      audit.record('customer.note_added', `customer:${c.id}`, s.user, { note_id: note.id, text });
      return redirect(`/customers/${c.id}?noted=1`);
    })
    .on('GET', '/customers/:id/edit', (req) => {
      const s = sessions.require(req);
      if (isReply(s)) return s;
      const c = customers.get(req.params.id!);
      if (!c) return notFound(req.params.id!);
      return html(200, page('CRM', `Edit ${c.name}`, editForm(c, s.csrf), s));
    })
    .on('POST', '/customers/:id/edit', (req) => {
      const s = sessions.require(req);
      if (isReply(s)) return s;
      const c = customers.get(req.params.id!);
      if (!c) return notFound(req.params.id!);
      const email = String(req.body.email ?? '').trim();
      const phone = String(req.body.phone ?? '').trim();
      const credit = Number(String(req.body.store_credit ?? '').replace(/[$,]/g, ''));
      const errors: string[] = [];
      if (!EMAIL.test(email)) errors.push('Email is not a valid address.');
      else if ([...customers.values()].some((o) => o.id !== c.id && o.email.toLowerCase() === email.toLowerCase())) errors.push('Another customer already uses this email.');
      if (!Number.isFinite(credit) || credit < 0) errors.push('Store credit must be a positive amount.');
      if (errors.length) return html(422, page('CRM', `Edit ${c.name}`, `<div class="error" role="alert">${errors.map(escapeHtml).join('<br>')}</div>${editForm({ ...c, email, phone }, s.csrf)}`, s));
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      const creditCents = Math.round(credit * 100);
      if (email !== c.email) changes.email = { from: c.email, to: email };
      if (phone !== c.phone) changes.phone = { from: c.phone, to: phone };
      if (creditCents !== c.store_credit_cents) changes.store_credit_cents = { from: c.store_credit_cents, to: creditCents };
      Object.assign(c, { email, phone, store_credit_cents: creditCents });
      if (Object.keys(changes).length) audit.record('customer.updated', `customer:${c.id}`, s.user, changes);
      return redirect(`/customers/${c.id}?saved=1`);
    })
    .on('GET', '/api/customers', () => json(404, { error: 'This CRM has no API; use the web pages.' }))
    // The demo's stand-in for the associate's authenticator app: the code of a user's latest sign-in.
    .on('GET', '/_otp', (req) => {
      const code = sessions.latestCode(req.query.get('user') ?? '');
      return code ? json(200, { code }) : json(404, { error: 'No sign-in is waiting for a code for this user.' });
    })
    // Ends every session (the demo's "kill the CRM session" for the re-login case).
    .on('POST', '/_sessions/end', () => {
      sessions.endAll();
      return json(200, { ended: true });
    });

  return { name: 'crm' as const, title: 'CRM (web only)', kind: 'web' as const, router, audit, credentials: CRM_CREDENTIALS, basePath: '' };
}

function editForm(c: Customer, csrf: string): string {
  return `<form method="post" action="/customers/${c.id}/edit"><input type="hidden" name="csrf" value="${csrf}">
<label>Email <input name="email" type="email" value="${escapeHtml(c.email)}" required></label>
<label>Phone <input name="phone" value="${escapeHtml(c.phone)}"></label>
<label>Store credit <input name="store_credit" value="${(c.store_credit_cents / 100).toFixed(2)}"></label>
<button type="submit">Save</button></form>`;
}
