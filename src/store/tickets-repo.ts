// Tickets table: import from sources (idempotent by source + external id), list with their current triage and its verdict, state changes.
import type { Ticket, TicketState } from '../domain/ticket.ts';
import type { Db } from './db.ts';

export interface TicketRow {
  id: string;
  source: string;
  external_id: string;
  subject: string;
  body: string;
  requester_name: string;
  requester_email: string;
  channel: Ticket['channel'];
  created_at: number;
  state: TicketState;
  content_hash: string;
}

export interface TicketListRow extends TicketRow {
  /** The current reading's intent and confidence (the model's suggestion). */
  intent: string | null;
  confidence: number | null;
  /** The associate's verdict on the current reading and the intent it settled on, when there is one. */
  verdict: 'accepted' | 'overridden' | null;
  final_intent: string | null;
}

export interface NewTicket extends Omit<Ticket, 'state'> {
  contentHash: string;
}

export function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    source: row.source,
    externalId: row.external_id,
    subject: row.subject,
    body: row.body,
    requester: { name: row.requester_name, email: row.requester_email },
    channel: row.channel,
    createdAt: row.created_at,
    state: row.state,
  };
}

export function createTicketsRepo(db: Db) {
  const upsert = db.prepare<[Record<string, unknown>]>(`
    INSERT INTO tickets (id, source, external_id, subject, body, requester_name, requester_email, channel, created_at, content_hash, imported_at)
    VALUES (@id, @source, @externalId, @subject, @body, @requesterName, @requesterEmail, @channel, @createdAt, @contentHash, @now)
    ON CONFLICT (source, external_id) DO UPDATE SET
      subject = excluded.subject, body = excluded.body, requester_name = excluded.requester_name,
      requester_email = excluded.requester_email, channel = excluded.channel, content_hash = excluded.content_hash
    WHERE tickets.content_hash <> excluded.content_hash`);
  const byId = db.prepare<[string], TicketRow>('SELECT * FROM tickets WHERE id = ?');
  const list = db.prepare<[{ state: string | null; query: string | null }], TicketListRow>(`
    SELECT t.*, tr.intent, tr.confidence, d.verdict, d.final AS final_intent
    FROM tickets t
    LEFT JOIN triage tr ON tr.id = (SELECT id FROM triage WHERE ticket_id = t.id ORDER BY created_at DESC, rowid DESC LIMIT 1)
    LEFT JOIN decisions d ON d.kind = 'triage' AND d.triage_id = tr.id
    WHERE (@state IS NULL OR t.state = @state)
      AND (@query IS NULL OR t.subject LIKE @query ESCAPE '\\' OR t.requester_email LIKE @query ESCAPE '\\' OR t.requester_name LIKE @query ESCAPE '\\')
    ORDER BY t.created_at DESC, t.id`);
  const setState = db.prepare<[TicketState, string]>('UPDATE tickets SET state = ? WHERE id = ?');

  return {
    upsertMany(tickets: readonly NewTicket[], now: number): number {
      let changed = 0;
      db.transaction(() => {
        for (const t of tickets) {
          changed += upsert.run({
            id: t.id,
            source: t.source,
            externalId: t.externalId,
            subject: t.subject,
            body: t.body,
            requesterName: t.requester.name,
            requesterEmail: t.requester.email,
            channel: t.channel,
            createdAt: t.createdAt,
            contentHash: t.contentHash,
            now,
          }).changes;
        }
      })();
      return changed;
    },
    get(id: string): TicketRow | undefined {
      return byId.get(id);
    },
    list(filter: { state?: TicketState | undefined; query?: string | undefined }): TicketListRow[] {
      const query = filter.query?.trim() ? `%${filter.query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
      return list.all({ state: filter.state ?? null, query });
    },
    setState(id: string, state: TicketState): void {
      setState.run(state, id);
    },
  };
}
export type TicketsRepo = ReturnType<typeof createTicketsRepo>;
