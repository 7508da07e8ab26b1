// Test helper: a step's automatic runs, failures and reverts written straight to the record, as the runner writes them.
import type { DecisionsRepo } from '../store/decisions-repo.ts';
import { AUTO_ACTOR, AUTO_FAILED_REASON } from '../runner/runner.ts';

let clock = Date.UTC(2026, 10, 24, 9);
const base = { ticketId: 'w:1', triageId: null, mapId: 'refund', stepId: 'refund', mapVersion: 2, confidence: 0.95, decisionMs: null };
const SENT = JSON.stringify({ connector: 'payments', method: 'POST', path: '/refunds', body: { amount: 4500 } });

/** The lead promotes the step to auto. */
export function promote(repo: DecisionsRepo, at = (clock += 1000)): void {
  repo.insert({ ...base, id: `promote-${at}`, ticketId: null, kind: 'promotion', runId: null, actor: 'lee', decidedAt: at, suggested: '"shadow"', final: '"auto"', verdict: 'promoted', reason: 'recommended' });
}

/** Tandem runs the step alone in run r<i>. */
export function autoRun(repo: DecisionsRepo, i: number, at = (clock += 1000)): void {
  repo.insert({ ...base, id: `auto-${i}`, kind: 'step', runId: `r${i}`, actor: AUTO_ACTOR, decidedAt: at, suggested: SENT, final: SENT, verdict: 'auto', reason: null });
}

/** The automatic run of r<i> failed (the escalation the runner records). */
export function failRun(repo: DecisionsRepo, i: number, at = (clock += 1000)): void {
  repo.insert({ ...base, id: `fail-${i}`, kind: 'escalation', runId: `r${i}`, actor: AUTO_ACTOR, decidedAt: at, suggested: SENT, final: '{"code":"connector_unavailable"}', verdict: 'escalated', reason: `${AUTO_FAILED_REASON}: 503` });
}

/** A person marks the automatic run of r<i> as reverted. */
export function revertRun(repo: DecisionsRepo, i: number, reason = 'refunded twice; reversed in Payments', at = (clock += 1000)): void {
  repo.insert({ ...base, id: `revert-${i}`, kind: 'revert', runId: `r${i}`, actor: 'lee', decidedAt: at, suggested: SENT, final: 'null', verdict: 'reverted', reason });
}
