// A ticket source read from its YAML definition: pages the list, follows each item's further calls, maps items to tickets, and posts replies, notes and statuses.
import { z } from 'zod';
import { TandemError } from '../../domain/errors.ts';
import { evaluate, render } from '../../maps/expressions.ts';
import type { HttpConnector } from '../http/http-client.ts';
import type { OperationName, SourceDefinition } from './definition.ts';
import { runSteps, sendBlock, truthy, type HttpResult, type StepRunDeps } from './http-steps.ts';

export interface SourceTicket {
  externalId: string;
  subject: string;
  body: string;
  requester: { name: string; email: string };
  channel: 'email' | 'chat' | 'web' | 'phone';
  createdAt: number;
}

export interface ListResult {
  tickets: SourceTicket[];
  /** The latest change seen (ISO 8601), to pass as `since` next time; null when the source has no `updated_at`. */
  since: string | null;
  /** Items that could not be read, by position ("page 2, item 4: ..."); the rest are imported. */
  problems: string[];
  pages: number;
  /** Stopped at max_pages; the rest comes with the next sync. */
  truncated: boolean;
}

const CHANNELS = new Set(['email', 'chat', 'web', 'phone']);
const MappedTicket = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  subject: z.string(),
  body: z.string(),
  requester_name: z.string().min(1),
  requester_email: z.string().email(),
  channel: z.unknown().optional(),
  created_at: z.union([z.string(), z.number()]),
});

/** Reads every page of the list, and every item's further calls, into tickets. */
export async function listTickets(def: SourceDefinition, since: string | null, deps: StepRunDeps): Promise<ListResult> {
  const { list } = def;
  const tickets: SourceTicket[] = [];
  const problems: string[] = [];
  let latest = since ? Date.parse(since) : Number.NEGATIVE_INFINITY;
  const base = deps.connector(list.request.connector);
  const pageNumber0 = list.next && 'page_param' in list.next ? list.next.start : 1;
  let overrides: { path?: string; query?: Record<string, string> } = {};
  let firstQuery: Record<string, string> | undefined;
  let pages = 0;
  let truncated = false;

  for (let n = 0; n < list.max_pages; n++) {
    const page = { number: pageNumber0 + n, index: n };
    const context = { since, page };
    const where = `The list request of ${def.title} (page ${n + 1})`;
    if (list.next && 'page_param' in list.next) {
      firstQuery ??= (await renderQuery(def, context, where)) ?? {};
      overrides = { query: { ...firstQuery, [list.next.page_param]: String(page.number) } };
    }
    const response = await sendBlock(list.request, context, deps, where, overrides);
    pages++;
    const scope = { response, since, page };
    const rawItems = await evaluate(list.items, scope, `The items of ${def.title}'s list`);
    if (rawItems !== undefined && rawItems !== null && !Array.isArray(rawItems) && typeof rawItems !== 'object') {
      throw new TandemError('connector_rejected', `${def.title}'s list answered something that holds no items (\`items: ${list.items}\` gave ${typeof rawItems}).`, {
        hint: 'Check that the connector points at the helpdesk API and that `items` names the list in its answer.',
      });
    }
    // JSONata gives one object, not a one-element array, when a path matches once.
    const items = rawItems === undefined || rawItems === null ? [] : Array.isArray(rawItems) ? rawItems : [rawItems];
    for (const [i, item] of items.entries()) {
      const at = `page ${n + 1}, item ${i + 1}`;
      try {
        const steps = def.each.length > 0 ? await runSteps(def.each, { item, response, since }, deps, `${def.title} (${at})`) : {};
        const itemScope = { item, steps, response, since };
        if (list.updated_at) {
          const changed = toMillis(await evaluate(list.updated_at, itemScope, `updated_at of ${def.title}`));
          if (changed !== null && changed > latest) latest = changed;
        }
        if (def.include && !truthy(await evaluate(def.include, itemScope, `include of ${def.title}`))) continue;
        tickets.push(await mapTicket(def, itemScope));
      } catch (err) {
        // A helpdesk that is down or refusing stops the sync; one odd item does not.
        if (err instanceof TandemError && err.code !== 'bad_input') throw err;
        problems.push(`${at}: ${(err as Error).message}`);
      }
    }

    const next = list.next;
    if (!next) break;
    if (list.until && truthy(await evaluate(list.until, { ...scope, items }, `until of ${def.title}'s list`))) break;
    if ('link' in next) {
      const link = await evaluate(next.link, { ...scope, items }, `next.link of ${def.title}'s list`);
      if (typeof link !== 'string' || link === '') break;
      overrides = { path: relativeTo(base, link), query: {} };
    } else if ('query' in next) {
      if (items.length === 0) break;
      firstQuery ??= (await renderQuery(def, context, where)) ?? {};
      const more: Record<string, string> = {};
      for (const [k, v] of Object.entries(next.query)) {
        const value = await evaluate(stripBraces(v), { ...scope, items }, `next.query.${k} of ${def.title}'s list`);
        if (value !== undefined && value !== null && value !== '') more[k] = String(value);
      }
      if (Object.keys(more).length === 0) break;
      overrides = { query: { ...firstQuery, ...more } };
    } else if (items.length === 0) break;
    // Pages come oldest change first, so what was read is kept and the next sync goes on from there.
    if (n === list.max_pages - 1) truncated = true;
  }
  return { tickets, since: Number.isFinite(latest) ? new Date(latest).toISOString() : since, problems, pages, truncated };
}

