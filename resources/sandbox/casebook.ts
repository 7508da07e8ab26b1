// Casebook: a small helpdesk shaped nothing like Zendesk — the list gives only case refs, the text sits in a thread
// behind a second call, base64-encoded — to prove a new helpdesk takes one YAML file and no code.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Audit, Router, json, type Reply, type Request } from './kit.ts';

export interface CasebookOptions {
  ticketsDir: string;
  /** How many of the demo's training tickets become cases (small on purpose). */
  cases?: number;
  rateLimit?: { max: number; perMs: number };
}

interface Entry {
  id: string;
  direction: 'in' | 'out' | 'internal';
  encoding: 'base64';
  content: string;
  at: number;
}
interface Case {
  ref: string;
  title: string;
  state: 'open' | 'waiting' | 'closed';
  contact: { display_name: string; mail: string };
  origin: 'EMAIL' | 'LIVECHAT' | 'WEBFORM' | 'CALL';
  opened_at: number;
  modified_at: number;
  thread: Entry[];
}

export const CASEBOOK_CREDENTIALS = { api_key: 'cb_demo_71e4a09c5d2f8b36' };
const ORIGIN: Record<string, Case['origin']> = { email: 'EMAIL', chat: 'LIVECHAT', web: 'WEBFORM', phone: 'CALL' };
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export function createCasebook(opts: CasebookOptions) {
  const audit = new Audit('casebook');
  const cases = new Map<string, Case>();
  let nextEntry = 1;
  let clock = 0;
  const file = join(opts.ticketsDir, 'train.yaml');
  if (existsSync(file)) {
    const doc = parse(readFileSync(file, 'utf8')) as { tickets: { id: string; subject: string; body: string; requester: { name: string; email: string }; channel: string; created_at: string }[] };
    for (const [i, t] of doc.tickets.slice(0, opts.cases ?? 25).entries()) {
      const ref = `CB-${String(1001 + i)}`;
      const at = Date.parse(t.created_at);
      clock = Math.max(clock, at);
      cases.set(ref, {
        ref,
        title: t.subject,
        state: 'open',
        contact: { display_name: t.requester.name, mail: t.requester.email },
        origin: ORIGIN[t.channel] ?? 'EMAIL',
        opened_at: at,
        modified_at: at,
        thread: [{ id: `e${nextEntry++}`, direction: 'in', encoding: 'base64', content: b64(t.body), at }],
      });
    }
  }
  // Changes are stamped after every seeded case, and never twice with the same time, so "changed since" is exact.
  const stamp = () => (clock = Math.max(clock + 1, Date.now()));

  const limit = opts.rateLimit ?? { max: 200, perMs: 10_000 };
  const hits: number[] = [];
  function guard(req: Request): Reply | null {
    const now = Date.now();
    while (hits.length > 0 && hits[0]! <= now - limit.perMs) hits.shift();
    if (hits.length >= limit.max) {
      return json(429, { fault: 'slow_down', detail: 'Too many requests' }, { 'retry-after': String(Math.max(1, Math.ceil((hits[0]! + limit.perMs - now) / 1000))) });
    }
    hits.push(now);
    if (req.headers['x-casebook-key'] !== CASEBOOK_CREDENTIALS.api_key) return json(401, { fault: 'unauthorized', detail: 'Missing or wrong X-Casebook-Key' });
    return null;
  }
  const find = (req: Request): Case | Reply => cases.get(req.params.ref ?? '') ?? json(404, { fault: 'no_such_case', detail: `No case ${req.params.ref}` });
  const isReply = (v: Case | Reply): v is Reply => 'status' in v && typeof v.status === 'number';
  const view = (c: Case) => ({ ref: c.ref, title: c.title, state: c.state, contact: c.contact, origin: c.origin, opened_at: c.opened_at, modified_at: c.modified_at });

  const router = new Router()
    // Only references: what changed since a time, oldest change first, an opaque cursor for the next page.
    .on('GET', '/api/v1/cases', (req) => {
      const denied = guard(req);
      if (denied) return denied;
      const size = Math.min(50, Math.max(1, Number(req.query.get('limit') ?? 10)));
      const since = req.query.get('changed_since');
      const sinceMs = since ? Date.parse(since) : 0;
      if (Number.isNaN(sinceMs)) return json(400, { fault: 'bad_request', detail: 'changed_since must be an ISO 8601 time' });
      const offset = req.query.get('cursor') ? Number(Buffer.from(req.query.get('cursor')!, 'base64url').toString('utf8')) : 0;
      if (!Number.isInteger(offset) || offset < 0) return json(400, { fault: 'bad_request', detail: 'Unknown cursor' });
      const all = [...cases.values()].filter((c) => c.modified_at > sinceMs).sort((a, b) => a.modified_at - b.modified_at || a.ref.localeCompare(b.ref));
      const page = all.slice(offset, offset + size);
      const more = offset + size < all.length;
      return json(200, { results: page.map((c) => ({ ref: c.ref })), next_cursor: more ? Buffer.from(String(offset + size)).toString('base64url') : null });
    })
    .on('GET', '/api/v1/cases/:ref', (req) => {
      const denied = guard(req);
      if (denied) return denied;
      const c = find(req);
      return isReply(c) ? c : json(200, view(c));
    })
    .on('GET', '/api/v1/cases/:ref/thread', (req) => {
      const denied = guard(req);
      if (denied) return denied;
      const c = find(req);
      return isReply(c) ? c : json(200, { entries: c.thread });
    })
    .on('POST', '/api/v1/cases/:ref/thread', (req) => {
      const denied = guard(req);
      if (denied) return denied;
      const c = find(req);
      if (isReply(c)) return c;
      const direction = req.body.direction;
      const content = req.body.content;
      if ((direction !== 'out' && direction !== 'internal') || typeof content !== 'string' || req.body.encoding !== 'base64') {
        return json(422, { fault: 'invalid', detail: 'Send {direction: out|internal, encoding: base64, content}' });
      }
      const text = Buffer.from(content, 'base64').toString('utf8');
      const e: Entry = { id: `e${nextEntry++}`, direction, encoding: 'base64', content, at: stamp() };
      c.thread.push(e);
      c.modified_at = e.at;
      audit.record(direction === 'out' ? 'case.reply' : 'case.note', `case:${c.ref}`, 'api', { entry: e.id, text });
      return json(201, { entry: { id: e.id } });
    })
    .on('POST', '/api/v1/cases/:ref/state', (req) => {
      const denied = guard(req);
      if (denied) return denied;
      const c = find(req);
      if (isReply(c)) return c;
      const state = req.body.state;
      if (state !== 'open' && state !== 'waiting' && state !== 'closed') return json(422, { fault: 'invalid', detail: `State ${String(state)} is not open, waiting or closed` });
      audit.record('case.state', `case:${c.ref}`, 'api', { from: c.state, to: state });
      c.state = state;
      c.modified_at = stamp();
      return json(200, view(c));
    });

  return { name: 'casebook' as const, title: 'Casebook (a second helpdesk, refs-only API)', kind: 'api' as const, router, audit, credentials: CASEBOOK_CREDENTIALS, basePath: '/api/v1' };
}
