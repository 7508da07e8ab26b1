-- A person can say an automatic run was wrong: it was undone by hand in the target system (Tandem does not undo a
-- refund by itself). That is a decision of kind 'revert', verdict 'reverted', about one run's step, with who, when and
-- a reason required; a step's automatic run is reverted at most once. Automatic demotion counts reverts beside
-- failures (decisions/demotion.ts).
-- A kind of its own rather than a second 'step' row: decisions_one_per_step keeps one verdict per run step, and the
-- dashboard's rates and graduation windows, which count step rows, stay as they were.
-- SQLite cannot widen a CHECK, so the table is rebuilt with every row and chain hash kept. decision_counts,
-- decision_week_counts, triage_confusion_counts and decision_edit_fields are not touched (their rows stay true); their
-- triggers, dropped with the old table, come back below, as do every index (0130's widened decisions_by_step
-- included) and the append-only guards.
DROP TRIGGER decisions_no_update;
DROP TRIGGER decisions_no_delete;
DROP TRIGGER decisions_count;
DROP TRIGGER decisions_count_confusions;
DROP TRIGGER decisions_count_weeks;

CREATE TABLE decisions_next (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  ticket_id    TEXT,
  kind         TEXT NOT NULL CHECK (kind IN ('triage', 'step', 'approval', 'escalation', 'promotion', 'shadow', 'example', 'revert')),
  triage_id    TEXT,
  run_id       TEXT,
  step_id      TEXT,
  map_id       TEXT,
  map_version  INTEGER,
  actor        TEXT NOT NULL,
  decided_at   INTEGER NOT NULL,
  suggested    TEXT NOT NULL,
  final        TEXT NOT NULL,
  verdict      TEXT NOT NULL CHECK (verdict IN ('accepted', 'overridden', 'edited', 'skipped', 'manual', 'escalated', 'auto', 'approved', 'rejected', 'returned', 'promoted', 'demoted', 'reverted')),
  confidence   REAL NOT NULL,
  reason       TEXT,
  decision_ms  INTEGER,
  prev_hash    TEXT,
  hash         TEXT,
  origin_hash  TEXT,
  origin       TEXT,
  CHECK (kind NOT IN ('triage', 'shadow') OR verdict IN ('accepted', 'overridden')),
  CHECK (verdict <> 'accepted' OR suggested = final),
  CHECK (verdict <> 'overridden' OR suggested <> final),
  CHECK (kind NOT IN ('step', 'approval', 'shadow') OR (run_id IS NOT NULL AND step_id IS NOT NULL)),
  CHECK (kind = 'promotion' OR ticket_id IS NOT NULL),
  CHECK (kind <> 'promotion' OR (map_id IS NOT NULL AND step_id IS NOT NULL AND verdict IN ('promoted', 'demoted'))),
  CHECK (kind <> 'example' OR (map_id IS NOT NULL AND verdict = 'edited')),
  CHECK ((origin_hash IS NULL) = (origin IS NULL)),
  -- a revert, and only a revert, is 'reverted'; it names the run's step and its map, and says why
  CHECK ((kind = 'revert') = (verdict = 'reverted')),
  CHECK (kind <> 'revert' OR (run_id IS NOT NULL AND step_id IS NOT NULL AND map_id IS NOT NULL AND reason IS NOT NULL AND trim(reason) <> ''))
) STRICT;

INSERT INTO decisions_next (seq, id, ticket_id, kind, triage_id, run_id, step_id, map_id, map_version, actor, decided_at, suggested, final, verdict, confidence, reason, decision_ms, prev_hash, hash, origin_hash, origin)
SELECT seq, id, ticket_id, kind, triage_id, run_id, step_id, map_id, map_version, actor, decided_at, suggested, final, verdict, confidence, reason, decision_ms, prev_hash, hash, origin_hash, origin FROM decisions;

DROP TABLE decisions;
ALTER TABLE decisions_next RENAME TO decisions;

CREATE UNIQUE INDEX decisions_one_per_triage ON decisions (triage_id) WHERE kind = 'triage';
CREATE UNIQUE INDEX decisions_one_per_step ON decisions (run_id, step_id) WHERE kind = 'step';
CREATE UNIQUE INDEX decisions_one_shadow_per_step ON decisions (run_id, step_id) WHERE kind = 'shadow';
-- An automatic run is reverted once: a second revert of one run's step is refused by the record itself.
CREATE UNIQUE INDEX decisions_one_revert_per_step ON decisions (run_id, step_id) WHERE kind = 'revert';
CREATE UNIQUE INDEX decisions_by_hash ON decisions (hash) WHERE hash IS NOT NULL;
CREATE INDEX decisions_by_time ON decisions (decided_at);
CREATE INDEX decisions_by_ticket ON decisions (ticket_id);
CREATE INDEX decisions_by_run ON decisions (run_id, step_id);
CREATE INDEX decisions_by_step ON decisions (map_id, step_id, kind, seq, decided_at, verdict, run_id); -- as widened by 0130
CREATE INDEX decisions_by_kind_time ON decisions (kind, decided_at);
CREATE INDEX decisions_counts ON decisions (kind, map_id, step_id, verdict, decided_at);
CREATE INDEX decisions_edits ON decisions (map_id, step_id, seq, decided_at) WHERE kind = 'step' AND verdict = 'edited';
CREATE INDEX decisions_reasons ON decisions (map_id, step_id, seq, decided_at, reason) WHERE kind = 'step' AND reason IS NOT NULL AND verdict NOT IN ('accepted', 'auto');
CREATE INDEX decisions_times ON decisions (map_id, step_id, seq, decided_at, decision_ms) WHERE kind = 'step' AND decision_ms IS NOT NULL;

CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN
  SELECT RAISE(ABORT, 'decisions are append-only');
END;

CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN
  SELECT RAISE(ABORT, 'decisions are append-only');
END;

CREATE TRIGGER decisions_count AFTER INSERT ON decisions
BEGIN
  INSERT INTO decision_counts (day, kind, map_id, step_id, verdict, auto, n)
  VALUES (NEW.decided_at / 86400000, NEW.kind, coalesce(NEW.map_id, ''), coalesce(NEW.step_id, ''), NEW.verdict, NEW.actor = 'tandem (auto)', 1)
  ON CONFLICT (day, kind, map_id, step_id, verdict, auto) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER decisions_count_confusions AFTER INSERT ON decisions WHEN NEW.kind = 'triage' AND NEW.verdict = 'overridden'
BEGIN
  INSERT INTO triage_confusion_counts (day, suggested, final, n) VALUES (NEW.decided_at / 86400000, NEW.suggested, NEW.final, 1)
  ON CONFLICT (day, suggested, final) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER decisions_count_weeks AFTER INSERT ON decisions
BEGIN
  INSERT INTO decision_week_counts (kind, map_id, step_id, verdict, auto, week, n)
  VALUES (NEW.kind, coalesce(NEW.map_id, ''), coalesce(NEW.step_id, ''), NEW.verdict, NEW.actor = 'tandem (auto)',
    CASE WHEN NEW.decided_at / 86400000 + 3 >= 0 THEN (NEW.decided_at / 86400000 + 3) / 7 ELSE -((-(NEW.decided_at / 86400000 + 3) + 6) / 7) END, 1)
  ON CONFLICT (kind, map_id, step_id, verdict, auto, week) DO UPDATE SET n = n + 1;
END;
