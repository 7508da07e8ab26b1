// The team lead's numbers: per map and step, how often Tandem's suggestion was taken as it was — with the lower bound
// of a Wilson interval next to every rate, so ten lucky samples never look like proof.
import type { Db } from '../store/db.ts';
import { AUTO_ACTOR } from '../runner/runner.ts';
import { changedPaths, parseLoose as parse } from '../domain/edits.ts';
import { countConfusions, totalDecisions } from './counts.ts';
import { DEFAULT_GRADUATION, graduationEvidence, graduationPolicy, LIVE_WORDS, SHADOW_WORDS, type GraduationPolicy } from './graduation.ts';
import { wilsonLower } from './wilson.ts';

/** Kept here too: the dashboard's tests and older callers import it from stats. */
export { changedPaths };

/** Kept here too: most callers import it from stats. */
export { wilsonLower };

export interface Rate {
  rate: number;
  lower: number;
}

export interface StepStats {
  mapId: string;
  stepId: string;
  n: number;
  verdicts: Record<string, number>;
  /** Taken exactly as suggested (accepted, or run automatically), out of every verdict. */
  asSuggested: Rate;
  edited: Rate;
  topEditedFields: { field: string; count: number }[];
  overrideReasons: { reason: string; count: number }[];
  autoRuns: number;
  autoFailures: number;
  /** Automatic runs a person marked as reverted (undone by hand in the target system), and their share of the automatic runs. */
  autoReverts: number;
  autoReverted: Rate;
  medianDecisionMs: number | null;
  /** Shadow samples: how often what Tandem would have sent on its own matched what the associate sent. */
  shadow: { n: number; matched: number; asSuggested: Rate };
  /** The step's mode in its map now; null when the map or the step is no longer in the workspace (or was not asked). */
  mode: string | null;
  /**
   * Over the most recent verdicts: may this step run alone? Only when the lower bound clears the threshold, on live
   * verdicts or on shadow samples (`source` says which one the recommendation rests on), and never for a step that
   * runs automatically already. `needed`: how many more, all taken as suggested, before it is recommended.
   */
  graduation: { window: number; asSuggested: Rate; recommended: boolean; needed: number | null; why: string; source: 'live' | 'shadow' };
}

/** A step's mode changed: promoted or demoted by a lead, or demoted by Tandem after automatic runs failed or were reverted. */
export interface ModeChange {
  id: string;
  mapId: string;
  stepId: string;
  verdict: 'promoted' | 'demoted';
  from: string;
  to: string;
  actor: string;
  at: number;
  reason: string | null;
}

/** Kept here too: callers read the policy where they read the stats. */
export { DEFAULT_GRADUATION, graduationPolicy, type GraduationPolicy };

/** The mode a step has in its map now (undefined: the map or the step is no longer in the workspace). */
export type StepModes = (mapId: string, stepId: string) => string | undefined;
/** A step's block in its map (`manual`: done by a person by design), when the workspace knows the map. */
export type StepBlocks = (mapId: string, stepId: string) => string | undefined;

export interface Stats {
  triage: { n: number; accepted: number; overridden: number; asSuggested: Rate; confusions: { suggested: string; final: string; count: number }[] };
  steps: StepStats[];
  /** The latest mode change of every step that has one, newest first. */
  modeChanges: ModeChange[];
}

const rate = (k: number, n: number): Rate => ({ rate: n === 0 ? 0 : k / n, lower: wilsonLower(k, n) });

/** One recent verdict, as graduation reads it. */
interface Recent {
  seq: number;
  verdict: string;
  failed: number;
}

/** A recent verdict as it is kept between calls: whether an automatic run failed is asked again each time. */
interface RecentRow {
  seq: number;
  verdict: string;
  run_id: string | null;
  step_id: string | null;
}

const SAMPLE = 1000;

type Period = { since: number | null; until: number | null };

