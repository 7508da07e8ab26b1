// createApp(): wires store, workspace and triage together and implements every command of the contract.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import type { Handlers, IntentInfo, TicketDetail } from '../contract/index.ts';
import { TandemError, toErrorShape, type ErrorShape } from '../domain/errors.ts';
import { fetchZendeskQueue, type SourceTicket } from '../connectors/sources/zendesk-source.ts';
import { toHttpConnector, type SandboxAddresses } from '../connectors/resolve.ts';
import { createMemoryStore, type SecretStore } from '../vault/secret-store.ts';
import type { Ticket } from '../domain/ticket.ts';
import { openDatabase, type Db } from '../store/db.ts';
import { createDecisionsRepo } from '../store/decisions-repo.ts';
import { createTicketsRepo, toTicket, type NewTicket } from '../store/tickets-repo.ts';
import { createTriageRepo } from '../store/triage-repo.ts';
import { createLocalTriager, type Triager } from '../triage/local-triage.ts';
import { loadWorkspace, type Workspace, type WorkspaceTicket } from '../workspace/load.ts';
import { dispatch } from './dispatch.ts';
import { createEventBus, type EventBus } from './events.ts';
import { DATABASE_FILE } from './paths.ts';
import { decideTriage } from './triage-verdicts.ts';

export interface AppOptions {
  dataDir: string;
  workspaceDir: string;
  host: 'electron' | 'headless';
  version: string;
  /** The associate's name as recorded in decisions; defaults to the OS account name. */
  user?: string;
  migrationsDir?: string;
  now?: () => number;
  /** Where secrets live; defaults to memory (tests, or a host that opened no keychain). */
  vault?: SecretStore;
  /** Addresses of the demo sandbox's systems, for connectors that say `sandbox: <system>`. */
  sandbox?: SandboxAddresses;
  fetch?: typeof fetch;
}

export interface App {
  readonly handlers: Handlers;
  readonly events: EventBus;
  readonly workspace: Workspace;
  readonly db: Db;
  readonly vault: SecretStore;
  /** Reads every remote source (helpdesks) and triages what is new; files sources are read at start. */
  sync(signal?: AbortSignal): Promise<{ source: string; imported: number; error: ErrorShape | null }[]>;
  invoke(name: string, input: unknown): ReturnType<typeof dispatch>;
  close(): void;
}

