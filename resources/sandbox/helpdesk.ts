// Helpdesk: a subset of the Zendesk Support API v2 — tickets, comments, users — with API-token auth, paging and a 429 when called too fast.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Audit, Router, basic, json, type Reply, type Request } from './kit.ts';

export interface HelpdeskOptions {
  dataDir: string;
  ticketsDir: string;
  rateLimit?: { max: number; perMs: number };
  /** Splits seeded as solved (the history a workspace learns from); the rest are new tickets. */
  solvedSplits?: readonly string[];
}

interface User {
  id: number;
  name: string;
  email: string;
  role: 'end-user' | 'agent';
}
interface Comment {
  id: number;
  author_id: number;
  body: string;
  public: boolean;
  created_at: string;
}
interface Ticket {
  id: number;
  external_id: string;
  subject: string;
  description: string;
  requester_id: number;
  status: 'new' | 'open' | 'pending' | 'solved' | 'closed';
  tags: string[];
  via: { channel: string };
  created_at: string;
  updated_at: string;
  comments: Comment[];
}

export const HELPDESK_CREDENTIALS = { email: 'maya.ortiz@support.example.com', api_token: 'hd_demo_5c1f0e7a9b2d4c68' };
const CHANNEL: Record<string, string> = { email: 'email', chat: 'chat', web: 'web', phone: 'voice' };

