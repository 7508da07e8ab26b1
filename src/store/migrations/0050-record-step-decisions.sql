-- Step verdicts, approvals and escalations join triage verdicts in the one record. SQLite cannot widen a CHECK,
-- so the table is rebuilt with every row kept in order; the append-only triggers come back with it.
DROP TRIGGER decisions_no_update;
DROP TRIGGER decisions_no_delete;

CREATE TABLE decisions_next (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  ticket_id    TEXT NOT NULL REFERENCES tickets (id),
  kind         TEXT NOT NULL CHECK (kind IN ('triage', 'step', 'approval', 'escalation')),
  triage_id    TEXT REFERENCES triage (id),
  run_id       TEXT REFERENCES runs (id),
  step_id      TEXT,
  map_id       TEXT,
  map_version  INTEGER,
  actor        TEXT NOT NULL,
  decided_at   INTEGER NOT NULL,
  suggested    TEXT NOT NULL,
  final        TEXT NOT NULL,
  verdict      TEXT NOT NULL CHECK (verdict IN ('accepted', 'overridden', 'edited', 'skipped', 'manual', 'escalated', 'auto', 'approved', 'rejected', 'returned')),
  confidence   REAL NOT NULL,
  reason       TEXT,
  decision_ms  INTEGER,
  CHECK (kind <> 'triage' OR verdict IN ('accepted', 'overridden')),
  CHECK (verdict <> 'accepted' OR suggested = final),
  CHECK (verdict <> 'overridden' OR suggested <> final),
  CHECK (kind NOT IN ('step', 'approval') OR (run_id IS NOT NULL AND step_id IS NOT NULL))
) STRICT;

INSERT INTO decisions_next (seq, id, ticket_id, kind, triage_id, actor, decided_at, suggested, final, verdict, confidence, reason, decision_ms)
SELECT seq, id, ticket_id, kind, triage_id, actor, decided_at, suggested, final, verdict, confidence, reason, decision_ms FROM decisions;

DROP TABLE decisions;
ALTER TABLE decisions_next RENAME TO decisions;

CREATE UNIQUE INDEX decisions_one_per_triage ON decisions (triage_id) WHERE kind = 'triage';
CREATE UNIQUE INDEX decisions_one_per_step ON decisions (run_id, step_id) WHERE kind = 'step';
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
