// Decisions table: append-only verdicts; idempotent by decision id; streamed out for export.
import { createHash } from 'node:crypto';
import { editedPaths } from '../domain/edits.ts';
import type { Decision } from '../domain/triage.ts';
import type { Db } from './db.ts';

export interface DecisionRow {
  seq: number;
  id: string;
  ticket_id: string | null;
  kind: Decision['kind'];
  triage_id: string | null;
  run_id: string | null;
  step_id: string | null;
  map_id: string | null;
  map_version: number | null;
  actor: string;
  decided_at: number;
  suggested: string;
  final: string;
  verdict: Decision['verdict'];
  confidence: number;
  reason: string | null;
  decision_ms: number | null;
  prev_hash: string | null;
  hash: string | null;
  /** For a decision imported from another database: its hash there, and where it came from. */
  origin_hash?: string | null;
  origin?: string | null;
}

/** The fields a decision's hash covers, in a fixed order: everything but its place (seq) and the hashes. */
const HASHED = ['id', 'ticket_id', 'kind', 'triage_id', 'run_id', 'step_id', 'map_id', 'map_version', 'actor', 'decided_at', 'suggested', 'final', 'verdict', 'confidence', 'reason', 'decision_ms'] as const;

export function decisionHash(row: Pick<DecisionRow, (typeof HASHED)[number] | 'origin_hash' | 'origin'>, prevHash: string | null): string {
  const values: unknown[] = HASHED.map((k) => row[k] ?? null);
  // An imported row's provenance is covered too; rows made here hash exactly as they always did.
  if (row.origin_hash) values.push(row.origin_hash, row.origin ?? null);
  return createHash('sha256').update(prevHash ?? '').update('\n').update(JSON.stringify(values)).digest('hex');
}

export function toDecision(row: DecisionRow): Decision {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    kind: row.kind,
    triageId: row.triage_id,
    runId: row.run_id,
    stepId: row.step_id,
    mapId: row.map_id,
    mapVersion: row.map_version,
    actor: row.actor,
    decidedAt: row.decided_at,
    suggested: row.suggested,
    final: row.final,
    verdict: row.verdict,
    confidence: row.confidence,
    reason: row.reason,
    decisionMs: row.decision_ms,
  };
}

export interface DecisionFilter {
  since?: number | undefined;
  until?: number | undefined;
  actor?: string | undefined;
  mapId?: string | undefined;
  stepId?: string | undefined;
  verdict?: string | undefined;
}

export interface ExportRow extends DecisionRow {
  requester_name: string | null;
  requester_email: string | null;
}

