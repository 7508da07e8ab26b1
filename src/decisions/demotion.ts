// Automatic demotion: when a step's automatic runs fail or get reverted beyond a bound, it goes back to suggest. The
// bound is statistical, like graduation: demote once we are 95% sure the rate of bad runs (failed, or marked as
// reverted by a person who undid them by hand) is above what the workspace tolerates.
import type { Db } from '../store/db.ts';
import { AUTO_ACTOR } from '../runner/runner.ts';
import { wilsonLower } from './stats.ts';

export interface DemotionPolicy {
  /** How many of the most recent automatic runs (since the step was last promoted to auto) count. */
  window: number;
  /** The failure rate tolerated: 1 − the graduation threshold (5% for the default 95%). */
  tolerated: number;
}

export const DEFAULT_DEMOTION: DemotionPolicy = { window: 50, tolerated: 0.05 };

export interface DemotionEvidence {
  demote: boolean;
  runs: number;
  /** Runs that failed. */
  failures: number;
  /** Runs a person marked as reverted (a run that failed and was then reverted counts once, as bad). */
  reverted: number;
  /** Runs that failed or were reverted: what the rate is of. */
  bad: number;
  /** Lower bound of the 95% Wilson interval of the rate of bad runs (failed or reverted) over those runs. */
  lower: number;
  why: string;
}

/**
 * Over the last `window` automatic runs of a step since its latest promotion to auto: demote when the Wilson lower
 * bound of the rate of bad runs (failed, or reverted by a person) exceeds `tolerated`. With 5% tolerated that is 1 failure in the first 3 runs, 2 in 10,
 * 3 in 20, 5 in 50 — one bad run among many does not demote, a pattern does.
 */
export function demotionEvidence(db: Db, mapId: string, stepId: string, policy: DemotionPolicy = DEFAULT_DEMOTION): DemotionEvidence {
  const since =
    db
      .prepare<[string, string], number>("SELECT max(seq) FROM decisions WHERE kind = 'promotion' AND map_id = ? AND step_id = ? AND final = '\"auto\"'")
      .pluck()
      .get(mapId, stepId) ?? 0;
  const recent = db
    .prepare<[string, string, string, number, number], { failed: number; reverted: number }>(`
      SELECT EXISTS (SELECT 1 FROM decisions e WHERE e.run_id = d.run_id AND e.step_id = d.step_id AND e.kind = 'escalation' AND e.actor = ?) AS failed,
        EXISTS (SELECT 1 FROM decisions r WHERE r.run_id = d.run_id AND r.step_id = d.step_id AND r.kind = 'revert') AS reverted
      FROM decisions d WHERE d.map_id = ? AND d.step_id = ? AND d.kind = 'step' AND d.verdict = 'auto' AND d.seq > ?
      ORDER BY d.seq DESC LIMIT ?`)
    .all(AUTO_ACTOR, mapId, stepId, since, policy.window);
  const runs = recent.length;
  const failures = recent.filter((r) => r.failed === 1).length;
  const reverted = recent.filter((r) => r.reverted === 1).length;
  const bad = recent.filter((r) => r.failed === 1 || r.reverted === 1).length;
  const lower = wilsonLower(bad, runs);
  const demote = bad > 0 && lower > policy.tolerated;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return {
    demote,
    runs,
    failures,
    reverted,
    bad,
    lower,
    why: `${bad} of the last ${runs} automatic runs went wrong (${failures} failed, ${reverted} reverted by hand): the rate is at least ${pct(lower)} at 95%, ${demote ? 'above' : 'within'} the ${pct(policy.tolerated)} tolerated`,
  };
}