async function renderQuery(def: SourceDefinition, context: object, where: string): Promise<Record<string, string> | undefined> {
  if (!def.list.request.query) return undefined;
  const q = (await render(def.list.request.query, context, `${where} query`)) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') out[k] = String(v);
  return out;
}

async function mapTicket(def: SourceDefinition, scope: object): Promise<SourceTicket> {
  const raw: Record<string, unknown> = {};
  for (const [name, expr] of Object.entries(def.ticket)) {
    raw[name] = await evaluate(expr, scope, `ticket.${name} of ${def.title}`);
  }
  const parsed = MappedTicket.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.');
    throw new TandemError('bad_input', `ticket.${field} (${def.ticket[field as keyof SourceDefinition['ticket']] ?? ''}) gave ${JSON.stringify(raw[field]) ?? 'nothing'}: ${issue.message}`);
  }
  const t = parsed.data;
  const createdAt = toMillis(t.created_at);
  if (createdAt === null) throw new TandemError('bad_input', `ticket.created_at gave ${JSON.stringify(t.created_at)}, which is not a date`);
  const channel = typeof t.channel === 'string' && CHANNELS.has(t.channel) ? (t.channel as SourceTicket['channel']) : 'email';
  return { externalId: t.id, subject: t.subject, body: t.body, requester: { name: t.requester_name, email: t.requester_email }, channel, createdAt };
}

export interface OperationInput {
  ticket: { id: string; external_id: string; subject: string; requester: { name: string; email: string } };
  /** reply and note: the text; set_status: the new status. */
  body?: string;
  status?: string;
}

/** Posts a reply, a note or a status change through the source's operation; its `result` names what came back. */
export async function runOperation(def: SourceDefinition, name: OperationName, input: OperationInput, deps: StepRunDeps): Promise<Record<string, unknown>> {
  const op = def.operations[name];
  if (!op) {
    throw new TandemError('not_supported', `${def.title} has no \`${name}\` operation in its source definition.`, {
      hint: `Add operations.${name} to the source's YAML, or do this by hand in the helpdesk.`,
    });
  }
  const context = { ...input };
  const steps = await runSteps(op.steps, context, deps, `${def.title}'s ${name}`);
  const out: Record<string, unknown> = {};
  for (const [k, expr] of Object.entries(op.result)) out[k] = (await evaluate(expr, { ...context, steps }, `result.${k} of ${def.title}'s ${name}`)) ?? null;
  return out;
}

export function toMillis(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v !== '') {
    const ms = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}

/** `next.query` values may be written as `{{ expr }}` like everywhere else, or as the bare expression. */
function stripBraces(v: string): string {
  const m = /^\s*\{\{([\s\S]+)\}\}\s*$/.exec(v);
  return m ? m[1]!.trim() : v;
}

/** A next-page link, absolute or not, as a path under the connector's base URL; a link elsewhere is refused. */
export function relativeTo(connector: HttpConnector, next: string): string {
  const base = connector.baseUrl;
  const b = new URL(base.endsWith('/') ? base : `${base}/`);
  const n = new URL(next, b);
  if (n.origin !== b.origin || !n.pathname.startsWith(b.pathname)) {
    throw new TandemError('connector_rejected', `${connector.title}'s next-page link leaves its own address (${n.origin}${n.pathname}).`, { hint: 'Check the connector’s base URL.' });
  }
  return `${n.pathname.slice(b.pathname.length)}${n.search}`;
}

export type { HttpResult };
