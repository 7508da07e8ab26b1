// The lead's review: overrides and escalations, newest first, each with its ticket, what Tandem suggested, what the
// associate did instead and why.
import { parseLoose, valueDifferences } from '../domain/edits.ts';
import type { Db } from '../store/db.ts';
import { countConfusions, totalDecisions } from './counts.ts';

export interface ReviewItem {
  decisionId: string;
  kind: string;
  verdict: string;
  actor: string;
  decidedAt: number;
  mapId: string | null;
  stepId: string | null;
  runId: string | null;
  suggested: string;
  final: string;
  reason: string | null;
  /**
   * For a step an associate edited or did by hand with other values: each value that differs, path by path, both sides
   * whole (a reply body is read, not skimmed); empty for the rest, whose suggested and final are shown as they are.
   */
  differences: ReviewDifference[];
  /** Null when the decision was imported and its ticket lives in another associate's database. */
  ticket: { id: string; subject: string; body: string; requester: string } | null;
  /** Where the decision came from when it was imported (the export file), null when made here. */
  origin: string | null;
}

export interface ReviewDifference {
  /** Dotted path of the value (body.amount), `(value)` when the whole value differs. */
  path: string;
  suggested: string;
  final: string;
}

export interface ReviewPage {
  total: number;
  items: ReviewItem[];
}

/**
 * What a lead reviews: a triage reading overridden, a step edited / skipped / done by hand / escalated, an automatic run
 * that failed, and an automatic run a person reverted (the strongest override: Tandem acted, and it was undone by hand).
 */
const REVIEWED = `((d.kind = 'triage' AND d.verdict = 'overridden') OR (d.kind = 'step' AND d.verdict IN ('edited', 'skipped', 'manual', 'escalated')) OR (d.kind = 'escalation' AND d.verdict = 'escalated') OR d.kind = 'revert')`;

export function reviewPage(db: Db, filter: { offset: number; limit: number; mapId?: string | undefined; verdict?: string | undefined; since?: number | undefined }): ReviewPage {
  const params = { mapId: filter.mapId ?? null, verdict: filter.verdict ?? null, since: filter.since ?? null };
  const where = `${REVIEWED} AND (@mapId IS NULL OR d.map_id = @mapId OR (d.kind = 'triage' AND (d.suggested = @mapId OR d.final = @mapId)))
    AND (@verdict IS NULL OR d.verdict = @verdict) AND (@since IS NULL OR d.decided_at >= @since)`;
  // The total from the day counts (a scan of the log would take longer than the page itself); triage overrides of a
  // given map are counted from the rows, since a triage decision names its intents, not a map. Summed over the days in
  // SQL: a year's day counts are some 100,000 rows.
  const reviewed = (kind: string, verdict: string) =>
    (kind === 'triage' && verdict === 'overridden') || (kind === 'step' && ['edited', 'skipped', 'manual', 'escalated'].includes(verdict)) || (kind === 'escalation' && verdict === 'escalated') || kind === 'revert';
  const counted = totalDecisions(db, { since: filter.since, mapId: filter.mapId, kinds: filter.mapId ? ['step', 'escalation', 'revert'] : ['triage', 'step', 'escalation', 'revert'] })
    .filter((r) => reviewed(r.kind, r.verdict) && (!filter.verdict || r.verdict === filter.verdict))
    .reduce((a, r) => a + r.n, 0);
  // Overridden triage naming the map (suggested or chosen), from the confusion counts (a scan of every triage
  // decision otherwise).
  const triageOfMap =
    filter.mapId && (!filter.verdict || filter.verdict === 'overridden')
      ? countConfusions(db, { since: filter.since })
          .filter((c) => c.suggested === filter.mapId || c.final === filter.mapId)
          .reduce((a, c) => a + c.count, 0)
      : 0;
  const total = counted + triageOfMap;
  const rows = db
    .prepare<[typeof params & { limit: number; offset: number }], Record<string, string | number | null>>(`
      SELECT d.id, d.kind, d.verdict, d.actor, d.decided_at, d.map_id, d.step_id, d.run_id, d.suggested, d.final, d.reason, d.origin,
        t.id AS t_id, t.subject, t.body, t.requester_name
      FROM decisions d LEFT JOIN tickets t ON t.id = d.ticket_id
      WHERE ${where} ORDER BY d.seq DESC LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: filter.limit, offset: filter.offset });
  return {
    total,
    items: rows.map((r) => ({
      decisionId: String(r.id),
      kind: String(r.kind),
      verdict: String(r.verdict),
      actor: String(r.actor),
      decidedAt: Number(r.decided_at),
      mapId: r.map_id === null ? null : String(r.map_id),
      stepId: r.step_id === null ? null : String(r.step_id),
      runId: r.run_id === null ? null : String(r.run_id),
      suggested: String(r.suggested),
      final: String(r.final),
      reason: r.reason === null ? null : String(r.reason),
      differences: differences(String(r.kind), String(r.verdict), String(r.suggested), String(r.final)),
      ticket: r.t_id === null ? null : { id: String(r.t_id), subject: String(r.subject), body: String(r.body), requester: String(r.requester_name) },
      origin: r.origin === null ? null : String(r.origin),
    })),
  };
}

/** What an edit changed, value by value: for step verdicts that carry what the associate sent instead. */
export function differences(kind: string, verdict: string, suggested: string, final: string): ReviewDifference[] {
  if ((kind !== 'step' && kind !== 'escalation') || (verdict !== 'edited' && verdict !== 'manual')) return [];
  const did = parseLoose(final);
  if (did === null) return []; // done by hand with nothing recorded: there is nothing to compare
  return valueDifferences(parseLoose(suggested), did, { max: Infinity, indent: 2 }).map((d) => ({ path: d.path, suggested: d.draft, final: d.associate }));
}