/** Every count the dashboard shows, for one period: additive, so what landed since can simply be added. */
interface Totals {
  /** kind, map, step, verdict, auto → n (the rows of countDecisions, summed over days) */
  counts: Map<string, { kind: string; map_id: string; step_id: string; verdict: string; auto: number; n: number }>;
  /** suggested, final → how often triage was overridden from one to the other */
  confusions: Map<string, { suggested: string; final: string; count: number }>;
}

/** What a step's own rows say (as opposed to its counts): changes only when a verdict or shadow sample of it lands. */
interface StepRows {
  topEditedFields: { field: string; count: number }[];
  overrideReasons: { reason: string; count: number }[];
  medianDecisionMs: number | null;
  live: RecentRow[];
  shadowRecent: RecentRow[];
}

/** One period's and window's results, valid up to the decision `seq` (whose hash was `hash`). */
interface CacheEntry {
  seq: number;
  hash: string | null;
  totals: Totals;
  steps: Map<string, StepRows>;
}

// Decisions are append-only (triggers refuse UPDATE and DELETE, and nothing inserts with a seq of its own, so a new
// decision's seq is above every other), so what the dashboard computed stays true of every decision up to the last one
// it saw: a later call adds the decisions that landed since to the counts, and reads again only the rows of the steps
// they belong to. Kept per database and per period and window; a few entries at most.
const caches = new WeakMap<Db, Map<string, CacheEntry>>();
const MAX_ENTRIES = 8;
/** More new decisions than this (an import, say) and reading everything again is as quick as adding them up. */
const MAX_DELTA = 20_000;

const stepKey = (mapId: string, stepId: string) => `${mapId}\u0000${stepId}`;

/**
 * Counts come from the day counts (decisions/counts.ts); what needs the rows themselves — the fields edits changed,
 * the reasons given, the median time to decide, the graduation window — reads only the most recent rows of each step
 * through the (map, step, kind, seq) index: the last 1,000 of each (the graduation window may be larger). So the
 * dashboard's memory and time do not grow with the log. Results are cached (see `caches`): a call after nothing
 * changed reads one row, a call after a few decisions landed reads those and the rows of the steps they touched.
 */
export function computeStats(
  db: Db,
  filter: { since?: number | undefined; until?: number | undefined } = {},
  policy: GraduationPolicy = DEFAULT_GRADUATION,
  modes: StepModes = () => undefined,
  blocks: StepBlocks = () => undefined,
): Stats {
  // One read transaction: the counts, each step's rows and the point the cache is valid up to are of the same log.
  return db.transaction(() => statsAt(db, { since: filter.since ?? null, until: filter.until ?? null }, policy, modes, blocks))();
}

function statsAt(db: Db, period: Period, policy: GraduationPolicy, modes: StepModes, blocks: StepBlocks): Stats {
  const last = db.prepare<[], { seq: number; hash: string | null }>('SELECT seq, hash FROM decisions ORDER BY seq DESC LIMIT 1').get() ?? { seq: 0, hash: null };
  let perDb = caches.get(db);
  if (!perDb) caches.set(db, (perDb = new Map()));
  const key = `${period.since}|${period.until}|${policy.window}`;
  let entry = perDb.get(key);
  if (entry && !stillValid(db, entry, last.seq)) entry = undefined;
  if (entry && entry.seq < last.seq) {
    const delta = db
      .prepare<[number, number], DeltaRow>(
        `SELECT kind, coalesce(map_id, '') AS map_id, coalesce(step_id, '') AS step_id, verdict, actor = 'tandem (auto)' AS auto, decided_at,
           CASE WHEN kind = 'triage' AND verdict = 'overridden' THEN suggested END AS suggested, CASE WHEN kind = 'triage' AND verdict = 'overridden' THEN final END AS final
         FROM decisions WHERE seq > ? AND seq <= ? LIMIT ${MAX_DELTA + 1}`,
      )
      .all(entry.seq, last.seq);
    if (delta.length > MAX_DELTA) entry = undefined;
    else {
      addDelta(entry.totals, delta, period);
      // A new verdict or shadow sample changes its step's recent rows, whatever its time (the period is re-read).
      for (const d of delta) if (d.kind === 'step' || d.kind === 'shadow') entry.steps.delete(stepKey(d.map_id, d.step_id));
      entry.seq = last.seq;
      entry.hash = last.hash;
    }
  }
  if (!entry) entry = { seq: last.seq, hash: last.hash, totals: readTotals(db, period), steps: new Map() };
  perDb.delete(key); // re-inserted last: the oldest entry is the one dropped
  perDb.set(key, entry);
  if (perDb.size > MAX_ENTRIES) perDb.delete(perDb.keys().next().value!);
  return assemble(db, entry, period, policy, modes, blocks);
}

