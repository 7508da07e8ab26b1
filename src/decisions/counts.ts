// Counts of decisions per day, kind, map, step, verdict and whether Tandem acted alone, for any period: whole days come
// from decision_counts (kept by a trigger, migration 0081), the part-days at either end of the period from the record
// itself through its time index. Exact for any since/until, and fast whatever the log's size. Triage confusions the
// same way, from triage_confusion_counts (migration 0120).
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
  return counts(db, filter, true);
}

/** The same counts summed over the period's days: one row per kind, map, step, verdict and auto (day is 0). */
export function totalDecisions(db: Db, filter: CountFilter): CountRow[] {
  return counts(db, filter, false);
}

function counts(db: Db, filter: CountFilter, byDay: boolean): CountRow[] {
  const kinds = filter.kinds.map((k) => `'${k.replace(/'/g, "''")}'`).join(', ');
  const where = `kind IN (${kinds}) AND (@mapId IS NULL OR map_id = @mapId) AND (@stepId IS NULL OR step_id = @stepId)`;
  const args = { mapId: filter.mapId ?? null, stepId: filter.stepId ?? null };
  // Summed in SQL when days are not wanted: a year's day counts are some 100,000 rows, too many to hand to JavaScript.
  const raw = db.prepare<[Record<string, unknown>], CountRow>(`
    SELECT ${byDay ? `decided_at / ${DAY}` : '0'} AS day, kind, coalesce(map_id, '') AS map_id, coalesce(step_id, '') AS step_id, verdict, actor = 'tandem (auto)' AS auto, count(*) AS n
    FROM decisions WHERE decided_at >= @from AND decided_at < @to AND ${where.replace(/map_id = @mapId/, "coalesce(map_id, '') = @mapId").replace(/step_id = @stepId/, "coalesce(step_id, '') = @stepId")}
    GROUP BY 1, 2, 3, 4, 5, 6`);
  const whole = db.prepare<[Record<string, unknown>], CountRow>(
    byDay
      ? `SELECT day, kind, map_id, step_id, verdict, auto, n FROM decision_counts WHERE day >= @fromDay AND day < @toDay AND ${where}`
      : `SELECT 0 AS day, kind, map_id, step_id, verdict, auto, sum(n) AS n FROM decision_counts WHERE day >= @fromDay AND day < @toDay AND ${where} GROUP BY kind, map_id, step_id, verdict, auto`,
  );
  if (byDay) {
    const { days, parts } = splitPeriod(filter.since ?? null, filter.until ?? null);
    const out = days ? whole.all({ ...args, ...days }) : [];
    for (const part of parts) out.push(...raw.all({ ...args, ...part }));
    return out;
  }
  // Totals: whole weeks from decision_week_counts (0130), in its key order (no sorting), the days around them from the
  // day counts, the part-days from the record.
  const weekly = db.prepare<[Record<string, unknown>], CountRow>(
    `SELECT 0 AS day, kind, map_id, step_id, verdict, auto, sum(n) AS n FROM decision_week_counts WHERE week >= @fromWeek AND week < @toWeek AND ${where} GROUP BY kind, map_id, step_id, verdict, auto`,
  );
  const { weeks, days, parts } = splitWeeks(filter.since ?? null, filter.until ?? null);
  const out = weeks ? weekly.all({ ...args, ...weeks }) : [];
  for (const d of days) out.push(...whole.all({ ...args, ...d }));
  for (const part of parts) out.push(...raw.all({ ...args, ...part }));
  return out;
}

export interface BucketRow {
  /** floor((day + shift) / days): the bucket's number, day being the decision's day since 1970 (as in CountRow). */
  bucket: number;
  kind: string;
  verdict: string;
  auto: number;
  n: number;
}

/**
 * The same counts summed in SQL over buckets of `days` days (weeks for the timeline), maps and steps: a year's day
 * counts are some 100,000 rows, a year's weeks a few hundred. Day numbers are shifted by `shift` first (+3 makes weeks
 * start on Monday) and divided rounding down, as Math.floor does, before 1970 too.
 */
