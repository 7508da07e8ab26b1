// Triage table: readings of tickets, looked up by ticket (current one) or by input hash (cache).
import type { Triage } from '../domain/triage.ts';
import type { Db } from './db.ts';

interface TriageRow {
  id: string;
  ticket_id: string;
  intent: string;
  confidence: number;
  rationale: string;
  alternatives: string;
  fields: string;
  model: string;
  input_hash: string;
  created_at: number;
}

function toTriage(row: TriageRow): Triage {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    intent: row.intent,
    confidence: row.confidence,
    rationale: row.rationale,
    alternatives: JSON.parse(row.alternatives) as Triage['alternatives'],
    fields: JSON.parse(row.fields) as Triage['fields'],
    model: row.model,
    createdAt: row.created_at,
  };
}

export function createTriageRepo(db: Db) {
  const insert = db.prepare(`
    INSERT INTO triage (id, ticket_id, intent, confidence, rationale, alternatives, fields, model, input_hash, created_at)
    VALUES (@id, @ticketId, @intent, @confidence, @rationale, @alternatives, @fields, @model, @inputHash, @createdAt)`);
  const current = db.prepare<[string], TriageRow>('SELECT * FROM triage WHERE ticket_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1');
  const byId = db.prepare<[string], TriageRow>('SELECT * FROM triage WHERE id = ?');

  return {
    insert(t: Triage, inputHash: string): void {
      insert.run({ ...t, alternatives: JSON.stringify(t.alternatives), fields: JSON.stringify(t.fields), inputHash });
    },
    /** The ticket's current reading, with the input hash it was made from. */
    current(ticketId: string): { triage: Triage; inputHash: string } | undefined {
      const row = current.get(ticketId);
      return row && { triage: toTriage(row), inputHash: row.input_hash };
    },
    get(id: string): Triage | undefined {
      const row = byId.get(id);
      return row && toTriage(row);
    },
  };
}
export type TriageRepo = ReturnType<typeof createTriageRepo>;
