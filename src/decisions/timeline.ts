// The dashboard over time: per day or week, the volume of verdicts, how often steps and triage were taken as suggested
// (with the Wilson lower bound beside each rate), edits, escalations, automatic runs and their failures. Read from
// the day counts (decisions/counts.ts), summed per bucket in SQL, so it stays fast on millions of rows (see bench/record.ts).
import type { Db } from '../store/db.ts';
import { bucketDecisions, DAY } from './counts.ts';
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

export function computeTimeline(db: Db, filter: TimelineFilter): TimelinePoint[] {
  // Day numbers since 1970-01-01 (a Thursday); +3 makes weeks start on Monday.
  const days = filter.bucket === 'week' ? 7 : 1;
  const shift = filter.bucket === 'week' ? 3 : 0;
  // Summed per bucket in SQL: all time per week is a few hundred rows, not every day's counts of every step.
  const rows = bucketDecisions(db, { since: filter.since, until: filter.until, mapId: filter.mapId, stepId: filter.stepId, kinds: ['triage', 'step', 'shadow', 'escalation'] }, days, shift);
  type Tally = { volume: number; triageN: number; triageOk: number; stepN: number; stepOk: number; edited: number; shadowN: number; shadowOk: number; escalations: number; autoRuns: number; autoFailures: number };
  const buckets = new Map<number, Tally>();
  for (const r of rows) {
    const b = r.bucket;
    let t = buckets.get(b);
    if (!t) buckets.set(b, (t = { volume: 0, triageN: 0, triageOk: 0, stepN: 0, stepOk: 0, edited: 0, shadowN: 0, shadowOk: 0, escalations: 0, autoRuns: 0, autoFailures: 0 }));
    if (r.kind === 'triage' || r.kind === 'step') t.volume += r.n;
    if (r.kind === 'triage') {
      t.triageN += r.n;
      if (r.verdict === 'accepted') t.triageOk += r.n;
    }
    if (r.kind === 'step') {
      t.stepN += r.n;
      if (r.verdict === 'accepted' || r.verdict === 'auto') t.stepOk += r.n;
      if (r.verdict === 'edited') t.edited += r.n;
      if (r.verdict === 'auto') t.autoRuns += r.n;
    }
    if (r.kind === 'shadow') {
      t.shadowN += r.n;
      if (r.verdict === 'accepted') t.shadowOk += r.n;
    }
    if (r.verdict === 'escalated' && (r.kind === 'step' || r.kind === 'escalation')) t.escalations += r.n;
    if (r.kind === 'escalation' && r.auto === 1 && r.verdict === 'escalated') t.autoFailures += r.n;
  }
  return [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([b, t]) => ({
      start: (b * days - shift) * DAY,
      volume: t.volume,
      triage: { n: t.triageN, accepted: t.triageOk, asSuggested: rate(t.triageOk, t.triageN) },
      steps: { n: t.stepN, asSuggested: rate(t.stepOk, t.stepN), edited: t.edited },
      shadow: { n: t.shadowN, matched: t.shadowOk },
      escalations: t.escalations,
      autoRuns: t.autoRuns,
      autoFailures: t.autoFailures,
    }));
}

const rate = (k: number, n: number): Rate => ({ rate: n === 0 ? 0 : k / n, lower: wilsonLower(k, n) });