/** The decision the entry was computed up to is still there, unchanged (not a rolled-back one whose seq was reused). */
function stillValid(db: Db, entry: CacheEntry, lastSeq: number): boolean {
  if (entry.seq === 0) return true;
  if (entry.seq > lastSeq) return false;
  const row = db.prepare<[number], { hash: string | null }>('SELECT hash FROM decisions WHERE seq = ?').get(entry.seq);
  return row !== undefined && row.hash === entry.hash;
}

interface DeltaRow {
  kind: string;
  map_id: string;
  step_id: string;
  verdict: string;
  auto: number;
  decided_at: number;
  suggested: string | null;
  final: string | null;
}

const COUNTED = new Set(['triage', 'step', 'shadow', 'escalation', 'revert']);

function addDelta(totals: Totals, delta: DeltaRow[], period: Period): void {
  for (const d of delta) {
    if (!COUNTED.has(d.kind)) continue;
    if ((period.since !== null && d.decided_at < period.since) || (period.until !== null && d.decided_at >= period.until)) continue;
    addCount(totals, { kind: d.kind, map_id: d.map_id, step_id: d.step_id, verdict: d.verdict, auto: d.auto, n: 1 });
    if (d.kind === 'triage' && d.verdict === 'overridden') addConfusion(totals, { suggested: d.suggested!, final: d.final!, count: 1 });
  }
}

function addCount(totals: Totals, c: { kind: string; map_id: string; step_id: string; verdict: string; auto: number; n: number }): void {
  const k = [c.kind, c.map_id, c.step_id, c.verdict, c.auto].join('\u0000');
  const had = totals.counts.get(k);
  if (had) had.n += c.n;
  else totals.counts.set(k, { kind: c.kind, map_id: c.map_id, step_id: c.step_id, verdict: c.verdict, auto: c.auto, n: c.n });
}

function addConfusion(totals: Totals, c: { suggested: string; final: string; count: number }): void {
  const k = `${c.suggested}\u0000${c.final}`;
  const had = totals.confusions.get(k);
  if (had) had.count += c.count;
  else totals.confusions.set(k, { ...c });
}

function readTotals(db: Db, period: Period): Totals {
  const totals: Totals = { counts: new Map(), confusions: new Map() };
  for (const c of totalDecisions(db, { since: period.since ?? undefined, until: period.until ?? undefined, kinds: ['triage', 'step', 'shadow', 'escalation', 'revert'] })) addCount(totals, c);
  for (const c of countConfusions(db, { since: period.since ?? undefined, until: period.until ?? undefined })) addConfusion(totals, c);
  return totals;
}

/** SQLite's BINARY order (UTF-8 bytes), which JavaScript's < (UTF-16 units) differs from beyond the BMP. */
const binary = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The statements readStepRows runs, prepared once per database (a first call reads some 35 steps, each with five). */
const stepStatementsOf = new WeakMap<Db, ReturnType<typeof prepareStepStatements>>();