export function createApp(options: AppOptions): App {
  const now = options.now ?? Date.now;
  const user = options.user ?? safeUserName();
  const dbFile = join(options.dataDir, DATABASE_FILE);
  const db = openDatabase(dbFile, options.migrationsDir ? { migrationsDir: options.migrationsDir } : {});
  const events = createEventBus();
  const tickets = createTicketsRepo(db);
  const triage = createTriageRepo(db);
  const decisions = createDecisionsRepo(db);

  let workspace: Workspace;
  try {
    workspace = loadWorkspace(options.workspaceDir);
  } catch (err) {
    db.close();
    throw err;
  }
  const triager: Triager = createLocalTriager(workspace.maps, workspace.mapsVersion);
  const intents: IntentInfo[] = workspace.maps.map((m) => ({ intent: m.id, title: m.intent.title, description: m.intent.description }));
  const knownIntents = new Set(intents.map((i) => i.intent));

  const vault = options.vault ?? createMemoryStore(null);
  tickets.upsertMany(workspace.tickets.map(fileTicket), now());
  triageStale();

  async function sync(signal?: AbortSignal) {
    const results: { source: string; imported: number; error: ErrorShape | null }[] = [];
    for (const source of workspace.settings.sources) {
      if (source.type !== 'zendesk') continue;
      let result: (typeof results)[number];
      try {
        const file = workspace.connectors.find((c) => c.id === source.connector);
        if (!file || file.type !== 'http') throw new TandemError('workspace_invalid', `Source ${source.id} needs an http connector "${source.connector}".`, { hint: 'Fix tandem.yaml or add the connector.' });
        const connector = toHttpConnector(file, options.sandbox ?? {});
        const fetched = await fetchZendeskQueue(connector, { vault, ...(options.fetch ? { fetch: options.fetch } : {}) }, signal);
        const imported = tickets.upsertMany(fetched.map((t) => remoteTicket(source.id, t)), now());
        triageStale();
        result = { source: source.id, imported, error: null };
      } catch (err) {
        // A helpdesk that is down leaves the queue as it was; the associate sees why and can refresh later.
        result = { source: source.id, imported: 0, error: toErrorShape(err) };
      }
      results.push(result);
      events.emit('queue.synced', result);
    }
    return results;
  }

  /** Triage every ticket whose current reading was made from other content, maps or model; the same input is never read twice. */
  function triageStale(): void {
    db.transaction(() => {
      for (const row of tickets.list({})) {
        const ticket = toTicket(row);
        ensureTriage(ticket);
      }
    })();
  }

  function ensureTriage(ticket: Ticket) {
    const hash = triager.inputHash(ticket);
    const current = triage.current(ticket.id);
    if (current && current.inputHash === hash) return current.triage;
    const t = triager.triage(ticket, now());
    triage.insert(t, hash);
    if (ticket.state === 'new') tickets.setState(ticket.id, 'triaged');
    return t;
  }

  const handlers: Handlers = {
    'app.info': () => ({
      version: options.version,
      host: options.host,
      user,
      dataDir: options.dataDir,
      workspace: { path: workspace.root, name: workspace.settings.name, escalateBelow: workspace.settings.triage.escalate_below, problems: workspace.problems },
    }),
    'tickets.list': (input) =>
      tickets.list(input).map((r) => ({
        id: r.id,
        subject: r.subject,
        requester: { name: r.requester_name, email: r.requester_email },
        channel: r.channel,
        createdAt: r.created_at,
        state: r.state,
        intent: r.intent,
        confidence: r.confidence,
      })),
    'tickets.get': ({ id }): TicketDetail => {
      const row = tickets.get(id);
      if (!row) throw new TandemError('not_found', `Ticket ${id} is not in this workspace.`, { hint: 'It may have been removed from its source; reload the inbox.' });
      const ticket = toTicket(row);
      const current = ensureTriage(ticket);
      const fresh = toTicket(tickets.get(id) ?? row);
      return { ticket: fresh, triage: current, decisions: decisions.list({ ticketId: id }) };
    },
    'intents.list': () => intents,
    'triage.decide': (input) => {
      const { decision, created } = decideTriage({ db, tickets, triage, decisions, knownIntents: () => knownIntents }, input, user, now());
      if (created) {
        events.emit('decision.recorded', decision);
        events.emit('ticket.changed', { ticketId: decision.ticketId, state: 'in_progress' });
      }
      return decision;
    },
    'tickets.refresh': async () => ({ sources: await sync() }),
    'decisions.list': (input) => decisions.list(input),
  };

  return {
    handlers,
    events,
    workspace,
    db,
    vault,
    sync,
    invoke: (name, input) => dispatch(handlers, name, input),
    close: () => db.close(),
  };
}

function fileTicket(t: WorkspaceTicket): NewTicket {
  const createdAt = t.created_at instanceof Date ? t.created_at.getTime() : Date.parse(t.created_at);
  return withHash({ id: `${t.source}:${t.id}`, source: t.source, externalId: t.id, subject: t.subject, body: t.body, requester: t.requester, channel: t.channel, createdAt });
}

function remoteTicket(source: string, t: SourceTicket): NewTicket {
  return withHash({ id: `${source}:${t.externalId}`, source, externalId: t.externalId, subject: t.subject, body: t.body, requester: t.requester, channel: t.channel, createdAt: t.createdAt });
}

function withHash(t: Omit<NewTicket, 'contentHash'>): NewTicket {
  return { ...t, contentHash: createHash('sha256').update(JSON.stringify([t.subject, t.body, t.requester, t.channel])).digest('hex') };
}

function safeUserName(): string {
  try {
    return userInfo().username || 'associate';
  } catch {
    return 'associate';
  }
}
