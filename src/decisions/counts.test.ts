import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/db.ts';
import { createDecisionsRepo } from '../store/decisions-repo.ts';
import { tempDir } from '../testing/temp-dirs.ts';
import { countConfusions, countDecisions, DAY, totalDecisions } from './counts.ts';

describe('countDecisions', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(`${dir.path}/tandem.db`);
    const repo = createDecisionsRepo(db);
    // 300 decisions, one every 37 minutes over about a week, of several kinds and verdicts.
    for (let i = 0; i < 300; i++) {
      const step = i % 3 !== 0;
      repo.insert({
        id: `d${i}`, ticketId: 'w:1', kind: step ? 'step' : 'triage', triageId: step ? null : `t${i}`, runId: step ? `r${i}` : null, stepId: step ? (i % 2 ? 'refund' : 'reply') : null,
        mapId: step ? 'refund_request' : null, mapVersion: 1, actor: i % 5 === 0 && step ? 'tandem (auto)' : 'ann', decidedAt: 20_000 * DAY + i * 37 * 60_000,
        suggested: step ? '{}' : 'a', final: step ? '{}' : i % 2 ? 'b' : 'a', verdict: step ? (i % 5 === 0 ? 'auto' : i % 7 === 0 ? 'skipped' : 'accepted') : i % 2 ? 'overridden' : 'accepted', confidence: 1, reason: null, decisionMs: null,
      });
    }
  });
  afterEach(() => {
    db.close();
    dir.cleanup();
  });

  it('matches a count of the record itself for any period, whole days from the counts and part-days from the rows', () => {
    const truth = (since: number | null, until: number | null, mapId: string | null = null) =>
      db
        .prepare("SELECT kind, verdict, actor = 'tandem (auto)' AS auto, count(*) AS n FROM decisions WHERE (@since IS NULL OR decided_at >= @since) AND (@until IS NULL OR decided_at < @until) AND (@mapId IS NULL OR map_id = @mapId) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")
        .all({ since, until, mapId });
    const ours = (since: number | null, until: number | null, mapId: string | null = null) => {
      const m = new Map<string, number>();
      for (const r of countDecisions(db, { since: since ?? undefined, until: until ?? undefined, mapId: mapId ?? undefined, kinds: ['triage', 'step'] })) {
        const k = `${r.kind}|${r.verdict}|${r.auto}`;
        m.set(k, (m.get(k) ?? 0) + r.n);
      }
      return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, n]) => {
        const [kind, verdict, auto] = k.split('|');
        return { kind, verdict, auto: Number(auto), n };
      });
    };
    const t0 = 20_000 * DAY;
    const periods: [number | null, number | null][] = [
      [null, null],
      [t0 + 5 * 3_600_000, null], // from the middle of the first day
      [null, t0 + 2 * DAY + 1], // to just after midnight
      [t0 + DAY, t0 + 3 * DAY], // whole days only
      [t0 + 1.5 * DAY, t0 + 4.25 * DAY], // part-days at both ends
      [t0 + 2 * DAY + 100, t0 + 2 * DAY + 9_000_000], // within one day
    ];
    for (const [since, until] of periods) expect(ours(since, until)).toEqual(truth(since, until));
    expect(ours(t0 + 1.5 * DAY, t0 + 4.25 * DAY, 'refund_request')).toEqual(truth(t0 + 1.5 * DAY, t0 + 4.25 * DAY, 'refund_request'));
  });

  it('sums the same counts over the days when asked for totals', () => {
    const t0 = 20_000 * DAY;
    const sum = (rows: { kind: string; map_id: string; step_id: string; verdict: string; auto: number; n: number }[]) => {
      const m = new Map<string, number>();
      for (const r of rows) m.set(`${r.kind}|${r.map_id}|${r.step_id}|${r.verdict}|${r.auto}`, (m.get(`${r.kind}|${r.map_id}|${r.step_id}|${r.verdict}|${r.auto}`) ?? 0) + r.n);
      return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    };
    for (const [since, until] of [[undefined, undefined], [t0 + 1.5 * DAY, t0 + 4.25 * DAY], [t0 + 2 * DAY + 100, t0 + 2 * DAY + 9_000_000]] as const) {
      const filter = { since, until, kinds: ['triage', 'step'] };
      expect(sum(totalDecisions(db, filter))).toEqual(sum(countDecisions(db, filter)));
    }
  });

  it('counts triage confusions for any period the same way', () => {
    const truth = (since: number | null, until: number | null) =>
      db
        .prepare("SELECT suggested, final, count(*) AS count FROM decisions WHERE kind = 'triage' AND verdict = 'overridden' AND (@since IS NULL OR decided_at >= @since) AND (@until IS NULL OR decided_at < @until) GROUP BY 1, 2 ORDER BY 1, 2")
        .all({ since, until });
    const ours = (since: number | null, until: number | null) => countConfusions(db, { since: since ?? undefined, until: until ?? undefined }).sort((a, b) => (a.suggested + a.final < b.suggested + b.final ? -1 : 1));
    const t0 = 20_000 * DAY;
    const periods: [number | null, number | null][] = [[null, null], [t0 + 5 * 3_600_000, null], [null, t0 + 2 * DAY + 1], [t0 + 1.5 * DAY, t0 + 4.25 * DAY], [t0 + 2 * DAY + 100, t0 + 2 * DAY + 9_000_000]];
    for (const [since, until] of periods) {
      expect(truth(since, until)).not.toEqual([]);
      expect(ours(since, until)).toEqual(truth(since, until));
    }
  });
});