function prepareStepStatements(db: Db) {
  const inPeriod = '(@since IS NULL OR decided_at >= @since) AND (@until IS NULL OR decided_at < @until)';
  // INDEXED BY: the planner prefers the wider step index and would read every row of a step to find its edits; the
  // partial indexes (0120) also hold the time, and the reason or time to decide, so a period is filtered on them. The
  // step index holds what the window needs (0130), so it is read from the index alone.
  const recent = db.prepare<[Record<string, unknown>], RecentRow>(`
      SELECT seq, verdict, run_id, step_id FROM decisions
      WHERE map_id = @mapId AND step_id = @stepId AND kind = @kind AND ${inPeriod} ORDER BY seq DESC LIMIT @limit`);
  // The last SAMPLE edits of the step in the period begin at this one (none: there are fewer, take them all).
  const oldestEdit = db
    .prepare<[Record<string, unknown>], number>(
      `SELECT seq FROM decisions INDEXED BY decisions_edits WHERE map_id = @mapId AND step_id = @stepId AND kind = 'step' AND verdict = 'edited' AND ${inPeriod} ORDER BY seq DESC LIMIT 1 OFFSET @limit - 1`,
    )
    .pluck();
  // Their changed fields, stored as each edit was written (0130): how often each, and where it was first met going
  // newest first (the newest edit that changed it, its place in that edit), which orders fields edited equally often.
  const editedFields = db.prepare<[Record<string, unknown>], { path: string; count: number; seq: number; pos: number }>(`
      SELECT path, sum(n) AS count, max(seq) AS seq, pos FROM (
        SELECT path, seq, count(*) AS n, min(pos) AS pos FROM decision_edit_fields
        WHERE map_id = @mapId AND step_id = @stepId AND seq >= @from AND ${inPeriod} GROUP BY path, seq)
      GROUP BY path`);
  // The reasons of the last SAMPLE verdicts that have one, counted in SQL: how often each, and its newest (which orders
  // reasons given equally often, as they were first met going newest first).
  const reasonCounts = db.prepare<[Record<string, unknown>], { reason: string; count: number; seq: number }>(`
      SELECT reason, count(*) AS count, max(seq) AS seq FROM (
        SELECT reason, seq FROM decisions INDEXED BY decisions_reasons WHERE map_id = @mapId AND step_id = @stepId AND kind = 'step' AND reason IS NOT NULL AND verdict NOT IN ('accepted', 'auto') AND ${inPeriod} ORDER BY seq DESC LIMIT @limit)
      GROUP BY reason`);
  // The median time to decide of the last SAMPLE verdicts that have one (the lower middle of an even count).
  const medianTime = db
    .prepare<[Record<string, unknown>], number>(`
      WITH recent AS (SELECT decision_ms FROM decisions INDEXED BY decisions_times WHERE map_id = @mapId AND step_id = @stepId AND kind = 'step' AND decision_ms IS NOT NULL AND ${inPeriod} ORDER BY seq DESC LIMIT @limit)
      SELECT decision_ms FROM recent ORDER BY decision_ms LIMIT 1 OFFSET ((SELECT count(*) FROM recent) - 1) / 2`)
    .pluck();
  return { recent, oldestEdit, editedFields, reasonCounts, medianTime };
}

function readStepRows(db: Db, period: Period, mapId: string, stepId: string, window: number): StepRows {
  let statements = stepStatementsOf.get(db);
  if (!statements) stepStatementsOf.set(db, (statements = prepareStepStatements(db)));
  const { recent, oldestEdit, editedFields, reasonCounts, medianTime } = statements;
  const args = { ...period, mapId, stepId };
  const from = (oldestEdit.get({ ...args, limit: SAMPLE }) as number | undefined) ?? 0;
  // max(seq) with a bare pos: SQLite takes pos from the row holding the max, the (path, seq) group's first place.
  const fields = editedFields
    .all({ ...args, from })
    .sort((a, b) => b.count - a.count || b.seq - a.seq || a.pos - b.pos)
    .slice(0, 5)
    .map((f) => ({ field: f.path, count: f.count }));
  const reasons = reasonCounts
    .all({ ...args, limit: SAMPLE })
    .sort((a, b) => b.count - a.count || b.seq - a.seq)
    .slice(0, 5)
    .map((r) => ({ reason: r.reason, count: r.count }));
  const median = medianTime.get({ ...args, limit: SAMPLE }) as number | undefined;
  return {
    topEditedFields: fields,
    overrideReasons: reasons,
    medianDecisionMs: median ?? null,
    live: recent.all({ ...args, kind: 'step', limit: window }).reverse(),
    shadowRecent: recent.all({ ...args, kind: 'shadow', limit: window }).reverse(),
  };
}

