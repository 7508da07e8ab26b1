// The team lead's numbers: per map and step, how often Tandem's suggestion was taken as it was — with the lower bound
// of a Wilson interval next to every rate, so ten lucky samples never look like proof.
import type { Db } from '../store/db.ts';
import { AUTO_ACTOR } from '../runner/runner.ts';

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

interface Row {
  seq: number;
  kind: string;
  map_id: string | null;
  step_id: string | null;
  run_id: string | null;
  verdict: string;
  suggested: string;
  final: string;
  reason: string | null;
  decision_ms: number | null;
  step_state: string | null;
  auto_failed: number;
}

export function computeStats(db: Db, filter: { since?: number | undefined; until?: number | undefined } = {}, policy: GraduationPolicy = DEFAULT_GRADUATION): Stats {
  const rows = db
    .prepare<[{ since: number | null; until: number | null; autoActor: string }], Row>(`
      SELECT d.seq, d.kind, d.map_id, d.step_id, d.run_id, d.verdict, d.reason, d.decision_ms, rs.state AS step_state,
        -- the values themselves only where they are read (edits, triage changes): the rest would be megabytes for nothing
        CASE WHEN d.verdict IN ('edited', 'overridden') AND d.kind IN ('step', 'triage') THEN d.suggested END AS suggested,
        CASE WHEN d.verdict IN ('edited', 'overridden') AND d.kind IN ('step', 'triage') THEN d.final END AS final,
        (d.verdict = 'auto' AND EXISTS (SELECT 1 FROM decisions e WHERE e.run_id = d.run_id AND e.step_id = d.step_id AND e.kind = 'escalation' AND e.actor = @autoActor)) AS auto_failed
      FROM decisions d LEFT JOIN run_steps rs ON rs.run_id = d.run_id AND rs.step_id = d.step_id
      WHERE d.kind IN ('triage', 'step', 'shadow') AND (@since IS NULL OR d.decided_at >= @since) AND (@until IS NULL OR d.decided_at < @until)
      ORDER BY d.seq`)
    .all({ since: filter.since ?? null, until: filter.until ?? null, autoActor: AUTO_ACTOR });
  // An automatic run failed if it left a failure in the record (it did, from this version on) or its step is failed now.
  const autoFailed = (r: Row) => r.verdict === 'auto' && (r.auto_failed === 1 || r.step_state === 'failed');

  const triageRows = rows.filter((r) => r.kind === 'triage');
  const accepted = triageRows.filter((r) => r.verdict === 'accepted').length;
  const confusions = new Map<string, number>();
  for (const r of triageRows) if (r.verdict === 'overridden') confusions.set(`${r.suggested}\u0000${r.final}`, (confusions.get(`${r.suggested}\u0000${r.final}`) ?? 0) + 1);

  const groups = new Map<string, Row[]>();
  const shadows = new Map<string, Row[]>();
  for (const r of rows) {
    if (r.kind !== 'step' && r.kind !== 'shadow') continue;
    const key = `${r.map_id}\u0000${r.step_id}`;
    const into = r.kind === 'step' ? groups : shadows;
    const list = into.get(key);
    if (list) list.push(r);
    else into.set(key, [r]);
    if (r.kind === 'shadow' && !groups.has(key)) groups.set(key, []);
  }
  const steps: StepStats[] = [...groups.entries()].map(([key, list]) => {
    const [mapId, stepId] = key.split('\u0000') as [string, string];
    const verdicts: Record<string, number> = {};
    for (const r of list) verdicts[r.verdict] = (verdicts[r.verdict] ?? 0) + 1;
    const asSuggested = (verdicts.accepted ?? 0) + (verdicts.auto ?? 0);
    const fields = new Map<string, number>();
    for (const r of list.filter((x) => x.verdict === 'edited')) for (const f of changedPaths(parse(r.suggested), parse(r.final))) fields.set(f, (fields.get(f) ?? 0) + 1);
    const reasons = new Map<string, number>();
    for (const r of list) if (r.reason && r.verdict !== 'accepted' && r.verdict !== 'auto') reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
    const times = list.map((r) => r.decision_ms).filter((x): x is number => x !== null).sort((a, b) => a - b);
    const shadowList = shadows.get(key) ?? [];
    const shadowMatched = shadowList.filter((r) => r.verdict === 'accepted').length;
    const live = evidence(list, (r) => r.verdict === 'accepted' || (r.verdict === 'auto' && !autoFailed(r)), policy, 'taken as suggested', 'verdicts');
    const shadow = evidence(shadowList, (r) => r.verdict === 'accepted', policy, 'what Tandem would have sent matched', 'shadow samples');
    // Either kind of evidence may carry the step, but shadow samples only while they are current: once live verdicts
    // come after the last of them (the step was promoted, or put back to suggest), what happened since is what counts.
    const shadowCurrent = shadowList.length > 0 && (list.length === 0 || shadowList[shadowList.length - 1]!.seq > list[list.length - 1]!.seq);
    const best = live.recommended ? live : shadowCurrent && (shadow.recommended || list.length === 0 || shadow.asSuggested.lower > live.asSuggested.lower) ? shadow : live;
    const graduation = { ...best, source: best === shadow ? ('shadow' as const) : ('live' as const) };
    return {
      mapId,
      stepId,
      n: list.length,
      verdicts,
      asSuggested: rate(asSuggested, list.length),
      edited: rate(verdicts.edited ?? 0, list.length),
      topEditedFields: top(fields).map(([field, count]) => ({ field, count })),
      overrideReasons: top(reasons).map(([reason, count]) => ({ reason, count })),
      autoRuns: verdicts.auto ?? 0,
      autoFailures: list.filter(autoFailed).length,
      medianDecisionMs: times.length ? times[Math.floor((times.length - 1) / 2)]! : null,
      shadow: { n: shadowList.length, matched: shadowMatched, asSuggested: rate(shadowMatched, shadowList.length) },
      graduation,
    };
  });
  steps.sort((a, b) => a.mapId.localeCompare(b.mapId) || a.stepId.localeCompare(b.stepId));
  return {
    triage: {
      n: triageRows.length,
      accepted,
      overridden: triageRows.length - accepted,
      asSuggested: rate(accepted, triageRows.length),
      confusions: top(confusions).map(([k, count]) => {
        const [suggested, final] = k.split('\u0000') as [string, string];
        return { suggested, final, count };
      }),
    },
    steps,
    modeChanges: modeChanges(db),
  };
}

/** Graduation evidence over the most recent samples of one kind (live verdicts or shadow samples). */
function evidence(list: Row[], ok: (r: Row) => boolean, policy: GraduationPolicy, what: string, noun: string) {
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
