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
  details: string;
  prompt_tokens: number;
  completion_tokens: number;
  cost_micros: number;
}

/** The optional parts of a reading (a model's extras) kept as one JSON column; usage has its own columns. */
const DETAIL_KEYS = ['intents', 'sources', 'language', 'urgency', 'sentiment', 'escalation', 'notices', 'precedent', 'rawConfidence'] as const;

function toTriage(row: TriageRow): Triage {
  const { calls, ...details } = JSON.parse(row.details) as Partial<Triage> & { calls?: number };
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
    ...details,
    ...(calls ? { usage: { promptTokens: row.prompt_tokens, completionTokens: row.completion_tokens, costMicros: row.cost_micros, calls } } : {}),
  };
}

function detailsOf(t: Triage): string {
  const out: Record<string, unknown> = {};
  for (const k of DETAIL_KEYS) if (t[k] !== undefined) out[k] = t[k];
  if (t.usage) out.calls = t.usage.calls;
  return JSON.stringify(out);
}

export function createTriageRepo(db: Db) {
  const insert = db.prepare(`
    INSERT INTO triage (id, ticket_id, intent, confidence, rationale, alternatives, fields, model, input_hash, created_at, details, prompt_tokens, completion_tokens, cost_micros)
    VALUES (@id, @ticketId, @intent, @confidence, @rationale, @alternatives, @fields, @model, @inputHash, @createdAt, @details, @promptTokens, @completionTokens, @costMicros)`);
  const current = db.prepare<[string], TriageRow>('SELECT * FROM triage WHERE ticket_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1');
  const byId = db.prepare<[string], TriageRow>('SELECT * FROM triage WHERE id = ?');
  // What a language model said and whether a person accepted it, newest first: what its confidence is calibrated on.
  // Readings it could not give (invalid output: confidence 0) say nothing about its confidence and are left out.
  const llmVerdicts = db.prepare<[number], { confidence: number; correct: number }>(`
    SELECT COALESCE(json_extract(t.details, '$.rawConfidence'), t.confidence) AS confidence, d.verdict = 'accepted' AS correct
    FROM decisions d JOIN triage t ON t.id = d.triage_id
    WHERE d.kind = 'triage' AND t.model LIKE 'llm:%' AND t.confidence > 0
    ORDER BY d.seq DESC LIMIT ?`);

  return {
    insert(t: Triage, inputHash: string): void {
      insert.run({
        id: t.id, ticketId: t.ticketId, intent: t.intent, confidence: t.confidence, rationale: t.rationale, model: t.model, createdAt: t.createdAt,
        alternatives: JSON.stringify(t.alternatives), fields: JSON.stringify(t.fields), inputHash, details: detailsOf(t),
        promptTokens: t.usage?.promptTokens ?? 0, completionTokens: t.usage?.completionTokens ?? 0, costMicros: t.usage?.costMicros ?? 0,
      });
    },
    /** The ticket's current reading, with the input hash it was made from. */
    current(ticketId: string): { triage: Triage; inputHash: string } | undefined {
      const row = current.get(ticketId);
      return row && { triage: toTriage(row), inputHash: row.input_hash };
    },
    /** The latest `limit` verdicts on language-model readings: what the model said, and whether it was accepted. */
    llmVerdicts(limit = 1000): { confidence: number; correct: boolean }[] {
      return llmVerdicts.all(limit).map((r) => ({ confidence: r.confidence, correct: r.correct === 1 }));
    },
    get(id: string): Triage | undefined {
      const row = byId.get(id);
      return row && toTriage(row);
    },
  };
}
export type TriageRepo = ReturnType<typeof createTriageRepo>;