export function createDecisionsRepo(db: Db) {
  const insert = db.prepare(`
    INSERT INTO decisions (id, ticket_id, kind, triage_id, run_id, step_id, map_id, map_version, actor, decided_at, suggested, final, verdict, confidence, reason, decision_ms, prev_hash, hash, origin_hash, origin)
    VALUES (@id, @ticketId, @kind, @triageId, @runId, @stepId, @mapId, @mapVersion, @actor, @decidedAt, @suggested, @final, @verdict, @confidence, @reason, @decisionMs, @prevHash, @hash, @originHash, @origin)`);
  const editField = db.prepare('INSERT INTO decision_edit_fields (map_id, step_id, seq, pos, path, decided_at) VALUES (?, ?, ?, ?, ?, ?)');
  const lastHash = db.prepare<[], { hash: string | null }>('SELECT hash FROM decisions ORDER BY seq DESC LIMIT 1');
  const all = db.prepare<[], DecisionRow>('SELECT * FROM decisions ORDER BY seq');
  const forStep = db.prepare<[string, string], DecisionRow>("SELECT * FROM decisions WHERE run_id = ? AND step_id = ? AND kind = 'step'");
  const revertOf = db.prepare<[string, string], DecisionRow>("SELECT * FROM decisions WHERE run_id = ? AND step_id = ? AND kind = 'revert'");
  const byRun = db.prepare<[string], DecisionRow>('SELECT * FROM decisions WHERE run_id = ? ORDER BY seq');
  const byId = db.prepare<[string], DecisionRow>('SELECT * FROM decisions WHERE id = ?');
  const byTriage = db.prepare<[string], DecisionRow>("SELECT * FROM decisions WHERE triage_id = ? AND kind = 'triage'");
  const byTicket = db.prepare<[string, number], DecisionRow>('SELECT * FROM decisions WHERE ticket_id = ? ORDER BY seq DESC LIMIT ?');
  const recent = db.prepare<[number], DecisionRow>('SELECT * FROM decisions ORDER BY seq DESC LIMIT ?');
  const triageAfter = db.prepare<[number], Pick<DecisionRow, 'seq' | 'kind' | 'ticket_id' | 'final' | 'verdict'>>(
    "SELECT seq, kind, ticket_id, final, verdict FROM decisions WHERE seq > ? AND kind = 'triage' ORDER BY seq",
  );
  const markAt = db.prepare<[number], { id: string; hash: string | null }>('SELECT id, hash FROM decisions WHERE seq = ?');
  const triageCount = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM decisions WHERE kind = 'triage'");
  const range = db.prepare<[Record<string, string | number | null>], ExportRow>(`
    SELECT d.*, t.requester_name, t.requester_email FROM decisions d LEFT JOIN tickets t ON t.id = d.ticket_id
    WHERE (@since IS NULL OR d.decided_at >= @since) AND (@until IS NULL OR d.decided_at < @until)
      AND (@actor IS NULL OR d.actor = @actor) AND (@mapId IS NULL OR d.map_id = @mapId)
      AND (@stepId IS NULL OR d.step_id = @stepId) AND (@verdict IS NULL OR d.verdict = @verdict)
    ORDER BY d.seq`);
  // The same rows as arrays, columns in EXPORT_COLUMNS' order then the requester's name and email: no object per row.
  // Without the requester (only redaction needs it) the rows come from decisions alone, not one ticket lookup each.
  const exportSql = (requester: boolean) => `
    SELECT d.seq, d.id, d.decided_at, d.ticket_id, d.kind, d.actor, d.suggested, d.final, d.verdict, d.confidence, d.reason, d.decision_ms,
      d.map_id, d.map_version, d.run_id, d.step_id, d.triage_id, d.hash, d.prev_hash, d.origin_hash, d.origin${requester ? ', t.requester_name, t.requester_email' : ''}
    FROM decisions d${requester ? ' LEFT JOIN tickets t ON t.id = d.ticket_id' : ''}
    WHERE (@since IS NULL OR d.decided_at >= @since) AND (@until IS NULL OR d.decided_at < @until)
      AND (@actor IS NULL OR d.actor = @actor) AND (@mapId IS NULL OR d.map_id = @mapId)
      AND (@stepId IS NULL OR d.step_id = @stepId) AND (@verdict IS NULL OR d.verdict = @verdict)
    ORDER BY d.seq`;
  const rangeRaw = db.prepare<[Record<string, string | number | null>], unknown[]>(exportSql(true)).raw(true);
  const rangeRawPlain = db.prepare<[Record<string, string | number | null>], unknown[]>(exportSql(false)).raw(true);
  const filterParams = (filter: DecisionFilter) => ({
    since: filter.since ?? null,
    until: filter.until ?? null,
    actor: filter.actor ?? null,
    mapId: filter.mapId ?? null,
    stepId: filter.stepId ?? null,
    verdict: filter.verdict ?? null,
  });

  return {
    /** Appends a decision, chained to the one before it; inside the caller's transaction when there is one. */
    insert(d: Decision, provenance: { originHash: string; origin: string } | null = null): void {
      // Inside the caller's transaction the read of the last hash and the insert are already atomic; a savepoint per
      // row would only cost time (a third of a batched append).
      const append = () => {
        const prevHash = lastHash.get()?.hash ?? null;
        const row = {
          id: d.id, ticket_id: d.ticketId, kind: d.kind, triage_id: d.triageId, run_id: d.runId, step_id: d.stepId, map_id: d.mapId, map_version: d.mapVersion,
          actor: d.actor, decided_at: d.decidedAt, suggested: d.suggested, final: d.final, verdict: d.verdict, confidence: d.confidence, reason: d.reason, decision_ms: d.decisionMs,
          origin_hash: provenance?.originHash ?? null, origin: provenance?.origin ?? null,
        };
        const { lastInsertRowid: seq } = insert.run({ ...d, prevHash, hash: decisionHash(row, prevHash), originHash: row.origin_hash, origin: row.origin });
        // An edit's changed fields, kept beside it for the dashboard (migration 0130): compared once, here.
        if (d.kind === 'step' && d.verdict === 'edited') editedPaths(d.suggested, d.final).forEach((path, pos) => editField.run(d.mapId ?? '', d.stepId, seq, pos, path, d.decidedAt));
      };
      if (db.inTransaction) append();
      else db.transaction(append)();
    },
    /** Walks the chain from the start; the first row whose link or content does not match, or null when all do. */
    verify(): { rows: number; chained: number; broken: { seq: number; id: string; why: string } | null } {
      let prev: string | null = null;
      let rows = 0;
      let chained = 0;
      for (const row of all.iterate()) {
        rows++;
        if (row.hash === null) {
          if (chained > 0) return { rows, chained, broken: { seq: row.seq, id: row.id, why: 'has no hash, after rows that do' } };
          continue; // written before the chain began
        }
        if (row.prev_hash !== prev && !(chained === 0 && row.prev_hash === null)) return { rows, chained, broken: { seq: row.seq, id: row.id, why: 'does not link to the row before it (a row was removed or reordered)' } };
        if (decisionHash(row, row.prev_hash) !== row.hash) return { rows, chained, broken: { seq: row.seq, id: row.id, why: 'its content no longer matches its hash (it was changed)' } };
        prev = row.hash;
        chained++;
      }
      return { rows, chained, broken: null };
    },
    get(id: string): Decision | undefined {
      const row = byId.get(id);
      return row && toDecision(row);
    },
    forStep(runId: string, stepId: string): Decision | undefined {
      const row = forStep.get(runId, stepId);
      return row && toDecision(row);
    },
    /** The revert of a run's step (a person undid its automatic run by hand), if there is one: at most one (0140). */
    revertOf(runId: string, stepId: string): Decision | undefined {
      const row = revertOf.get(runId, stepId);
      return row && toDecision(row);
    },
    forRun(runId: string): Decision[] {
      return byRun.all(runId).map(toDecision);
    },
    forTriage(triageId: string): Decision | undefined {
      const row = byTriage.get(triageId);
      return row && toDecision(row);
    },
    list(filter: { ticketId?: string | undefined; limit?: number | undefined }): Decision[] {
      const limit = filter.limit ?? 200;
      const rows = filter.ticketId ? byTicket.all(filter.ticketId, limit) : recent.all(limit);
      return rows.map(toDecision);
    },
    /** Triage verdicts recorded after the decision `seq`, in record order: what the local model has not learned yet. */
    triageVerdictsAfter(seq: number): Pick<DecisionRow, 'seq' | 'kind' | 'ticket_id' | 'final' | 'verdict'>[] {
      return triageAfter.all(seq);
    },
    /** How many triage decisions the log holds. */
    triageCount(): number {
      return triageCount.get()!.n;
    },
    /**
     * What identifies the log up to decision `seq`: its chain hash, which covers every decision before it (its id, for
     * a row older than the chain); undefined when there is no such decision.
     */
    markAt(seq: number): string | undefined {
      const row = markAt.get(seq);
      return row ? (row.hash ?? row.id) : undefined;
    },
    /** Rows in record order, one at a time, so an export of millions of rows keeps memory flat. */
    iterate(filter: DecisionFilter = {}): IterableIterator<ExportRow> {
      return range.iterate(filterParams(filter));
    },
    /**
     * The export's rows as arrays (see exportSql for the column order): half the time of row objects, and less garbage.
     * With `requester` false the requester's name and email are left off. The columns are listed once here and
     * checked against EXPORT_COLUMNS by the export.
     */
    iterateRaw(filter: DecisionFilter = {}, requester = true): IterableIterator<unknown[]> {
      return (requester ? rangeRaw : rangeRawPlain).iterate(filterParams(filter));
    },
    /** The names of iterateRaw's columns, in order. */
    rawColumns(requester = true): string[] {
      return (requester ? rangeRaw : rangeRawPlain).columns().map((c) => c.name);
    },
  };
}
export type DecisionsRepo = ReturnType<typeof createDecisionsRepo>;
