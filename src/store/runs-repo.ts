// Runs and their steps: every state change is one small write, so the database always says where a run stands.
import type { ErrorShape } from '../domain/errors.ts';
import type { Run, RunState, RunStep, StepState } from '../domain/run.ts';
import type { ProcessMap } from '../maps/schema.ts';
import { hasSideEffect } from '../maps/schema.ts';
import type { Db } from './db.ts';

interface RunRow {
  id: string;
  ticket_id: string;
  map_id: string;
  map_version: number;
  map_snapshot: string;
  state: RunState;
  dry_run: 0 | 1;
  fields: string;
  confidence: number;
  threshold: number;
  escalation: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
}

interface StepRow {
  run_id: string;
  idx: number;
  step_id: string;
  block: string;
  mode: RunStep['mode'];
  state: StepState;
  suggested: string | null;
  inputs: string | null;
  outputs: string | null;
  error: string | null;
  note: string | null;
  proposal_reason: string | null;
  idempotency_key: string | null;
  attempts: number;
  simulated: 0 | 1;
  started_at: number | null;
  finished_at: number | null;
}

export interface StoredRun extends Run {
  map: ProcessMap;
  idempotencyKeys: Record<string, string | null>;
}

const parse = (s: string | null): unknown => (s === null ? null : (JSON.parse(s) as unknown));
const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

