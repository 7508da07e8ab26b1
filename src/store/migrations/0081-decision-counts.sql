-- The dashboard's counts, kept as the record grows: one row per day, kind, map, step, verdict and whether Tandem acted
-- alone, incremented by a trigger in the same transaction as each decision. Counting a year of a team's decisions is
-- then a read of a few thousand rows instead of a scan of millions. The record stays the truth: the counts are rebuilt
-- from it here, and only ever incremented (decisions are append-only).
CREATE TABLE decision_counts (
  day      INTEGER NOT NULL,
  kind     TEXT NOT NULL,
  map_id   TEXT NOT NULL,
  step_id  TEXT NOT NULL,
  verdict  TEXT NOT NULL,
  auto     INTEGER NOT NULL CHECK (auto IN (0, 1)),
  n        INTEGER NOT NULL,
  PRIMARY KEY (day, kind, map_id, step_id, verdict, auto)
) STRICT, WITHOUT ROWID;

INSERT INTO decision_counts (day, kind, map_id, step_id, verdict, auto, n)
SELECT decided_at / 86400000, kind, coalesce(map_id, ''), coalesce(step_id, ''), verdict, actor = 'tandem (auto)', count(*)
FROM decisions GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER decisions_count AFTER INSERT ON decisions
BEGIN
  INSERT INTO decision_counts (day, kind, map_id, step_id, verdict, auto, n)
  VALUES (NEW.decided_at / 86400000, NEW.kind, coalesce(NEW.map_id, ''), coalesce(NEW.step_id, ''), NEW.verdict, NEW.actor = 'tandem (auto)', 1)
  ON CONFLICT (day, kind, map_id, step_id, verdict, auto) DO UPDATE SET n = n + 1;
END;

-- The rows the dashboard reads one by one, newest first per step: edits (which fields) and reasons given.
CREATE INDEX decisions_edits ON decisions (map_id, step_id, seq) WHERE kind = 'step' AND verdict = 'edited';
CREATE INDEX decisions_reasons ON decisions (map_id, step_id, seq) WHERE kind = 'step' AND reason IS NOT NULL AND verdict NOT IN ('accepted', 'auto');
