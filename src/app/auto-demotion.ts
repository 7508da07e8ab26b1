// Puts a step whose automatic runs keep failing or getting reverted back to suggest: the map file is written, the demotion is a decision by
// Tandem with its evidence, and the lead gets a notice (the step.demoted event; Insights shows a banner).
import { randomUUID } from 'node:crypto';
import { toErrorShape } from '../domain/errors.ts';
import { demotionEvidence, DEFAULT_DEMOTION, type DemotionPolicy } from '../decisions/demotion.ts';
import { setStepMode } from '../maps/write.ts';
import type { Db } from '../store/db.ts';
import type { DecisionsRepo } from '../store/decisions-repo.ts';
import type { Workspace } from '../workspace/load.ts';
import type { EventBus } from './events.ts';

export const DEMOTION_ACTOR = 'tandem';

export interface AutoDemotionDeps {
  db: Db;
  decisions: DecisionsRepo;
  events: EventBus;
  now: () => number;
  workspace: () => Workspace;
  /** Reads the workspace again after its map file changed. */
  reload: () => void;
  policy?: DemotionPolicy;
}

/** Called after every automatic run of a step, and after a person reverts one; demotes it when its recent bad runs are beyond the bound. */
export function checkAutoDemotion(deps: AutoDemotionDeps, mapId: string, stepId: string): void {
  const workspace = deps.workspace();
  const map = workspace.maps.find((m) => m.id === mapId);
  const file = workspace.mapFiles[mapId];
  // Only a step that is auto in the map as it is now: a run from an older snapshot, or a step a lead already moved, stays as it is.
  if (!map || !file || map.steps.find((s) => s.id === stepId)?.mode !== 'auto') return;
  const policy = deps.policy ?? { ...DEFAULT_DEMOTION, tolerated: 1 - workspace.settings.graduation.threshold };
  const evidence = demotionEvidence(deps.db, mapId, stepId, policy);
  if (!evidence.demote) return;
  try {
    const { previous, version } = setStepMode(file, stepId, 'suggest');
    const id = randomUUID();
    const reason = `${evidence.reverted > 0 ? (evidence.failures > 0 ? 'automatic runs fail or get reverted' : 'automatic runs get reverted') : 'automatic runs fail'} — evidence: ${evidence.why}`;
    deps.decisions.insert({
      id, ticketId: null, kind: 'promotion', triageId: null, runId: null, stepId, mapId, mapVersion: version,
      actor: DEMOTION_ACTOR, decidedAt: deps.now(), suggested: JSON.stringify(previous), final: JSON.stringify('suggest'), verdict: 'demoted', confidence: 1, reason, decisionMs: null,
    });
    deps.reload();
    deps.events.emit('step.demoted', { mapId, stepId, from: previous, to: 'suggest', decisionId: id, reason, runs: evidence.runs, failures: evidence.failures, reverted: evidence.reverted, error: null });
  } catch (err) {
    // The map could not be written (a broken file, a read-only folder): the lead must know the step still runs alone.
    deps.events.emit('step.demoted', { mapId, stepId, from: 'auto', to: 'auto', decisionId: null, reason: evidence.why, runs: evidence.runs, failures: evidence.failures, reverted: evidence.reverted, error: toErrorShape(err) });
  }
}