function assemble(db: Db, entry: CacheEntry, period: Period, policy: GraduationPolicy, modes: StepModes, blocks: StepBlocks): Stats {
  const counted = [...entry.totals.counts.values()];
  const triageCounts = counted.filter((r) => r.kind === 'triage');
  const triageN = triageCounts.reduce((a, r) => a + r.n, 0);
  const accepted = triageCounts.filter((r) => r.verdict === 'accepted').reduce((a, r) => a + r.n, 0);
  const confusions = [...entry.totals.confusions.values()]
    .sort((a, b) => b.count - a.count || binary(a.suggested, b.suggested) || binary(a.final, b.final))
    .slice(0, 5)
    .map((c) => ({ ...c }));

  const byStep = new Map<string, { mapId: string; stepId: string; verdicts: Record<string, number>; shadow: Record<string, number>; autoFailures: number; autoReverts: number }>();
  // Steps and shadow samples first: escalations and reverts count only for a step that has verdicts.
  const after = (k: string) => k === 'escalation' || k === 'revert';
  const ordered = [...counted.filter((c) => !after(c.kind)), ...counted.filter((c) => after(c.kind))];
  for (const c of ordered) {
    if (c.kind === 'triage' || c.map_id === '' || c.step_id === '') continue;
    const key = stepKey(c.map_id, c.step_id);
    let e = byStep.get(key);
    if (!e && after(c.kind)) continue; // escalations and reverts alone do not make a step appear
    if (!e) byStep.set(key, (e = { mapId: c.map_id, stepId: c.step_id, verdicts: {}, shadow: {}, autoFailures: 0, autoReverts: 0 }));
    if (c.kind === 'revert') {
      e.autoReverts += c.n; // an automatic run a person undid by hand
      continue;
    }
    if (c.kind === 'escalation') {
      if (c.auto === 1 && c.verdict === 'escalated') e.autoFailures += c.n; // an automatic run that failed
      continue;
    }
    const into = c.kind === 'step' ? e.verdicts : e.shadow;
    into[c.verdict] = (into[c.verdict] ?? 0) + c.n;
  }

  // Whether an automatic run failed is not kept: its run step's state may change without a decision landing. A run a
  // person reverted was not right either: for graduation it counts as one that failed.
  const failedQuery = db
    .prepare<[Record<string, unknown>], number | null>(`
      SELECT (SELECT state FROM run_steps WHERE run_id = @runId AND step_id = @stepId) = 'failed'
        OR EXISTS (SELECT 1 FROM decisions e WHERE e.run_id = @runId AND e.step_id = @stepId AND e.kind = 'escalation' AND e.actor = @autoActor)
        OR EXISTS (SELECT 1 FROM decisions r WHERE r.run_id = @runId AND r.step_id = @stepId AND r.kind = 'revert')`)
    .pluck();
  const failed = (r: RecentRow) => (r.verdict === 'auto' && failedQuery.get({ runId: r.run_id, stepId: r.step_id, autoActor: AUTO_ACTOR }) === 1 ? 1 : 0);

  const steps: StepStats[] = [...byStep.entries()].map(([key, { mapId, stepId, verdicts, shadow: shadowVerdicts, autoFailures, autoReverts }]) => {
    let rows = entry.steps.get(key);
    if (!rows) entry.steps.set(key, (rows = readStepRows(db, period, mapId, stepId, policy.window)));
    const n = Object.values(verdicts).reduce((a, b) => a + b, 0);
    // A step done by hand by design (a `manual` block) is taken as suggested when the person ticks it off: its verdict
    // is `manual`, which on any other step means the person did by hand what Tandem would have done.
    const byHand = blocks(mapId, stepId) === 'manual';
    const asSuggested = (verdicts.accepted ?? 0) + (verdicts.auto ?? 0) + (byHand ? (verdicts.manual ?? 0) : 0);
    const live: Recent[] = rows.live.map((r) => ({ seq: r.seq, verdict: r.verdict, failed: failed(r) }));
    const shadowRecent: Recent[] = rows.shadowRecent.map((r) => ({ seq: r.seq, verdict: r.verdict, failed: 0 }));
    const shadowN = Object.values(shadowVerdicts).reduce((a, b) => a + b, 0);
    const shadowMatched = shadowVerdicts.accepted ?? 0;
    const mode = modes(mapId, stepId) ?? null;
    const liveEvidence = graduationEvidence(live.map((r) => r.verdict === 'accepted' || (byHand && r.verdict === 'manual') || (r.verdict === 'auto' && r.failed !== 1)), policy, LIVE_WORDS, mode);
    const shadowEvidence = graduationEvidence(shadowRecent.map((r) => r.verdict === 'accepted'), policy, SHADOW_WORDS, mode);
    // Either kind of evidence may carry the step, but shadow samples only while they are current: once live verdicts
    // come after the last of them (the step was promoted, or put back to suggest), what happened since is what counts.
    const lastShadow = shadowRecent.at(-1)?.seq ?? -1;
    const lastLive = live.at(-1)?.seq ?? -1;
    const shadowCurrent = shadowRecent.length > 0 && lastShadow > lastLive;
    if (byHand) {
      // Nothing to automate: it stays with a person whatever the record says.
      liveEvidence.recommended = false;
      liveEvidence.needed = null;
      liveEvidence.why = 'done by a person by design (a manual step): there is nothing to run automatically';
      shadowEvidence.recommended = false;
    }
    const best = liveEvidence.recommended
      ? liveEvidence
      : shadowCurrent && (shadowEvidence.recommended || live.length === 0 || shadowEvidence.asSuggested.lower > liveEvidence.asSuggested.lower)
        ? shadowEvidence
        : liveEvidence;
    return {
      mapId,
      stepId,
      n,
      verdicts,
      asSuggested: rate(asSuggested, n),
      edited: rate(verdicts.edited ?? 0, n),
      // copies: the caller may change what it gets; the cache must not see it
      topEditedFields: rows.topEditedFields.map((f) => ({ ...f })),
      overrideReasons: rows.overrideReasons.map((r) => ({ ...r })),
      autoRuns: verdicts.auto ?? 0,
      autoFailures,
      autoReverts,
      // A revert in the period of a run before it can outnumber the period's runs: the share is capped at all of them.
      autoReverted: rate(Math.min(autoReverts, verdicts.auto ?? 0), verdicts.auto ?? 0),
      medianDecisionMs: rows.medianDecisionMs,
      shadow: { n: shadowN, matched: shadowMatched, asSuggested: rate(shadowMatched, shadowN) },
      mode,
      graduation: { ...best, source: best === shadowEvidence ? ('shadow' as const) : ('live' as const) },
    };
  });
  steps.sort((a, b) => a.mapId.localeCompare(b.mapId) || a.stepId.localeCompare(b.stepId));
  return {
    triage: { n: triageN, accepted, overridden: triageN - accepted, asSuggested: rate(accepted, triageN), confusions },
    steps,
    modeChanges: modeChanges(db),
  };
}

/** The latest promotion or demotion of each step, newest first: what Insights shows as a notice. */
export function modeChanges(db: Db, limit = 50): ModeChange[] {
  const rows = db
    .prepare<[number], { id: string; map_id: string; step_id: string; verdict: 'promoted' | 'demoted'; suggested: string; final: string; actor: string; decided_at: number; reason: string | null }>(`
      SELECT d.id, d.map_id, d.step_id, d.verdict, d.suggested, d.final, d.actor, d.decided_at, d.reason FROM decisions d
      WHERE d.kind = 'promotion' AND d.seq = (SELECT max(x.seq) FROM decisions x WHERE x.kind = 'promotion' AND x.map_id = d.map_id AND x.step_id = d.step_id)
      ORDER BY d.seq DESC LIMIT ?`)
    .all(limit);
  return rows.map((r) => ({ id: r.id, mapId: r.map_id, stepId: r.step_id, verdict: r.verdict, from: String(parse(r.suggested)), to: String(parse(r.final)), actor: r.actor, at: r.decided_at, reason: r.reason }));
}
