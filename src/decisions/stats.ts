// The team lead's numbers: per map and step, how often Tandem's suggestion was taken as it was — with the lower bound
// of a Wilson interval next to every rate, so ten lucky samples never look like proof.
import type { Db } from '../store/db.ts';
import { AUTO_ACTOR } from '../runner/runner.ts';
import { countDecisions } from './counts.ts';

/** Lower bound of the Wilson score interval (95% by default) for `successes` out of `n`. */
export function wilsonLower(successes: number, n: number, z = 1.96): number {
  if (n === 0) return 0;
  const p = successes / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.max(0, (centre - margin) / (1 + z2 / n));
}

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
  medianDecisionMs: number | null;
  /** Shadow samples: how often what Tandem would have sent on its own matched what the associate sent. */
  shadow: { n: number; matched: number; asSuggested: Rate };
  /**
   * Over the most recent verdicts: may this step run alone? Only when the lower bound clears the threshold, on live
   * verdicts or on shadow samples (`source` says which one the recommendation rests on).
   */
  graduation: { window: number; asSuggested: Rate; recommended: boolean; why: string; source: 'live' | 'shadow' };
}

/** A step's mode changed: promoted or demoted by a lead, or demoted by Tandem after automatic runs failed. */
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

export interface GraduationPolicy {
  /** The lower bound a step's as-suggested rate must clear (default 95%). */
  threshold: number;
  /** How many of the most recent verdicts count. */
  window: number;
  /** Fewer than this many and no recommendation is made, whatever the rate. */
  minSamples: number;
}

export const DEFAULT_GRADUATION: GraduationPolicy = { threshold: 0.95, window: 100, minSamples: 30 };

/** The workspace's graduation settings (tandem.yaml `graduation:`) as a policy. */
export function graduationPolicy(settings: { threshold: number; window: number; min_samples: number } | undefined): GraduationPolicy {
  return settings ? { threshold: settings.threshold, window: settings.window, minSamples: settings.min_samples } : DEFAULT_GRADUATION;
}

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

const SAMPLE = 1000;

/**
 * Counts come from grouped queries (an index covers them); what needs the rows themselves — the fields edits changed,
 * the reasons given, the median time to decide, the graduation window — reads only the most recent rows of each step
 * through the (map, step, kind, seq) index: the last 1,000 of each (the graduation window may be larger). So the
 * dashboard's memory and time do not grow with the log.
 */
