// Counts of decisions per day, kind, map, step, verdict and whether Tandem acted alone, for any period: whole days come
// from decision_counts (kept by a trigger, migration 0081), the part-days at either end of the period from the record
// itself through its time index. Exact for any since/until, and fast whatever the log's size.
import type { Db } from '../store/db.ts';

export const DAY = 86_400_000;

export interface CountRow {
  day: number;
  kind: string;
  map_id: string;
  step_id: string;
  verdict: string;
  auto: number;
  n: number;
}

export interface CountFilter {
  since?: number | undefined;
  until?: number | undefined;
  kinds: readonly string[];
  mapId?: string | undefined;
  stepId?: string | undefined;
}

export function countDecisions(db: Db, filter: CountFilter): CountRow[] {
  const kinds = filter.kinds.map((k) => `'${k.replace(/'/g, "''")}'`).join(', ');
  const where = `kind IN (${kinds}) AND (@mapId IS NULL OR map_id = @mapId) AND (@stepId IS NULL OR step_id = @stepId)`;
  const args = { mapId: filter.mapId ?? null, stepId: filter.stepId ?? null };
  const raw = db.prepare<[Record<string, unknown>], CountRow>(`
    SELECT decided_at / ${DAY} AS day, kind, coalesce(map_id, '') AS map_id, coalesce(step_id, '') AS step_id, verdict, actor = 'tandem (auto)' AS auto, count(*) AS n
    FROM decisions WHERE decided_at >= @from AND decided_at < @to AND ${where.replace(/map_id = @mapId/, "coalesce(map_id, '') = @mapId").replace(/step_id = @stepId/, "coalesce(step_id, '') = @stepId")}
    GROUP BY 1, 2, 3, 4, 5, 6`);
  const whole = db.prepare<[Record<string, unknown>], CountRow>(`
    SELECT day, kind, map_id, step_id, verdict, auto, n FROM decision_counts WHERE day >= @fromDay AND day < @toDay AND ${where}`);
  const since = filter.since ?? null;
  const until = filter.until ?? null;
  // Whole days inside [since, until); the rest is read from the record.
  const fromDay = since === null ? Number.MIN_SAFE_INTEGER : Math.ceil(since / DAY);
  const toDay = until === null ? Number.MAX_SAFE_INTEGER : Math.floor(until / DAY);
  if (fromDay >= toDay) return raw.all({ ...args, from: since ?? Number.MIN_SAFE_INTEGER, to: until ?? Number.MAX_SAFE_INTEGER });
  const out = whole.all({ ...args, fromDay, toDay });
  if (since !== null && since < fromDay * DAY) out.push(...raw.all({ ...args, from: since, to: fromDay * DAY }));
  if (until !== null && until > toDay * DAY) out.push(...raw.all({ ...args, from: toDay * DAY, to: until }));
  return out;
}
