-- The dashboard's triage confusions (which intent Tandem suggested, which one the associate chose instead), kept per
-- day like decision_counts (0081) and for the same reason: a year's overrides grouped from a few thousand rows, not
-- from every triage decision in the record. Rebuilt from the record here, then incremented by a trigger in the same
-- transaction as each overridden triage (decisions are append-only).
CREATE TABLE triage_confusion_counts (
  day        INTEGER NOT NULL,
  suggested  TEXT NOT NULL,
  final      TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (day, suggested, final)
) STRICT, WITHOUT ROWID;

INSERT INTO triage_confusion_counts (day, suggested, final, n)
SELECT decided_at / 86400000, suggested, final, count(*) FROM decisions WHERE kind = 'triage' AND verdict = 'overridden' GROUP BY 1, 2, 3;

CREATE TRIGGER decisions_count_confusions AFTER INSERT ON decisions WHEN NEW.kind = 'triage' AND NEW.verdict = 'overridden'
BEGIN
  INSERT INTO triage_confusion_counts (day, suggested, final, n) VALUES (NEW.decided_at / 86400000, NEW.suggested, NEW.final, 1)
  ON CONFLICT (day, suggested, final) DO UPDATE SET n = n + 1;
END;

-- The rows the dashboard reads newest first per step, now with the decision's time (and what is read of them) in the
-- index: a period's filter is checked on the index alone, instead of fetching every row of a step older than it.
DROP INDEX decisions_edits;
CREATE INDEX decisions_edits ON decisions (map_id, step_id, seq, decided_at) WHERE kind = 'step' AND verdict = 'edited';
DROP INDEX decisions_reasons;
CREATE INDEX decisions_reasons ON decisions (map_id, step_id, seq, decided_at, reason) WHERE kind = 'step' AND reason IS NOT NULL AND verdict NOT IN ('accepted', 'auto');
CREATE INDEX decisions_times ON decisions (map_id, step_id, seq, decided_at, decision_ms) WHERE kind = 'step' AND decision_ms IS NOT NULL;
