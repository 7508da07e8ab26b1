-- Shadow verdicts, and decisions imported from other associates' databases, join the record.
-- * kind 'shadow': what Tandem would have done automatically, beside what the associate did (verdict accepted when
--   the two match, overridden when they differ).
-- * kind 'example': a lead turned a reviewed decision into a triage example of a map (verdict edited: the map's
--   examples changed; suggested names the decision reviewed, final the phrase added).
-- * No foreign keys on ticket, triage and run: the record spans databases; an imported decision is about a ticket or
--   run that lives in its associate's database, not in this one. The record stays append-only and chained.
-- * origin_hash: for an imported row, its hash in the database it came from (re-chained here, see decisions/import.ts);
--   origin: who it came from (the file's associate). Both are covered by the local hash when set.
-- SQLite cannot widen a CHECK or drop a foreign key, so the table is rebuilt with every row and chain hash kept.
DROP TRIGGER decisions_no_update;
DROP TRIGGER decisions_no_delete;

CREATE TABLE decisions_next (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  ticket_id    TEXT,
  kind         TEXT NOT NULL CHECK (kind IN ('triage', 'step', 'approval', 'escalation', 'promotion', 'shadow', 'example')),
  triage_id    TEXT,
  run_id       TEXT,
  step_id      TEXT,
  map_id       TEXT,
  map_version  INTEGER,
  actor        TEXT NOT NULL,
  decided_at   INTEGER NOT NULL,
  suggested    TEXT NOT NULL,
  final        TEXT NOT NULL,
  verdict      TEXT NOT NULL CHECK (verdict IN ('accepted', 'overridden', 'edited', 'skipped', 'manual', 'escalated', 'auto', 'approved', 'rejected', 'returned', 'promoted', 'demoted')),
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
  CHECK ((origin_hash IS NULL) = (origin IS NULL))
) STRICT;

INSERT INTO decisions_next (seq, id, ticket_id, kind, triage_id, run_id, step_id, map_id, map_version, actor, decided_at, suggested, final, verdict, confidence, reason, decision_ms, prev_hash, hash)
SELECT seq, id, ticket_id, kind, triage_id, run_id, step_id, map_id, map_version, actor, decided_at, suggested, final, verdict, confidence, reason, decision_ms, prev_hash, hash FROM decisions;

DROP TABLE decisions;
ALTER TABLE decisions_next RENAME TO decisions;

CREATE UNIQUE INDEX decisions_one_per_triage ON decisions (triage_id) WHERE kind = 'triage';
CREATE UNIQUE INDEX decisions_one_per_step ON decisions (run_id, step_id) WHERE kind = 'step';
CREATE UNIQUE INDEX decisions_one_shadow_per_step ON decisions (run_id, step_id) WHERE kind = 'shadow';
CREATE UNIQUE INDEX decisions_by_hash ON decisions (hash) WHERE hash IS NOT NULL;
CREATE INDEX decisions_by_time ON decisions (decided_at);
CREATE INDEX decisions_by_ticket ON decisions (ticket_id);
CREATE INDEX decisions_by_run ON decisions (run_id, step_id);
-- The dashboard reads one map's step, or one kind, over a period.
CREATE INDEX decisions_by_step ON decisions (map_id, step_id, kind, seq);
CREATE INDEX decisions_by_kind_time ON decisions (kind, decided_at);
-- Covers the dashboard's counts per step and verdict: they are read from the index alone.
CREATE INDEX decisions_counts ON decisions (kind, map_id, step_id, verdict, decided_at);

CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN
  SELECT RAISE(ABORT, 'decisions are append-only');
END;

CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN
  SELECT RAISE(ABORT, 'decisions are append-only');
END;
