// computeStats keeps what it computed between calls (decisions are append-only). These tests hold it to the
// computation as it was before the cache, copied below as the oracle, on a random log that keeps growing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTO_ACTOR } from '../runner/runner.ts';
import { openDatabase, type Db } from '../store/db.ts';
import { createDecisionsRepo } from '../store/decisions-repo.ts';
import { tempDir } from '../testing/temp-dirs.ts';
import { DAY, countDecisions } from './counts.ts';
import { graduationEvidence, LIVE_WORDS, SHADOW_WORDS, type EvidenceWords } from './graduation.ts';
import { changedPaths, computeStats, DEFAULT_GRADUATION, modeChanges, wilsonLower, type GraduationPolicy, type Stats } from './stats.ts';

// ---- The oracle: computeStats as it was before the cache (one read of everything per call), kept verbatim but for
// the confusions' order, which it now spells out to the end (count, suggested, final; ties were left to SQLite).
interface Recent {
  seq: number;
  verdict: string;
  failed: number;
}
const rate = (k: number, n: number) => ({ rate: n === 0 ? 0 : k / n, lower: wilsonLower(k, n) });
const parse = (s: string): unknown => {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
};
const top = <K,>(m: Map<K, number>, n = 5): [K, number][] => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
// The wording and arithmetic of the evidence are graduation.ts's own (tested in graduation.test.ts); the oracle asks it
// with the samples it read itself.
function evidence(list: Recent[], ok: (r: Recent) => boolean, policy: GraduationPolicy, words: EvidenceWords) {
  return graduationEvidence(list.map(ok), policy, words);
}

