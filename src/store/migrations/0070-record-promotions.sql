-- Promotions and demotions of a step's mode are decisions too (who, why, on what evidence).
-- SQLite cannot widen a CHECK, so the table is rebuilt with every row, and its chain hashes, kept.
DROP TRIGGER decisions_no_update;
DROP TRIGGER decisions_no_delete;

CREATE TABLE decisions_next (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  ticket_id    TEXT REFERENCES tickets (id),
  kind         TEXT NOT NULL CHECK (kind IN ('triage', 'step', 'approval', 'escalation', 'promotion')),
  triage_id    TEXT REFERENCES triage (id),
  run_id       TEXT REFERENCES runs (id),
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
  CHECK (kind <> 'triage' OR verdict IN ('accepted', 'overridden')),
  CHECK (verdict <> 'accepted' OR suggested = final),
  CHECK (verdict <> 'overridden' OR suggested <> final),
  CHECK (kind NOT IN ('step', 'approval') OR (run_id IS NOT NULL AND step_id IS NOT NULL)),
  -- every decision is about a ticket, except a promotion, which is about a map's step
  CHECK (kind = 'promotion' OR ticket_id IS NOT NULL),
  CHECK (kind <> 'promotion' OR (map_id IS NOT NULL AND step_id IS NOT NULL AND verdict IN ('promoted', 'demoted')))
) STRICT;

INSERT INTO decisions_next SELECT seq, id, ticket_id, kind, triage_id, run_id, step_id, map_id, map_version, actor, decided_at, suggested, final, verdict, confidence, reason, decision_ms, prev_hash, hash FROM decisions;

DROP TABLE decisions;
ALTER TABLE decisions_next RENAME TO decisions;

CREATE UNIQUE INDEX decisions_one_per_triage ON decisions (triage_id) WHERE kind = 'triage';
CREATE UNIQUE INDEX decisions_one_per_step ON decisions (run_id, step_id) WHERE kind = 'step';
CREATE UNIQUE INDEX decisions_by_hash ON decisions (hash) WHERE hash IS NOT NULL;
CREATE INDEX decisions_by_time ON decisions (decided_at);
CREATE INDEX decisions_by_ticket ON decisions (ticket_id);
CREATE INDEX decisions_by_run ON decisions (run_id);

CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN
  SELECT RAISE(ABORT, 'decisions are append-only');
END;

CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN
  SELECT RAISE(ABORT, 'decisions are append-only');
END;
