// computeTimeline sums its buckets in SQL; held here to the computation as it was before (day counts summed in
// JavaScript), copied below as the oracle, for days and weeks, any period, a map and a step, and days before 1970.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTO_ACTOR } from '../runner/runner.ts';
import { openDatabase, type Db } from '../store/db.ts';
import { createDecisionsRepo } from '../store/decisions-repo.ts';
import { tempDir } from '../testing/temp-dirs.ts';
import { countDecisions, DAY } from './counts.ts';
import { wilsonLower } from './stats.ts';
import { computeTimeline, type TimelineFilter, type TimelinePoint } from './timeline.ts';

// ---- The oracle: computeTimeline before the buckets were summed in SQL, verbatim.
const rate = (k: number, n: number) => ({ rate: n === 0 ? 0 : k / n, lower: wilsonLower(k, n) });
function oracle(db: Db, filter: TimelineFilter): TimelinePoint[] {
  const days = filter.bucket === 'week' ? 7 : 1;
  const shift = filter.bucket === 'week' ? 3 : 0;
  const rows = countDecisions(db, { since: filter.since, until: filter.until, mapId: filter.mapId, stepId: filter.stepId, kinds: ['triage', 'step', 'shadow', 'escalation'] });
  type Tally = { volume: number; triageN: number; triageOk: number; stepN: number; stepOk: number; edited: number; shadowN: number; shadowOk: number; escalations: number; autoRuns: number; autoFailures: number };
  const buckets = new Map<number, Tally>();
  for (const r of rows) {
    const b = Math.floor((r.day + shift) / days);
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

function random(seed: number) {
  let x = seed >>> 0 || 1;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T,>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

describe('computeTimeline', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  // 70 days around a Monday, and a week on either side of 1970-01-01 (a Thursday): buckets below zero round down.
  const T0 = 20_000 * DAY;
  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(`${dir.path}/tandem.db`);
    const repo = createDecisionsRepo(db);
    const rnd = random(73);
    for (let i = 0; i < 2500; i++) {
      const decidedAt = i % 10 === 0 ? rnd.int(14 * DAY) - 7 * DAY : T0 + rnd.int(70 * DAY);
      const base = { id: `d${i}`, ticketId: 'w:1', triageId: null, runId: `r${i}`, stepId: rnd.pick(['find', 'refund']), mapId: rnd.pick(['refund', 'damaged']), mapVersion: 1, actor: 'ann', decidedAt, confidence: 0.9, reason: null, decisionMs: null };
      const r = rnd.next();
      if (r < 0.2) {
        const overridden = rnd.next() < 0.3;
        repo.insert({ ...base, kind: 'triage', triageId: `t${i}`, runId: null, stepId: null, mapId: null, suggested: 'refund', final: overridden ? 'other' : 'refund', verdict: overridden ? 'overridden' : 'accepted' });
      } else if (r < 0.3) {
        const matched = rnd.next() < 0.8;
        repo.insert({ ...base, kind: 'shadow', actor: 'tandem (shadow)', suggested: '{}', final: matched ? '{}' : 'null', verdict: matched ? 'accepted' : 'overridden' });
      } else if (r < 0.36) {
        repo.insert({ ...base, kind: 'escalation', actor: rnd.next() < 0.7 ? AUTO_ACTOR : 'ann', suggested: '{}', final: '{}', verdict: 'escalated', reason: 'failed' });
      } else if (r < 0.38) {
        repo.insert({ ...base, kind: 'promotion', runId: null, ticketId: null, suggested: '"suggest"', final: '"auto"', verdict: 'promoted', actor: 'lead' });
      } else {
        const v = rnd.pick(['accepted', 'accepted', 'auto', 'edited', 'skipped', 'escalated'] as const);
        repo.insert({ ...base, kind: 'step', actor: v === 'auto' ? AUTO_ACTOR : 'ann', suggested: '{"a":1}', final: v === 'edited' ? '{"a":2}' : v === 'accepted' || v === 'auto' ? '{"a":1}' : 'null', verdict: v });
      }
    }
  });
  afterEach(() => {
    db.close();
    dir.cleanup();
  });

  it('gives what summing the day counts in JavaScript gave, per day and per week, for any period, map and step', () => {
    const periods = [{}, { since: T0 + 10 * DAY }, { since: T0 + 3 * DAY + 5_000, until: T0 + 40 * DAY + 77 }, { until: T0 + 15 * DAY }, { since: -3 * DAY - 5, until: 2 * DAY + 1 }, { since: T0 + 5 * DAY + 1, until: T0 + 5 * DAY + 2 }];
    const scopes = [{}, { mapId: 'refund' }, { mapId: 'damaged', stepId: 'find' }];
    let points = 0;
    for (const bucket of ['day', 'week'] as const)
      for (const period of periods)
        for (const scope of scopes) {
          const filter = { bucket, ...period, ...scope };
          const ours = computeTimeline(db, filter);
          expect(ours).toEqual(oracle(db, filter));
          points += ours.length;
        }
    expect(points).toBeGreaterThan(500);
    // Weeks start on Monday, before 1970 too (the week of 1970-01-01 began on Monday 1969-12-29).
    const weeks = computeTimeline(db, { bucket: 'week', until: 7 * DAY });
    expect(weeks.map((w) => new Date(w.start).getUTCDay())).toEqual(weeks.map(() => 1));
    expect(weeks.map((w) => w.start)).toContain(-3 * DAY);
  });
});