export function bucketDecisions(db: Db, filter: CountFilter, days: number, shift: number): BucketRow[] {
  if (!Number.isInteger(days) || days < 1 || !Number.isInteger(shift)) throw new Error(`bucketDecisions: ${days} days shifted by ${shift} is not a bucket (whole days, at least one)`);
  const kinds = filter.kinds.map((k) => `'${k.replace(/'/g, "''")}'`).join(', ');
  const where = `kind IN (${kinds}) AND (@mapId IS NULL OR map_id = @mapId) AND (@stepId IS NULL OR step_id = @stepId)`;
  const args: Record<string, string | number | null> = { mapId: filter.mapId ?? null, stepId: filter.stepId ?? null };
  // Weeks starting on Monday are decision_week_counts' own weeks: whole ones are read from it.
  const mondays = days === 7 && shift === 3;
  const split = mondays ? splitWeeks(filter.since ?? null, filter.until ?? null) : dayRanges(splitPeriod(filter.since ?? null, filter.until ?? null));
  // SQLite's integer division truncates towards zero; below zero, round down by hand.
  const bucketOf = (day: string) => {
    const x = `(${day} + ${shift})`;
    return days === 1 ? x : `CASE WHEN ${x} >= 0 THEN ${x} / ${days} ELSE -((-${x} + ${days - 1}) / ${days}) END`;
  };
  const from: string[] = [];
  if (split.weeks) {
    from.push(`SELECT week AS bucket, kind, verdict, auto, n FROM decision_week_counts WHERE week >= @fromWeek AND week < @toWeek AND ${where}`);
    Object.assign(args, split.weeks);
  }
  split.days.forEach((d, i) => {
    from.push(`SELECT ${bucketOf('day')} AS bucket, kind, verdict, auto, n FROM decision_counts WHERE day >= @fromDay${i} AND day < @toDay${i} AND ${where}`);
    Object.assign(args, { [`fromDay${i}`]: d.fromDay, [`toDay${i}`]: d.toDay });
  });
  split.parts.forEach((p, i) => {
    from.push(
      `SELECT ${bucketOf(`decided_at / ${DAY}`)} AS bucket, kind, verdict, actor = 'tandem (auto)' AS auto, 1 AS n FROM decisions WHERE decided_at >= @from${i} AND decided_at < @to${i} AND ${where.replace(/map_id = @mapId/, "coalesce(map_id, '') = @mapId").replace(/step_id = @stepId/, "coalesce(step_id, '') = @stepId")}`,
    );
    Object.assign(args, { [`from${i}`]: p.from, [`to${i}`]: p.to });
  });
  return db.prepare<[typeof args], BucketRow>(`SELECT bucket, kind, verdict, auto, sum(n) AS n FROM (${from.join(' UNION ALL ')}) GROUP BY 1, 2, 3, 4`).all(args);
}

interface Split {
  /** Whole weeks (Monday to Sunday), as decision_week_counts numbers them. */
  weeks: { fromWeek: number; toWeek: number } | null;
  /** Whole days outside those weeks. */
  days: { fromDay: number; toDay: number }[];
  /** Part-days at either end. */
  parts: { from: number; to: number }[];
}

const dayRanges = ({ days, parts }: ReturnType<typeof splitPeriod>): Split => ({ weeks: null, days: days ? [days] : [], parts });

/** [since, until) as whole weeks, the whole days around them and the part-days at either end. */
function splitWeeks(since: number | null, until: number | null): Split {
  const period = splitPeriod(since, until);
  if (!period.days) return dayRanges(period);
  const { fromDay, toDay } = period.days;
  // Week w holds the days [7w - 3, 7w + 4): floor((day + 3) / 7) = w.
  const open = (d: number) => d === Number.MIN_SAFE_INTEGER || d === Number.MAX_SAFE_INTEGER;
  const fromWeek = open(fromDay) ? fromDay : Math.ceil((fromDay + 3) / 7);
  const toWeek = open(toDay) ? toDay : Math.floor((toDay + 3) / 7);
  if (fromWeek >= toWeek) return dayRanges(period);
  const days: { fromDay: number; toDay: number }[] = [];
  if (!open(fromDay) && fromDay < fromWeek * 7 - 3) days.push({ fromDay, toDay: fromWeek * 7 - 3 });
  if (!open(toDay) && toWeek * 7 - 3 < toDay) days.push({ fromDay: toWeek * 7 - 3, toDay });
  return { weeks: { fromWeek, toWeek }, days, parts: period.parts };
}

/** [since, until) as the whole days in it (read from a day-count table) and the part-days at either end (from the record). */
function splitPeriod(since: number | null, until: number | null): { days: { fromDay: number; toDay: number } | null; parts: { from: number; to: number }[] } {
  const fromDay = since === null ? Number.MIN_SAFE_INTEGER : Math.ceil(since / DAY);
  const toDay = until === null ? Number.MAX_SAFE_INTEGER : Math.floor(until / DAY);
  if (fromDay >= toDay) return { days: null, parts: [{ from: since ?? Number.MIN_SAFE_INTEGER, to: until ?? Number.MAX_SAFE_INTEGER }] };
  const parts: { from: number; to: number }[] = [];
  if (since !== null && since < fromDay * DAY) parts.push({ from: since, to: fromDay * DAY });
  if (until !== null && until > toDay * DAY) parts.push({ from: toDay * DAY, to: until });
  return { days: { fromDay, toDay }, parts };
}

export interface Confusion {
  suggested: string;
  final: string;
  count: number;
}

/**
 * How often triage was overridden from each suggested intent to each final one in [since, until): whole days from
 * triage_confusion_counts (kept by a trigger, migration 0120), part-days from the record. One row per pair, unordered.
 */
export function countConfusions(db: Db, filter: { since?: number | undefined; until?: number | undefined }): Confusion[] {
  const { days, parts } = splitPeriod(filter.since ?? null, filter.until ?? null);
  const from: string[] = [];
  const args: Record<string, number> = {};
  if (days) {
    from.push('SELECT suggested, final, n FROM triage_confusion_counts WHERE day >= @fromDay AND day < @toDay');
    Object.assign(args, days);
  }
  parts.forEach((p, i) => {
    from.push(`SELECT suggested, final, 1 AS n FROM decisions WHERE kind = 'triage' AND verdict = 'overridden' AND decided_at >= @from${i} AND decided_at < @to${i}`);
    Object.assign(args, { [`from${i}`]: p.from, [`to${i}`]: p.to });
  });
  return db.prepare<[Record<string, number>], Confusion>(`SELECT suggested, final, sum(n) AS count FROM (${from.join(' UNION ALL ')}) GROUP BY suggested, final`).all(args);
}
