-- Three things the dashboard read slowly on a large record.
--
-- 1. The fields each edit changed, stored when the edit is written: the dashboard's "most edited fields" then counts a few
-- short rows per edit instead of reading and comparing the suggested and final JSON of a step's last 1,000 edits
-- (most of the first stats call's time on a large record). One row per changed path of every step decision with the
-- verdict 'edited', in the order the comparison meets them (pos; it breaks ties between equally edited fields).
-- map_id, step_id and decided_at are the decision's own (map_id '' when it has none), so a step's edits of a period
-- are read from this table alone, newest first. Filled by the decisions repository in the same transaction as the
-- decision; the rows already there are filled by this migration's JavaScript step (store/migration-steps.ts), which
-- compares the JSON exactly as the dashboard did.
CREATE TABLE decision_edit_fields (
  map_id      TEXT NOT NULL,
  step_id     TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  pos         INTEGER NOT NULL,
  path        TEXT NOT NULL,
  decided_at  INTEGER NOT NULL,
  PRIMARY KEY (map_id, step_id, seq, pos)
) STRICT, WITHOUT ROWID;


-- 2. The day counts (0081) summed per week, weeks starting on Monday (week = floor((day + 3) / 7), day 0 being Thursday
-- 1970-01-01), kept by a trigger like them. A year of day counts is some 100,000 rows, and grouping them took longer
-- than the dashboard's whole budget; a period's whole weeks come from here (about 50 rows a year per kind, map, step
-- and verdict), only the days at its ends from decision_counts. Keyed by what is counted first and the week last, so
-- a period's totals are summed in key order, without sorting. Rebuilt from the day counts, which equal the record.
CREATE TABLE decision_week_counts (
  kind     TEXT NOT NULL,
  map_id   TEXT NOT NULL,
  step_id  TEXT NOT NULL,
  verdict  TEXT NOT NULL,
  auto     INTEGER NOT NULL CHECK (auto IN (0, 1)),
  week     INTEGER NOT NULL,
  n        INTEGER NOT NULL,
  PRIMARY KEY (kind, map_id, step_id, verdict, auto, week)
) STRICT, WITHOUT ROWID;

INSERT INTO decision_week_counts (kind, map_id, step_id, verdict, auto, week, n)
SELECT kind, map_id, step_id, verdict, auto, CASE WHEN day + 3 >= 0 THEN (day + 3) / 7 ELSE -((-(day + 3) + 6) / 7) END, sum(n)
FROM decision_counts GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER decisions_count_weeks AFTER INSERT ON decisions
BEGIN
  INSERT INTO decision_week_counts (kind, map_id, step_id, verdict, auto, week, n)
  VALUES (NEW.kind, coalesce(NEW.map_id, ''), coalesce(NEW.step_id, ''), NEW.verdict, NEW.actor = 'tandem (auto)',
    CASE WHEN NEW.decided_at / 86400000 + 3 >= 0 THEN (NEW.decided_at / 86400000 + 3) / 7 ELSE -((-(NEW.decided_at / 86400000 + 3) + 6) / 7) END, 1)
  ON CONFLICT (kind, map_id, step_id, verdict, auto, week) DO UPDATE SET n = n + 1;
END;

-- 3. A step's most recent verdicts and shadow samples (the graduation window) read from the index alone: with their
-- time, verdict and run in it, a window of 100 is 100 neighbouring index entries, not 100 rows scattered over the
-- whole table (shadow samples are a few in a hundred decisions).
DROP INDEX decisions_by_step;
CREATE INDEX decisions_by_step ON decisions (map_id, step_id, kind, seq, decided_at, verdict, run_id);