export function createRunsRepo(db: Db) {
  const insertRun = db.prepare(`
    INSERT INTO runs (id, ticket_id, map_id, map_version, map_snapshot, state, dry_run, fields, confidence, threshold, escalation, created_by, created_at, updated_at)
    VALUES (@id, @ticketId, @mapId, @mapVersion, @mapSnapshot, @state, @dryRun, @fields, @confidence, @threshold, NULL, @createdBy, @now, @now)`);
  const insertStep = db.prepare(
    "INSERT INTO run_steps (run_id, idx, step_id, block, mode, state, simulated) VALUES (@runId, @idx, @stepId, @block, @mode, 'pending', @simulated)",
  );
  const runById = db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?');
  const stepsOf = db.prepare<[string], StepRow>('SELECT * FROM run_steps WHERE run_id = ? ORDER BY idx');
  const openForTicket = db.prepare<[string], RunRow>("SELECT * FROM runs WHERE ticket_id = ? AND dry_run = 0 AND state IN ('running', 'waiting', 'escalated')");
  const latestForTicket = db.prepare<[string], RunRow>('SELECT * FROM runs WHERE ticket_id = ? AND dry_run = 0 ORDER BY created_at DESC, rowid DESC LIMIT 1');
  const unfinished = db.prepare<[], { id: string }>("SELECT id FROM runs WHERE state IN ('running', 'waiting') ORDER BY created_at");
  const byState = db.prepare<[string, number], RunRow>('SELECT * FROM runs WHERE state = ? AND dry_run = 0 ORDER BY updated_at DESC LIMIT ?');
  const all = db.prepare<[number], RunRow>('SELECT * FROM runs ORDER BY created_at DESC LIMIT ?');
  const setFields = db.prepare<[string, number, string]>('UPDATE runs SET fields = ?, updated_at = ? WHERE id = ?');
  const setRun = db.prepare<[RunState, string | null, number, string]>('UPDATE runs SET state = ?, escalation = ?, updated_at = ? WHERE id = ?');
  const setStep = db.prepare(`
    UPDATE run_steps SET state = @state,
      suggested = CASE WHEN @setSuggested THEN @suggested ELSE suggested END,
      inputs = CASE WHEN @setInputs THEN @inputs ELSE inputs END,
      outputs = CASE WHEN @setOutputs THEN @outputs ELSE outputs END,
      error = @error, note = CASE WHEN @note = '' THEN NULL ELSE COALESCE(@note, note) END,
      proposal_reason = CASE WHEN @setProposal THEN @proposalReason ELSE proposal_reason END,
      idempotency_key = COALESCE(@idempotencyKey, idempotency_key),
      attempts = attempts + @addAttempt,
      prepared_at = CASE WHEN @setSuggested THEN @now ELSE prepared_at END,
      started_at = CASE WHEN @state = 'running' THEN @now ELSE started_at END,
      finished_at = CASE WHEN @state IN ('done', 'skipped', 'failed') THEN @now ELSE finished_at END
    WHERE run_id = @runId AND step_id = @stepId`);

  // The runner reads a run before every step; this process owns the database, so each write is mirrored into a cached copy
  // instead of reading 50 rows back each time.
  const cache = new Map<string, StoredRun>();
  // Steps are copied so a caller's later look at an old object never changes under it; the map snapshot is shared (never edited).
  const copy = (run: StoredRun): StoredRun => ({ ...run, idempotencyKeys: { ...run.idempotencyKeys }, steps: run.steps.map((x) => ({ ...x })) });
  function remember(run: StoredRun): void {
    if (cache.size > 200) cache.delete(cache.keys().next().value!);
    cache.set(run.id, run);
  }

  // A run's map snapshot never changes, so it is parsed once per run, not at every step.
  const maps = new Map<string, ProcessMap>();
  function mapOf(row: RunRow): ProcessMap {
    let map = maps.get(row.id);
    if (!map) {
      map = JSON.parse(row.map_snapshot) as ProcessMap;
      if (maps.size > 500) maps.clear();
      maps.set(row.id, map);
    }
    return map;
  }

  function toRun(row: RunRow): StoredRun {
    const map = mapOf(row);
    const steps = stepsOf.all(row.id);
    return {
      id: row.id,
      ticketId: row.ticket_id,
      mapId: row.map_id,
      mapVersion: row.map_version,
      state: row.state,
      dryRun: row.dry_run === 1,
      fields: JSON.parse(row.fields) as Record<string, unknown>,
      confidence: row.confidence,
      threshold: row.threshold,
      escalation: row.escalation,
      createdBy: row.created_by,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      map,
      idempotencyKeys: Object.fromEntries(steps.map((s) => [s.step_id, s.idempotency_key])),
      steps: steps.map((s) => {
        const def = map.steps[s.idx];
        return {
          idx: s.idx,
          stepId: s.step_id,
          title: def?.title ?? s.step_id,
          block: s.block,
          mode: s.mode,
          state: s.state,
          sideEffect: def ? hasSideEffect(def) : false,
          suggested: parse(s.suggested),
          inputs: parse(s.inputs),
          outputs: parse(s.outputs),
          error: parse(s.error) as ErrorShape | null,
          note: s.note,
          proposalReason: s.proposal_reason,
          attempts: s.attempts,
          simulated: s.simulated === 1,
          startedAt: s.started_at,
          finishedAt: s.finished_at,
        } as RunStep;
      }),
    };
  }

  return {
    create(input: { id: string; ticketId: string; map: ProcessMap; dryRun: boolean; fields: Record<string, unknown>; confidence: number; threshold: number; createdBy: string; now: number }): void {
      db.transaction(() => {
        insertRun.run({
          id: input.id,
          ticketId: input.ticketId,
          mapId: input.map.id,
          mapVersion: input.map.version,
          mapSnapshot: JSON.stringify(input.map),
          state: 'running',
          dryRun: input.dryRun ? 1 : 0,
          fields: JSON.stringify(input.fields),
          confidence: input.confidence,
          threshold: input.threshold,
          createdBy: input.createdBy,
          now: input.now,
        });
        input.map.steps.forEach((step, idx) => insertStep.run({ runId: input.id, idx, stepId: step.id, block: step.block, mode: step.mode, simulated: input.dryRun ? 1 : 0 }));
      })();
    },
    get(id: string): StoredRun | undefined {
      const hit = cache.get(id);
      if (hit) return copy(hit);
      const row = runById.get(id);
      if (!row) return undefined;
      const run = toRun(row);
      remember(run);
      return copy(run);
    },
    openForTicket(ticketId: string): StoredRun | undefined {
      const row = openForTicket.get(ticketId);
      return row && toRun(row);
    },
    latestForTicket(ticketId: string): StoredRun | undefined {
      const row = latestForTicket.get(ticketId);
      return row && toRun(row);
    },
    unfinishedIds(): string[] {
      return unfinished.all().map((r) => r.id);
    },
    list(filter: { state?: RunState | undefined; limit?: number | undefined }): StoredRun[] {
      const limit = filter.limit ?? 100;
      return (filter.state ? byState.all(filter.state, limit) : all.all(limit)).map(toRun);
    },
    setFields(id: string, fields: Record<string, unknown>, now: number): void {
      setFields.run(JSON.stringify(fields), now, id);
      const c = cache.get(id);
      if (c) Object.assign(c, { fields: { ...fields }, updatedAt: now });
    },
    setState(id: string, state: RunState, escalation: string | null, now: number): void {
      setRun.run(state, escalation, now, id);
      const c = cache.get(id);
      if (c) Object.assign(c, { state, escalation, updatedAt: now });
    },
    updateStep(
      runId: string,
      stepId: string,
      change: { state: StepState; suggested?: unknown; inputs?: unknown; outputs?: unknown; error?: ErrorShape | null; note?: string; proposalReason?: string | null; idempotencyKey?: string; attempt?: boolean },
      now: number,
    ): void {
      setStep.run({
        runId,
        stepId,
        state: change.state,
        setSuggested: change.suggested !== undefined ? 1 : 0,
        suggested: json(change.suggested),
        setInputs: change.inputs !== undefined ? 1 : 0,
        inputs: json(change.inputs),
        setOutputs: change.outputs !== undefined ? 1 : 0, // null clears
        outputs: json(change.outputs),
        error: json(change.error ?? null),
        note: change.note ?? null,
        setProposal: change.proposalReason !== undefined ? 1 : 0,
        proposalReason: change.proposalReason?.trim() ? change.proposalReason.trim() : null,
        idempotencyKey: change.idempotencyKey ?? null,
        addAttempt: change.attempt ? 1 : 0,
        now,
      });
      const c = cache.get(runId);
      const step = c?.steps.find((x) => x.stepId === stepId);
      if (c && step) {
        // Mirror exactly what the UPDATE above did.
        step.state = change.state;
        if (change.suggested !== undefined) step.suggested = change.suggested ?? null;
        if (change.inputs !== undefined) step.inputs = change.inputs ?? null;
        if (change.outputs !== undefined) step.outputs = change.outputs ?? null;
        step.error = change.error ?? null;
        if (change.note === '') step.note = null;
        else if (change.note !== undefined) step.note = change.note;
        if (change.proposalReason !== undefined) step.proposalReason = change.proposalReason?.trim() ? change.proposalReason.trim() : null;
        if (change.idempotencyKey) c.idempotencyKeys[stepId] = change.idempotencyKey;
        if (change.attempt) step.attempts++;
        if (change.state === 'running') step.startedAt = now;
        if (change.state === 'done' || change.state === 'skipped' || change.state === 'failed') step.finishedAt = now;
      }
    },
  };
}
export type RunsRepo = ReturnType<typeof createRunsRepo>;