export function computeStats(db: Db, filter: { since?: number | undefined; until?: number | undefined } = {}, policy: GraduationPolicy = DEFAULT_GRADUATION): Stats {
  const period = { since: filter.since ?? null, until: filter.until ?? null };
  const inPeriod = '(@since IS NULL OR decided_at >= @since) AND (@until IS NULL OR decided_at < @until)';

  const counted = countDecisions(db, { ...filter, kinds: ['triage', 'step', 'shadow', 'escalation'] });
  const triageCounts = counted.filter((r) => r.kind === 'triage');
  const triageN = triageCounts.reduce((a, r) => a + r.n, 0);
  const accepted = triageCounts.filter((r) => r.verdict === 'accepted').reduce((a, r) => a + r.n, 0);
  const confusions = db
    .prepare<[typeof period], { suggested: string; final: string; count: number }>(
      `SELECT suggested, final, count(*) AS count FROM decisions WHERE kind = 'triage' AND verdict = 'overridden' AND ${inPeriod} GROUP BY suggested, final ORDER BY count DESC, suggested LIMIT 5`,
    )
    .all(period);

  const byStep = new Map<string, { mapId: string; stepId: string; verdicts: Record<string, number>; shadow: Record<string, number>; autoFailures: number }>();
  // Steps and shadow samples first: escalations count only for a step that has verdicts.
  const ordered = [...counted.filter((c) => c.kind !== 'escalation'), ...counted.filter((c) => c.kind === 'escalation')];
  for (const c of ordered) {
    if (c.kind === 'triage' || c.map_id === '' || c.step_id === '') continue;
    const key = `${c.map_id}\u0000${c.step_id}`;
    let entry = byStep.get(key);
    if (!entry && c.kind === 'escalation') continue; // escalations alone do not make a step appear
    if (!entry) byStep.set(key, (entry = { mapId: c.map_id, stepId: c.step_id, verdicts: {}, shadow: {}, autoFailures: 0 }));
    if (c.kind === 'escalation') {
      if (c.auto === 1 && c.verdict === 'escalated') entry.autoFailures += c.n; // an automatic run that failed
      continue;
    }
    const into = c.kind === 'step' ? entry.verdicts : entry.shadow;
    into[c.verdict] = (into[c.verdict] ?? 0) + c.n;
  }

  // INDEXED BY: the planner prefers the wider step index and would read every row of a step to find its edits.
  const q = {
    recent: db.prepare<[Record<string, unknown>], Recent>(`
      SELECT d.seq, d.verdict,
        (d.verdict = 'auto' AND (rs.state = 'failed' OR EXISTS (SELECT 1 FROM decisions e WHERE e.run_id = d.run_id AND e.step_id = d.step_id AND e.kind = 'escalation' AND e.actor = @autoActor))) AS failed
      FROM decisions d LEFT JOIN run_steps rs ON rs.run_id = d.run_id AND rs.step_id = d.step_id
      WHERE d.map_id = @mapId AND d.step_id = @stepId AND d.kind = @kind AND (@since IS NULL OR d.decided_at >= @since) AND (@until IS NULL OR d.decided_at < @until)
      ORDER BY d.seq DESC LIMIT @limit`),
    edits: db.prepare<[Record<string, unknown>], { suggested: string; final: string }>(
      `SELECT suggested, final FROM decisions INDEXED BY decisions_edits WHERE map_id = @mapId AND step_id = @stepId AND kind = 'step' AND verdict = 'edited' AND ${inPeriod} ORDER BY seq DESC LIMIT @limit`,
    ),
    reasons: db.prepare<[Record<string, unknown>], { reason: string }>(
      `SELECT reason FROM decisions INDEXED BY decisions_reasons WHERE map_id = @mapId AND step_id = @stepId AND kind = 'step' AND reason IS NOT NULL AND verdict NOT IN ('accepted', 'auto') AND ${inPeriod} ORDER BY seq DESC LIMIT @limit`,
    ),
    times: db.prepare<[Record<string, unknown>], number>(
      `SELECT decision_ms FROM decisions WHERE map_id = @mapId AND step_id = @stepId AND kind = 'step' AND decision_ms IS NOT NULL AND ${inPeriod} ORDER BY seq DESC LIMIT @limit`,
    ),
  };
  q.times.pluck();

  const steps: StepStats[] = [...byStep.values()].map(({ mapId, stepId, verdicts, shadow: shadowVerdicts, autoFailures }) => {
    const args = { ...period, mapId, stepId, autoActor: AUTO_ACTOR };
    const n = Object.values(verdicts).reduce((a, b) => a + b, 0);
    const asSuggested = (verdicts.accepted ?? 0) + (verdicts.auto ?? 0);
    const fields = new Map<string, number>();
    for (const r of q.edits.all({ ...args, limit: SAMPLE })) for (const f of changedPaths(parse(r.suggested), parse(r.final))) fields.set(f, (fields.get(f) ?? 0) + 1);
    const reasons = new Map<string, number>();
    for (const r of q.reasons.all({ ...args, limit: SAMPLE })) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
    const times = (q.times.all({ ...args, limit: SAMPLE }) as unknown as number[]).sort((a, b) => a - b);
    const live = q.recent.all({ ...args, kind: 'step', limit: policy.window }).reverse();
    const shadowRecent = q.recent.all({ ...args, kind: 'shadow', limit: policy.window }).reverse();
    const shadowN = Object.values(shadowVerdicts).reduce((a, b) => a + b, 0);
    const shadowMatched = shadowVerdicts.accepted ?? 0;
    const liveEvidence = evidence(live, (r) => r.verdict === 'accepted' || (r.verdict === 'auto' && r.failed !== 1), policy, 'taken as suggested', 'verdicts');
    const shadowEvidence = evidence(shadowRecent, (r) => r.verdict === 'accepted', policy, 'what Tandem would have sent matched', 'shadow samples');
    // Either kind of evidence may carry the step, but shadow samples only while they are current: once live verdicts
    // come after the last of them (the step was promoted, or put back to suggest), what happened since is what counts.
    const lastShadow = shadowRecent.at(-1)?.seq ?? -1;
    const lastLive = live.at(-1)?.seq ?? -1;
    const shadowCurrent = shadowRecent.length > 0 && lastShadow > lastLive;
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
      topEditedFields: top(fields).map(([field, count]) => ({ field, count })),
      overrideReasons: top(reasons).map(([reason, count]) => ({ reason, count })),
      autoRuns: verdicts.auto ?? 0,
      autoFailures,
      medianDecisionMs: times.length ? times[Math.floor((times.length - 1) / 2)]! : null,
      shadow: { n: shadowN, matched: shadowMatched, asSuggested: rate(shadowMatched, shadowN) },
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

/** Graduation evidence over the most recent samples of one kind (live verdicts or shadow samples). */
function evidence(list: Recent[], ok: (r: Recent) => boolean, policy: GraduationPolicy, what: string, noun: string) {
  const recent = list.slice(-policy.window);
  const good = recent.filter(ok).length;
  const r = rate(good, recent.length);
  const enough = recent.length >= policy.minSamples;
  return {
    window: recent.length,
    asSuggested: r,
    recommended: enough && r.lower >= policy.threshold,
    why: !enough
      ? `${recent.length} of the ${policy.minSamples} ${noun} needed`
      : r.lower >= policy.threshold
        ? `${what} ${good} of the last ${recent.length} times: at least ${(r.lower * 100).toFixed(1)}% at 95%, above ${(policy.threshold * 100).toFixed(0)}%`
        : `at least ${(r.lower * 100).toFixed(1)}% at 95% over the last ${recent.length} ${noun}; needs ${(policy.threshold * 100).toFixed(0)}%`,
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

function parse(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}

/** Which values an edit changed, as dotted paths (body.amount, path). */
export function changedPaths(a: unknown, b: unknown, prefix = ''): string[] {
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => changedPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix || '(value)'];
}

function top<K>(m: Map<K, number>, n = 5): [K, number][] {
  return [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
}
