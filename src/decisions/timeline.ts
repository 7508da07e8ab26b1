// The dashboard over time: per day or week, the volume of verdicts, how often steps and triage were taken as suggested
// (with the Wilson lower bound beside each rate), edits, escalations, automatic runs and their failures. One grouped
// query over the record, so it stays fast on millions of rows (see bench/run.ts).
import type { Db } from '../store/db.ts';
import { AUTO_ACTOR } from '../runner/runner.ts';
import { wilsonLower, type Rate } from './stats.ts';

export type Bucket = 'day' | 'week';

export interface TimelinePoint {
  /** Start of the day or week (Monday), UTC milliseconds. */
  start: number;
  volume: number;
  triage: { n: number; accepted: number; asSuggested: Rate };
  steps: { n: number; asSuggested: Rate; edited: number };
  shadow: { n: number; matched: number };
  escalations: number;
  autoRuns: number;
  autoFailures: number;
}

export interface TimelineFilter {
  bucket: Bucket;
  since?: number | undefined;
  until?: number | undefined;
  mapId?: string | undefined;
  stepId?: string | undefined;
}

const DAY = 86_400_000;

interface Row {
  b: number;
  volume: number;
  triage_n: number;
  triage_ok: number;
  step_n: number;
  step_ok: number;
  edited: number;
  shadow_n: number;
  shadow_ok: number;
  escalations: number;
  auto_runs: number;
  auto_failures: number;
}

export function computeTimeline(db: Db, filter: TimelineFilter): TimelinePoint[] {
  // Day numbers since 1970-01-01 (a Thursday); +3 makes weeks start on Monday.
  const days = filter.bucket === 'week' ? 7 : 1;
  const shift = filter.bucket === 'week' ? 3 : 0;
  const rows = db
    .prepare<[Record<string, string | number | null>], Row>(`
      SELECT (decided_at / ${DAY} + ${shift}) / ${days} AS b, -- integer literals: bound numbers are REALs and would not divide whole
        sum(kind IN ('triage', 'step')) AS volume,
        sum(kind = 'triage') AS triage_n,
        sum(kind = 'triage' AND verdict = 'accepted') AS triage_ok,
        sum(kind = 'step') AS step_n,
        sum(kind = 'step' AND verdict IN ('accepted', 'auto')) AS step_ok,
        sum(kind = 'step' AND verdict = 'edited') AS edited,
        sum(kind = 'shadow') AS shadow_n,
        sum(kind = 'shadow' AND verdict = 'accepted') AS shadow_ok,
        sum(verdict = 'escalated' AND kind IN ('step', 'escalation')) AS escalations,
        sum(kind = 'step' AND verdict = 'auto') AS auto_runs,
        sum(kind = 'escalation' AND actor = @autoActor) AS auto_failures
      FROM decisions
      WHERE kind IN ('triage', 'step', 'shadow', 'escalation')
        AND (@since IS NULL OR decided_at >= @since) AND (@until IS NULL OR decided_at < @until)
        AND (@mapId IS NULL OR map_id = @mapId) AND (@stepId IS NULL OR step_id = @stepId)
      GROUP BY b ORDER BY b`)
      .all({ autoActor: AUTO_ACTOR, since: filter.since ?? null, until: filter.until ?? null, mapId: filter.mapId ?? null, stepId: filter.stepId ?? null });
  return rows.map((r) => ({
    start: (r.b * days - shift) * DAY,
    volume: r.volume,
    triage: { n: r.triage_n, accepted: r.triage_ok, asSuggested: rate(r.triage_ok, r.triage_n) },
    steps: { n: r.step_n, asSuggested: rate(r.step_ok, r.step_n), edited: r.edited },
    shadow: { n: r.shadow_n, matched: r.shadow_ok },
    escalations: r.escalations,
    autoRuns: r.auto_runs,
    autoFailures: r.auto_failures,
  }));
}

const rate = (k: number, n: number): Rate => ({ rate: n === 0 ? 0 : k / n, lower: wilsonLower(k, n) });