function uncachedStats(db: Db, filter: { since?: number; until?: number }, policy: GraduationPolicy): Stats {
  const period = { since: filter.since ?? null, until: filter.until ?? null };
  const inPeriod = '(@since IS NULL OR decided_at >= @since) AND (@until IS NULL OR decided_at < @until)';
  const counted = countDecisions(db, { ...filter, kinds: ['triage', 'step', 'shadow', 'escalation', 'revert'] });
  const triageCounts = counted.filter((r) => r.kind === 'triage');
  const triageN = triageCounts.reduce((a, r) => a + r.n, 0);
  const accepted = triageCounts.filter((r) => r.verdict === 'accepted').reduce((a, r) => a + r.n, 0);
  const confusions = db
    .prepare<[typeof period], { suggested: string; final: string; count: number }>(
      `SELECT suggested, final, count(*) AS count FROM decisions WHERE kind = 'triage' AND verdict = 'overridden' AND ${inPeriod} GROUP BY suggested, final ORDER BY count DESC, suggested, final LIMIT 5`,
    )
    .all(period);
  const byStep = new Map<string, { mapId: string; stepId: string; verdicts: Record<string, number>; shadow: Record<string, number>; autoFailures: number; autoReverts: number }>();
  const after = (k: string) => k === 'escalation' || k === 'revert';
  const ordered = [...counted.filter((c) => !after(c.kind)), ...counted.filter((c) => after(c.kind))];
  for (const c of ordered) {
    if (c.kind === 'triage' || c.map_id === '' || c.step_id === '') continue;
    const key = `${c.map_id}\u0000${c.step_id}`;
    let entry = byStep.get(key);
    if (!entry && after(c.kind)) continue;
    if (!entry) byStep.set(key, (entry = { mapId: c.map_id, stepId: c.step_id, verdicts: {}, shadow: {}, autoFailures: 0, autoReverts: 0 }));
    if (c.kind === 'revert') {
      entry.autoReverts += c.n;
      continue;
    }
    if (c.kind === 'escalation') {
      if (c.auto === 1 && c.verdict === 'escalated') entry.autoFailures += c.n;
      continue;
    }
    const into = c.kind === 'step' ? entry.verdicts : entry.shadow;
    into[c.verdict] = (into[c.verdict] ?? 0) + c.n;
  }
  const q = {
    recent: db.prepare<[Record<string, unknown>], Recent>(`
      SELECT d.seq, d.verdict,
        (d.verdict = 'auto' AND (rs.state = 'failed' OR EXISTS (SELECT 1 FROM decisions e WHERE e.run_id = d.run_id AND e.step_id = d.step_id AND e.kind = 'escalation' AND e.actor = @autoActor)
          OR EXISTS (SELECT 1 FROM decisions x WHERE x.run_id = d.run_id AND x.step_id = d.step_id AND x.kind = 'revert'))) AS failed
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
  const steps = [...byStep.values()].map(({ mapId, stepId, verdicts, shadow: shadowVerdicts, autoFailures, autoReverts }) => {
    const args = { ...period, mapId, stepId, autoActor: AUTO_ACTOR };
    const n = Object.values(verdicts).reduce((a, b) => a + b, 0);
    const asSuggested = (verdicts.accepted ?? 0) + (verdicts.auto ?? 0);
    const fields = new Map<string, number>();
    for (const r of q.edits.all({ ...args, limit: 1000 })) for (const f of changedPaths(parse(r.suggested), parse(r.final))) fields.set(f, (fields.get(f) ?? 0) + 1);
    const reasons = new Map<string, number>();
    for (const r of q.reasons.all({ ...args, limit: 1000 })) reasons.set(r.reason, (reasons.get(r.reason) ?? 0) + 1);
    const times = (q.times.all({ ...args, limit: 1000 }) as unknown as number[]).sort((a, b) => a - b);
    const live = q.recent.all({ ...args, kind: 'step', limit: policy.window }).reverse();
    const shadowRecent = q.recent.all({ ...args, kind: 'shadow', limit: policy.window }).reverse();
    const shadowN = Object.values(shadowVerdicts).reduce((a, b) => a + b, 0);
    const shadowMatched = shadowVerdicts.accepted ?? 0;
    const liveEvidence = evidence(live, (r) => r.verdict === 'accepted' || (r.verdict === 'auto' && r.failed !== 1), policy, LIVE_WORDS);
    const shadowEvidence = evidence(shadowRecent, (r) => r.verdict === 'accepted', policy, SHADOW_WORDS);
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
      autoReverts,
      autoReverted: rate(Math.min(autoReverts, verdicts.auto ?? 0), verdicts.auto ?? 0),
      medianDecisionMs: times.length ? times[Math.floor((times.length - 1) / 2)]! : null,
      shadow: { n: shadowN, matched: shadowMatched, asSuggested: rate(shadowMatched, shadowN) },
      mode: null,
      graduation: { ...best, source: best === shadowEvidence ? ('shadow' as const) : ('live' as const) },
    };
  });
  steps.sort((a, b) => a.mapId.localeCompare(b.mapId) || a.stepId.localeCompare(b.stepId));
  return { triage: { n: triageN, accepted, overridden: triageN - accepted, asSuggested: rate(accepted, triageN), confusions }, steps, modeChanges: modeChanges(db) };
}

// ---- A random log: a seeded generator, so a failure can be replayed.
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

const MAPS = ['refund', 'where_is', 'damaged', 'café_☕', '😀emoji'];
const STEPS = ['find', 'check', 'refund', 'reply'];
const T0 = 20_000 * DAY;

describe('computeStats, cached', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  let add: (count: number) => void;
  let autoRuns: { runId: string; stepId: string; mapId: string; reverted?: boolean }[];
  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(`${dir.path}/tandem.db`);
    db.prepare("INSERT INTO tickets (id, source, external_id, subject, body, requester_name, requester_email, channel, created_at, content_hash, imported_at) VALUES ('w:1', 'w', '1', 's', 'b', 'n', 'e@x.org', 'email', 1, 'h', 2)").run();
    const repo = createDecisionsRepo(db);
    const rnd = random(20261125);
    const newRun = db.prepare("INSERT INTO runs (id, ticket_id, map_id, map_version, map_snapshot, state, fields, confidence, threshold, created_by, created_at, updated_at) VALUES (?, 'w:1', ?, 1, '{}', 'done', '{}', 1, 0.5, 'ann', 1, 1)");
    const newRunStep = db.prepare("INSERT INTO run_steps (run_id, idx, step_id, block, mode, state) VALUES (?, 0, ?, 'http', 'auto', ?)");
    autoRuns = [];
    let i = 0;
    add = (count) => {
      for (const end = i + count; i < end; i++) {
        const mapId = rnd.pick(MAPS);
        const stepId = rnd.pick(STEPS);
        const decidedAt = T0 + rnd.int(40 * DAY); // not in seq order: imports bring old decisions late
        const base = { id: `d${i}`, ticketId: 'w:1', triageId: null, runId: `r${i}`, stepId, mapId, mapVersion: 1, actor: rnd.pick(['ann', 'bo']), decidedAt, confidence: 0.9, reason: null as string | null, decisionMs: rnd.next() < 0.2 ? null : rnd.int(5000) };
        const r = rnd.next();
        const suggested = JSON.stringify({ body: { amount: 4200, note: 'x' }, path: '/r' });
        if (r < 0.15) {
          const s = rnd.pick(MAPS);
          const overridden = rnd.next() < 0.4;
          repo.insert({ ...base, kind: 'triage', triageId: `t${i}`, runId: null, stepId: null, mapId: null, suggested: s, final: overridden ? rnd.pick(MAPS.filter((m) => m !== s)) : s, verdict: overridden ? 'overridden' : 'accepted' });
        } else if (r < 0.3) {
          const matched = rnd.next() < 0.8;
          repo.insert({ ...base, kind: 'shadow', actor: 'tandem (shadow)', suggested, final: matched ? suggested : 'null', verdict: matched ? 'accepted' : 'overridden' });
        } else if (r < 0.36 && autoRuns.length > 0) {
          const run = rnd.pick(autoRuns); // an automatic run that failed afterwards (or a person's escalation of it)
          if (!run.reverted && rnd.next() < 0.3) {
            // or one a person marked as reverted (once per run)
            run.reverted = true;
            repo.insert({ ...base, kind: 'revert', runId: run.runId, stepId: run.stepId, mapId: run.mapId, actor: 'lead', suggested, final: 'null', verdict: 'reverted', reason: 'undone by hand' });
            continue;
          }
          repo.insert({ ...base, kind: 'escalation', runId: run.runId, stepId: run.stepId, actor: rnd.next() < 0.7 ? AUTO_ACTOR : 'ann', suggested, final: '{}', verdict: 'escalated', reason: 'failed' });
        } else if (r < 0.38) {
          repo.insert({ ...base, kind: 'promotion', runId: null, ticketId: null, suggested: '"suggest"', final: '"auto"', verdict: rnd.next() < 0.5 ? 'promoted' : 'demoted', actor: 'lead' });
        } else {
          const v = rnd.pick(['accepted', 'accepted', 'accepted', 'auto', 'auto', 'edited', 'skipped', 'escalated'] as const);
          const final = v === 'edited' ? JSON.stringify({ body: { amount: rnd.pick([2100, 4000]), note: rnd.pick(['x', 'y']) }, path: rnd.pick(['/r', '/s']) }) : v === 'accepted' || v === 'auto' ? suggested : 'null';
          const reason = v === 'accepted' || v === 'auto' ? null : rnd.pick(['partial refund', 'customer withdrew', 'VIP', null]);
          repo.insert({ ...base, kind: 'step', actor: v === 'auto' ? AUTO_ACTOR : base.actor, suggested, final, verdict: v, reason });
          if (v === 'auto') {
            autoRuns.push({ runId: base.runId, stepId, mapId });
            if (rnd.next() < 0.5) {
              newRun.run(base.runId, mapId);
              newRunStep.run(base.runId, stepId, rnd.pick(['done', 'failed', 'running']));
            }
          }
        }
      }
    };
    add(1500);
  });
  afterEach(() => {
    db.close();
    dir.cleanup();
  });

  const periods = [{}, { since: T0 + 10 * DAY }, { since: T0 + 3 * DAY + 5_000, until: T0 + 20 * DAY + 77 }, { until: T0 + 15 * DAY }];
  const policies: GraduationPolicy[] = [DEFAULT_GRADUATION, { threshold: 0.5, window: 8, minSamples: 5 }];
  const same = () => {
    for (const p of periods) for (const policy of policies) expect(computeStats(db, p, policy)).toEqual(uncachedStats(db, p, policy));
  };

  it('gives what the uncached computation gives, call after call, as decisions land', () => {
    same(); // fills the cache
    same(); // read from it
    for (const n of [1, 3, 40, 400]) {
      add(n);
      same();
    }
  });

  it('sees a new decision at once, and a run step that failed without one', () => {
    const before = computeStats(db);
    add(1);
    const after = computeStats(db);
    expect(after).not.toEqual(before);
    expect(after).toEqual(uncachedStats(db, {}, DEFAULT_GRADUATION));
    // An automatic run's step marked failed after the fact: no decision lands, yet graduation must count it.
    const policy = { threshold: 0.5, window: 8, minSamples: 5 };
    computeStats(db, {}, policy);
    const ok = db.prepare("UPDATE run_steps SET state = 'done'").run().changes;
    expect(ok).toBeGreaterThan(0);
    const done = computeStats(db, {}, policy);
    expect(done).toEqual(uncachedStats(db, {}, policy));
    db.prepare("UPDATE run_steps SET state = 'failed'").run();
    const failed = computeStats(db, {}, policy);
    expect(failed).toEqual(uncachedStats(db, {}, policy));
    expect(failed.steps.map((s) => s.graduation)).not.toEqual(done.steps.map((s) => s.graduation));
  });

  it('hands out copies: changing a result does not change the next one', () => {
    const first = computeStats(db);
    const step = first.steps.find((s) => s.topEditedFields.length > 0)!;
    step.topEditedFields[0]!.count = -1;
    step.overrideReasons.length = 0;
    first.triage.confusions[0]!.count = -1;
    expect(computeStats(db)).toEqual(uncachedStats(db, {}, DEFAULT_GRADUATION));
  });
});

describe('computeStats, most edited fields', () => {
  // The fields come from decision_edit_fields (written with each edit) instead of the JSON, and reasons and the median
  // time to decide are counted in SQL: over more verdicts than the sample of 1,000, with reasons given as often as each
  // other, with fields edited exactly as often as each other (their order is then where they were first met,
  // newest edit first), integer-like keys (JavaScript lists them first), a dotted key beside the nested one, text that
  // is not JSON, and edits spread over time so each period cuts the sample somewhere else.
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  const shapes: [string, string][] = [
    ['{"b":1,"a":1}', '{"b":2,"a":2}'],
    ['{"b":1,"a":1}', '{"a":2,"b":2}'],
    ['{"z":1,"c":1}', '{"z":2,"c":2}'],
    ['{"z":1,"c":1,"d.e":1,"d":{"e":1}}', '{"z":2,"c":2,"d.e":2,"d":{"e":2}}'],
    ['not json', '{"a":3}'],
    ['{"f":[1],"10":1}', '{"f":[2],"10":2,"a":1}'],
  ];
  let i = 0;
  let add: (count: number) => void;
  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(`${dir.path}/tandem.db`);
    const repo = createDecisionsRepo(db);
    const rnd = random(8);
    i = 0;
    add = (count) => {
      for (const end = i + count; i < end; i++) {
        const reason = rnd.pick(['partial refund', 'customer withdrew', 'VIP', 'café ☕', null]);
        const base = { id: `e${i}`, ticketId: 'w:1', triageId: null, runId: `r${i}`, mapId: 'refund', mapVersion: 1, actor: 'ann', decidedAt: T0 + rnd.int(40 * DAY), confidence: 0.9, reason, decisionMs: rnd.next() < 0.1 ? null : rnd.int(50) * 100, kind: 'step' as const };
        const [suggested, final] = shapes[rnd.next() < 0.9 ? i % 4 : rnd.int(shapes.length)]!;
        const stepId = i % 7 === 0 ? 'reply' : 'refund';
        if (i % 9 === 0) repo.insert({ ...base, stepId, suggested, final: suggested, verdict: 'accepted' });
        else repo.insert({ ...base, stepId, suggested, final, verdict: 'edited' });
      }
    };
    add(1400);
  });
  afterEach(() => {
    db.close();
    dir.cleanup();
  });

  it('gives the fields, reasons and median time to decide, in the order the JavaScript over the last 1,000 rows did', () => {
    const periods = [{}, { since: T0 + 10 * DAY }, { since: T0 + 3 * DAY + 5_000, until: T0 + 20 * DAY + 77 }, { until: T0 + 15 * DAY }, { since: T0 + 39 * DAY }];
    const check = () => {
      for (const p of periods) {
        const ours = computeStats(db, p);
        expect(ours).toEqual(uncachedStats(db, p, DEFAULT_GRADUATION));
        const refund = ours.steps.find((s) => s.stepId === 'refund')!;
        expect(refund.topEditedFields.length).toBe(5);
        expect(refund.overrideReasons.length).toBe(4);
      }
    };
    check();
    // Ties: fields edited exactly as often as each other.
    const all = computeStats(db).steps.find((s) => s.stepId === 'refund')!.topEditedFields;
    expect(new Set(all.map((f) => f.count)).size).toBeLessThan(all.length);
    expect(db.prepare("SELECT count(*) FROM decisions WHERE step_id = 'refund' AND verdict = 'edited'").pluck().get()).toBeGreaterThan(1000);
    for (const n of [1, 5, 300]) {
      add(n);
      check();
    }
  });
});