export function createHelpdesk(opts: HelpdeskOptions) {
  const audit = new Audit('helpdesk');
  const seed = JSON.parse(readFileSync(join(opts.dataDir, 'helpdesk.json'), 'utf8')) as { users: User[] };
  const users = new Map<number, User>(seed.users.map((u) => [u.id, { ...u }]));
  const byEmail = new Map([...users.values()].map((u) => [u.email.toLowerCase(), u]));
  const tickets = new Map<number, Ticket>();
  let nextUser = Math.max(...users.keys()) + 1;
  let nextComment = 1;

  const solved = new Set(opts.solvedSplits ?? []);
  for (const split of ['train', 'test', 'hostile']) {
    const file = `${split}.yaml`;
    const path = join(opts.ticketsDir, file);
    if (!existsSync(path)) continue;
    const doc = parse(readFileSync(path, 'utf8')) as { tickets: { id: string; subject: string; body: string; requester: { name: string; email: string }; channel: string; created_at: string }[] };
    for (const t of doc.tickets) {
      let user = byEmail.get(t.requester.email.toLowerCase());
      if (!user) {
        user = { id: nextUser++, name: t.requester.name, email: t.requester.email, role: 'end-user' };
        users.set(user.id, user);
        byEmail.set(user.email.toLowerCase(), user);
      }
      const id = 1000 + Number(t.id.replace(/\D/g, ''));
      tickets.set(id, {
        id,
        external_id: t.id,
        subject: t.subject,
        description: t.body,
        requester_id: user.id,
        // A split the workspace learns from is the team's history: those tickets were answered before Tandem, so they are
        // solved here and stay out of the queue (a model shown a ticket it learned from would be sure of it, unfairly).
        status: solved.has(split) ? 'solved' : 'new',
        tags: [],
        via: { channel: CHANNEL[t.channel] ?? 'email' },
        created_at: t.created_at,
        updated_at: t.created_at,
        comments: [{ id: nextComment++, author_id: user.id, body: t.body, public: true, created_at: t.created_at }],
      });
    }
  }

  const limit = opts.rateLimit ?? { max: 200, perMs: 10_000 };
  const hits: number[] = [];
  const agent = [...users.values()].find((u) => u.email === HELPDESK_CREDENTIALS.email)!;

  function guard(req: Request): Reply | null {
    const now = Date.now();
    while (hits.length > 0 && hits[0]! <= now - limit.perMs) hits.shift();
    if (hits.length >= limit.max) {
      const retry = Math.max(1, Math.ceil((hits[0]! + limit.perMs - now) / 1000));
      return json(429, { error: 'TooManyRequests', description: `Rate limit of ${limit.max} requests per ${limit.perMs / 1000} s exceeded` }, { 'retry-after': String(retry) });
    }
    hits.push(now);
    const auth = basic(req);
    if (!auth || auth.user !== `${HELPDESK_CREDENTIALS.email}/token` || auth.pass !== HELPDESK_CREDENTIALS.api_token) {
      return json(401, { error: 'Couldn\'t authenticate you' });
    }
    return null;
  }

  const view = (t: Ticket) => {
    const { comments: _c, ...rest } = t;
    return rest;
  };
  const find = (req: Request): Ticket | Reply => tickets.get(Number(req.params.id)) ?? json(404, { error: 'RecordNotFound', description: `Ticket ${req.params.id} not found` });

  const router = new Router()
    .on('GET', '/api/v2/tickets.json', (req) => {
      const denied = guard(req);
      if (denied) return denied;
      const perPage = Math.min(100, Math.max(1, Number(req.query.get('per_page') ?? 100)));
      const page = Math.max(1, Number(req.query.get('page') ?? 1));
      const desc = (req.query.get('sort_order') ?? 'asc') === 'desc';
      const all = [...tickets.values()].sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id - b.id) * (desc ? -1 : 1));
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const nextUrl = (p: number) => {
        const q = new URLSearchParams(req.query);
        q.set('page', String(p));
        return `http://${req.headers.host}/api/v2/tickets.json?${q.toString()}`;
      };
      const body: Record<string, unknown> = {
        tickets: slice.map(view),
        count: all.length,
        next_page: page * perPage < all.length ? nextUrl(page + 1) : null,
        previous_page: page > 1 ? nextUrl(page - 1) : null,
      };
      if ((req.query.get('include') ?? '').split(',').includes('users')) body.users = [...new Set(slice.map((t) => t.requester_id))].map((id) => users.get(id));
      return json(200, body);
    })
    // Zendesk's cursor-based incremental export: every ticket changed at or after start_time (Unix seconds), oldest change first.
    .on('GET', '/api/v2/incremental/tickets/cursor.json', (req) => {
      const denied = guard(req);
      if (denied) return denied;
      const perPage = Math.min(1000, Math.max(1, Number(req.query.get('per_page') ?? 1000)));
      let start: number;
      let offset = 0;
      const cursor = req.query.get('cursor');
      if (cursor) {
        const m = /^(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
        if (!m) return json(400, { error: 'InvalidCursor', description: 'The cursor is not one this helpdesk issued' });
        start = Number(m[1]);
        offset = Number(m[2]);
      } else {
        const raw = req.query.get('start_time');
        if (raw === null || !/^\d+$/.test(raw)) return json(400, { error: 'InvalidValue', description: 'start_time (Unix seconds) is required' });
        start = Number(raw);
      }
      const all = [...tickets.values()]
        .filter((t) => Date.parse(t.updated_at) >= start * 1000)
        .sort((a, b) => (a.updated_at < b.updated_at ? -1 : a.updated_at > b.updated_at ? 1 : a.id - b.id));
      const slice = all.slice(offset, offset + perPage);
      const end = offset + perPage >= all.length;
      const after = Buffer.from(`${start}:${offset + slice.length}`).toString('base64url');
      const body: Record<string, unknown> = {
        tickets: slice.map(view),
        after_cursor: after,
        after_url: `http://${req.headers.host}/api/v2/incremental/tickets/cursor.json?cursor=${after}${req.query.get('include') ? `&include=${req.query.get('include')}` : ''}&per_page=${perPage}`,
        before_cursor: null,
        end_of_stream: end,
      };
      if ((req.query.get('include') ?? '').split(',').includes('users')) body.users = [...new Set(slice.map((t) => t.requester_id))].map((id) => users.get(id));
      return json(200, body);
    })
    .on('GET', '/api/v2/tickets/:id.json', (req) => {
      const denied = guard(req);
      if (denied) return denied;
      const t = find(req);
      return 'status' in t && 'json' in t ? t : json(200, { ticket: view(t as Ticket) });
    })
    .on('GET', '/api/v2/tickets/:id/comments.json', (req) => {
      const denied = guard(req);
      if (denied) return denied;
      const t = find(req);
      return 'json' in t ? t : json(200, { comments: (t as Ticket).comments });
    })
    .on('PUT', '/api/v2/tickets/:id.json', (req) => {
      const denied = guard(req);
      if (denied) return denied;
      const found = find(req);
      if ('json' in found) return found;
      const t = found as Ticket;
      const change = (req.body.ticket ?? {}) as { status?: Ticket['status']; tags?: string[]; comment?: { body?: string; public?: boolean } };
      const events: Record<string, unknown>[] = [];
      if (change.comment?.body) {
        const c: Comment = { id: nextComment++, author_id: agent.id, body: change.comment.body, public: change.comment.public !== false, created_at: new Date().toISOString() };
        t.comments.push(c);
        events.push({ id: c.id, type: 'Comment', body: c.body, public: c.public });
        audit.record(c.public ? 'ticket.reply' : 'ticket.note', `ticket:${t.id}`, agent.email, { comment_id: c.id, body: c.body });
      }
      if (change.status && change.status !== t.status) {
        if (!['new', 'open', 'pending', 'solved', 'closed'].includes(change.status)) return json(422, { error: 'RecordInvalid', description: `Status ${change.status} is not valid` });
        events.push({ type: 'Change', field_name: 'status', previous_value: t.status, value: change.status });
        audit.record('ticket.status', `ticket:${t.id}`, agent.email, { from: t.status, to: change.status });
        t.status = change.status;
      }
      if (change.tags) {
        t.tags = [...new Set(change.tags)];
        audit.record('ticket.tags', `ticket:${t.id}`, agent.email, { tags: t.tags });
      }
      t.updated_at = new Date().toISOString();
      return json(200, { ticket: view(t), audit: { ticket_id: t.id, author_id: agent.id, events } });
    })
    .on('GET', '/api/v2/users/:id.json', (req) => {
      const denied = guard(req);
      if (denied) return denied;
      const u = users.get(Number(req.params.id));
      return u ? json(200, { user: u }) : json(404, { error: 'RecordNotFound', description: `User ${req.params.id} not found` });
    });

  return { name: 'helpdesk' as const, title: 'Helpdesk (Zendesk API)', kind: 'api' as const, router, audit, credentials: HELPDESK_CREDENTIALS, basePath: '/api/v2' };
}
