// Reads the ticket queue from a Zendesk-compatible helpdesk: paginated, requesters sideloaded or fetched once each.
import { TandemError } from '../../domain/errors.ts';
import { httpRequest, type HttpConnector, type HttpDeps } from '../http/http-client.ts';

export interface SourceTicket {
  externalId: string;
  subject: string;
  body: string;
  requester: { name: string; email: string };
  channel: 'email' | 'chat' | 'web' | 'phone';
  createdAt: number;
  status: string;
}

interface ZendeskTicket {
  id: number;
  subject: string | null;
  description: string | null;
  requester_id: number;
  status: string;
  created_at: string;
  via?: { channel?: string };
}
interface ZendeskUser {
  id: number;
  name: string;
  email: string | null;
}
interface ZendeskPage {
  tickets: ZendeskTicket[];
  users?: ZendeskUser[];
  next_page?: string | null;
  meta?: { has_more?: boolean };
  links?: { next?: string | null };
}

const OPEN_STATUSES = new Set(['new', 'open', 'pending']);
const MAX_PAGES = 500;

export async function fetchZendeskQueue(connector: HttpConnector, deps: HttpDeps, signal?: AbortSignal): Promise<SourceTicket[]> {
  const users = new Map<number, ZendeskUser>();
  const tickets: ZendeskTicket[] = [];
  let path: string | null = 'tickets.json';
  let query: Record<string, string | number> | undefined = { per_page: 100, include: 'users', sort_by: 'created_at', sort_order: 'desc' };
  for (let page = 0; path && page < MAX_PAGES; page++) {
    const res: { body: ZendeskPage } = await httpRequest<ZendeskPage>(connector, { method: 'GET', path, ...(query ? { query } : {}), ...(signal ? { signal } : {}), describe: 'ticket list' }, deps);
    if (!res.body || !Array.isArray(res.body.tickets)) {
      throw new TandemError('connector_rejected', `${connector.title} answered the ticket list with something that is not a Zendesk ticket page.`, {
        hint: 'Check that the connector’s base URL points at the helpdesk API (…/api/v2).',
      });
    }
    tickets.push(...res.body.tickets);
    for (const u of res.body.users ?? []) users.set(u.id, u);
    const next = res.body.links?.next ?? res.body.next_page ?? null;
    const more = res.body.meta?.has_more ?? next !== null;
    path = more && next ? relativeTo(connector.baseUrl, next) : null;
    query = undefined; // the next link carries its own query
  }
  // Requesters the page did not sideload are fetched once each.
  for (const id of new Set(tickets.map((t) => t.requester_id))) {
    if (users.has(id)) continue;
    const res = await httpRequest<{ user: ZendeskUser }>(connector, { method: 'GET', path: `users/${id}.json`, describe: `user ${id}`, ...(signal ? { signal } : {}) }, deps);
    users.set(id, res.body.user);
  }
  return tickets
    .filter((t) => OPEN_STATUSES.has(t.status))
    .map((t) => {
      const user = users.get(t.requester_id);
      return {
        externalId: String(t.id),
        subject: t.subject ?? '',
        body: t.description ?? '',
        requester: { name: user?.name || user?.email || `User ${t.requester_id}`, email: user?.email ?? 'unknown@invalid' },
        channel: channelOf(t.via?.channel),
        createdAt: Date.parse(t.created_at),
        status: t.status,
      };
    });
}

function channelOf(via: string | undefined): SourceTicket['channel'] {
  switch (via) {
    case 'chat':
    case 'messaging':
      return 'chat';
    case 'voice':
    case 'phone':
      return 'phone';
    case 'web':
    case 'api':
      return 'web';
    default:
      return 'email';
  }
}

/** Next-page links are absolute; the client wants them relative to the connector's base URL. */
function relativeTo(base: string, next: string): string {
  const b = new URL(base.endsWith('/') ? base : `${base}/`);
  const n = new URL(next, b);
  if (n.origin !== b.origin || !n.pathname.startsWith(b.pathname)) {
    throw new TandemError('connector_rejected', `The helpdesk's next-page link leaves its own address (${n.origin}).`, { hint: 'Check the connector’s base URL.' });
  }
  return `${n.pathname.slice(b.pathname.length)}${n.search}`;
}
