import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/db.ts';
import { createDecisionsRepo } from '../store/decisions-repo.ts';
import { tempDir } from '../testing/temp-dirs.ts';
import { changedPaths, computeStats, wilsonLower } from './stats.ts';

describe('wilsonLower', () => {
  it('matches the textbook values and never flatters small samples', () => {
    expect(wilsonLower(0, 0)).toBe(0);
    expect(wilsonLower(10, 10)).toBeCloseTo(0.7225, 3); // 10 out of 10 is not proof of 95%
    expect(wilsonLower(95, 100)).toBeCloseTo(0.8882, 3);
    expect(wilsonLower(950, 1000)).toBeCloseTo(0.9346, 3);
    expect(wilsonLower(0, 10)).toBe(0);
  });
});

describe('changedPaths', () => {
  it('names the values an edit changed', () => {
    expect(changedPaths({ body: { amount: 4200, reason: 'x' }, path: '/r' }, { body: { amount: 2100, reason: 'x' }, path: '/r' })).toEqual(['body.amount']);
    expect(changedPaths('a', 'b')).toEqual(['(value)']);
  });
});

describe('computeStats', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(`${dir.path}/tandem.db`);
    db.prepare("INSERT INTO tickets (id, source, external_id, subject, body, requester_name, requester_email, channel, created_at, content_hash, imported_at) VALUES ('w:1', 'w', '1', 's', 'b', 'n', 'e@x.org', 'email', 1, 'h', 2)").run();
    const repo = createDecisionsRepo(db);
    const base = { ticketId: 'w:1', triageId: null, stepId: null, runId: null, mapId: null, mapVersion: null, actor: 'ann', confidence: 0.9, reason: null, decisionMs: null };
    const add = (d: Partial<Parameters<typeof repo.insert>[0]>) => repo.insert({ ...base, id: randomUUID(), kind: 'step', decidedAt: 5, suggested: '{}', final: '{}', verdict: 'accepted', ...d } as Parameters<typeof repo.insert>[0]);
    const run = db.prepare("INSERT INTO runs (id, ticket_id, map_id, map_version, map_snapshot, state, fields, confidence, threshold, created_by, created_at, updated_at) VALUES (?, 'w:1', 'refund', 1, '{}', 'done', '{}', 1, 0.5, 'ann', 1, 1)");
    for (let i = 0; i < 10; i++) run.run(`r${i}`);
    for (let i = 0; i < 8; i++) add({ runId: `r${i}`, stepId: 'refund', mapId: 'refund', decisionMs: 1000 * (i + 1) });
    add({ runId: 'r8', stepId: 'refund', mapId: 'refund', verdict: 'edited', suggested: '{"body":{"amount":4200}}', final: '{"body":{"amount":2100}}', reason: 'partial refund' });
    add({ runId: 'r9', stepId: 'refund', mapId: 'refund', verdict: 'skipped', reason: 'already refunded' });
    add({ kind: 'triage', verdict: 'accepted', suggested: 'refund_request', final: 'refund_request' });
    add({ kind: 'triage', verdict: 'overridden', suggested: 'refund_request', final: 'damaged_item' });
  });
  afterEach(() => {
    db.close();
    dir.cleanup();
  });

  it('gives each step its rates with Wilson lower bounds, the fields most edited and the reasons', () => {
    const s = computeStats(db);
    expect(s.triage).toMatchObject({ n: 2, accepted: 1, overridden: 1, confusions: [{ suggested: 'refund_request', final: 'damaged_item', count: 1 }] });
    expect(s.steps).toHaveLength(1);
    const step = s.steps[0]!;
    expect(step).toMatchObject({ mapId: 'refund', stepId: 'refund', n: 10, verdicts: { accepted: 8, edited: 1, skipped: 1 }, topEditedFields: [{ field: 'body.amount', count: 1 }], medianDecisionMs: 4000 });
    expect(step.asSuggested.rate).toBe(0.8);
    expect(step.asSuggested.lower).toBeCloseTo(wilsonLower(8, 10), 6);
    expect(step.overrideReasons.map((r) => r.reason).sort()).toEqual(['already refunded', 'partial refund']);
    // Not "10 of the 30 needed": the two misses (the last two verdicts) keep the lower bound under 95% until the next
    // 100 verdicts have pushed them out of the window (two misses need 142 samples to be outweighed).
    expect(step.graduation).toMatchObject({ window: 10, recommended: false, needed: 100 });
    expect(step.graduation.why).toBe('taken as suggested 8 of the last 10 times: at least 49.0% at 95%; needs 100 more verdicts taken as suggested, in a row, to clear 95%');
    expect(step.mode).toBeNull(); // no workspace was asked
  });

  it('never recommends a step its map already runs automatically, and says which mode each step is in', () => {
    const policy = { threshold: 0.4, window: 8, minSamples: 5 };
    expect(computeStats(db, {}, policy, () => 'suggest').steps[0]).toMatchObject({ mode: 'suggest', graduation: { recommended: true, needed: 0 } });
    const auto = computeStats(db, {}, policy, (mapId, stepId) => (mapId === 'refund' && stepId === 'refund' ? 'auto' : undefined)).steps[0]!;
    expect(auto).toMatchObject({ mode: 'auto', graduation: { recommended: false, needed: null } });
    expect(auto.graduation.why).toMatch(/^taken as suggested 6 of the last 8 times: at least 40\.\d% at 95%$/);
  });

  it('counts a by-hand step ticked off as taken as suggested, and never recommends automating it', () => {
    const repo = createDecisionsRepo(db);
    const run = db.prepare("INSERT INTO runs (id, ticket_id, map_id, map_version, map_snapshot, state, fields, confidence, threshold, created_by, created_at, updated_at) VALUES (?, 'w:1', 'damaged', 1, '{}', 'done', '{}', 1, 0.5, 'ann', 1, 1)");
    for (let i = 0; i < 6; i++) {
      run.run(`m${i}`);
      repo.insert({ id: randomUUID(), ticketId: 'w:1', kind: 'step', triageId: null, runId: `m${i}`, stepId: 'resolve', mapId: 'damaged', mapVersion: 1, actor: 'ann', decidedAt: 6, suggested: '{}', final: 'null', verdict: 'manual', confidence: 0.9, reason: null, decisionMs: null });
    }
    const policy = { threshold: 0.5, window: 6, minSamples: 5 };
    const blockOf = (mapId: string, stepId: string) => (mapId === 'damaged' && stepId === 'resolve' ? 'manual' : 'http');
    const resolve = computeStats(db, {}, policy, () => 'suggest', blockOf).steps.find((st) => st.stepId === 'resolve')!;
    expect(resolve.asSuggested.rate).toBe(1); // ticked off as the map asks, six times out of six
    expect(resolve.graduation).toMatchObject({ recommended: false, needed: null, why: 'done by a person by design (a manual step): there is nothing to run automatically' });
    // The same verdicts on a step Tandem would have run are people doing its work by hand: not as suggested.
    expect(computeStats(db, {}, policy, () => 'suggest').steps.find((st) => st.stepId === 'resolve')!.asSuggested.rate).toBe(0);
  });

  it('recommends a step for auto only when the lower bound over the recent window clears the threshold', () => {
    expect(computeStats(db, {}, { threshold: 0.5, window: 8, minSamples: 5 }).steps[0]!.graduation).toMatchObject({ window: 8, recommended: false }); // 6 of the last 8
    const lenient = computeStats(db, {}, { threshold: 0.4, window: 8, minSamples: 5 }).steps[0]!.graduation;
    expect(lenient.recommended).toBe(true);
    expect(lenient.why).toMatch(/^taken as suggested 6 of the last 8 times: at least 40\.\d% at 95%, above 40%$/);
  });
});

describe('changedPaths on plain values', () => {
  it('gives what comparing them as JSON gave, for every pair of values', () => {
    const asJson = (a: unknown, b: unknown, prefix = ''): string[] => {
      if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        return [...keys].flatMap((k) => asJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k));
      }
      return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix || '(value)'];
    };
    const values: unknown[] = [null, undefined, 0, -0, 1, 1.5, NaN, Infinity, '', '1', 'a', true, false, [], [1], {}, { a: 1 }, { a: '1' }];
    for (const a of values) for (const b of values) expect(changedPaths({ x: a }, { x: b })).toEqual(asJson({ x: a }, { x: b }));
  });
});
