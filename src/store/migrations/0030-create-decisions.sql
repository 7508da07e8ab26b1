-- The decisioning record: one row per verdict a person (or policy) gave. Append-only.
CREATE TABLE decisions (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  ticket_id    TEXT NOT NULL REFERENCES tickets (id),
  kind         TEXT NOT NULL CHECK (kind IN ('triage')),
  triage_id    TEXT REFERENCES triage (id),
  actor        TEXT NOT NULL,
  decided_at   INTEGER NOT NULL,
  suggested    TEXT NOT NULL,
  final        TEXT NOT NULL,
  verdict      TEXT NOT NULL CHECK (verdict IN ('accepted', 'overridden')),
  confidence   REAL NOT NULL,
  reason       TEXT,
  decision_ms  INTEGER,
  CHECK (verdict = 'overridden' OR suggested = final)
) STRICT;

-- A triage reading gets one verdict; a second one would be a rewrite of history.
CREATE UNIQUE INDEX decisions_one_per_triage ON decisions (triage_id) WHERE kind = 'triage';
CREATE INDEX decisions_by_time ON decisions (decided_at);
CREATE INDEX decisions_by_ticket ON decisions (ticket_id);

CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN
  SELECT RAISE(ABORT, 'decisions are append-only');
END;

CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN
  SELECT RAISE(ABORT, 'decisions are append-only');
END;
