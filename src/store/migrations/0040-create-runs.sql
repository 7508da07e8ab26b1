-- Runs: one map executed for one ticket, with every step's state, so a killed process resumes where it stopped.
CREATE TABLE runs (
  id           TEXT PRIMARY KEY,
  ticket_id    TEXT NOT NULL REFERENCES tickets (id),
  map_id       TEXT NOT NULL,
  map_version  INTEGER NOT NULL,
  -- the map exactly as it ran: a resumed run keeps its steps even if the file changed since
  map_snapshot TEXT NOT NULL CHECK (json_valid(map_snapshot)),
  state        TEXT NOT NULL CHECK (state IN ('running', 'waiting', 'escalated', 'done', 'failed', 'cancelled')),
  dry_run      INTEGER NOT NULL DEFAULT 0 CHECK (dry_run IN (0, 1)),
  fields       TEXT NOT NULL CHECK (json_valid(fields)),
  confidence   REAL NOT NULL,
  threshold    REAL NOT NULL,
  escalation   TEXT,
  created_by   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX runs_by_ticket ON runs (ticket_id, created_at DESC);
CREATE INDEX runs_by_state ON runs (state);
-- One live run per ticket: a second start returns the first instead of doing the work twice.
CREATE UNIQUE INDEX runs_one_open_per_ticket ON runs (ticket_id) WHERE dry_run = 0 AND state IN ('running', 'waiting', 'escalated');

CREATE TABLE run_steps (
  run_id          TEXT NOT NULL REFERENCES runs (id),
  idx             INTEGER NOT NULL,
  step_id         TEXT NOT NULL,
  block           TEXT NOT NULL,
  mode            TEXT NOT NULL CHECK (mode IN ('suggest', 'shadow', 'auto', 'manual')),
  state           TEXT NOT NULL CHECK (state IN ('pending', 'awaiting_verdict', 'awaiting_approval', 'running', 'uncertain', 'done', 'skipped', 'failed')),
  -- what Tandem prepared (the preview), and what actually ran after the associate's edits
  suggested       TEXT CHECK (suggested IS NULL OR json_valid(suggested)),
  inputs          TEXT CHECK (inputs IS NULL OR json_valid(inputs)),
  outputs         TEXT CHECK (outputs IS NULL OR json_valid(outputs)),
  error           TEXT CHECK (error IS NULL OR json_valid(error)),
  note            TEXT,
  idempotency_key TEXT,
  attempts        INTEGER NOT NULL DEFAULT 0,
  simulated       INTEGER NOT NULL DEFAULT 0 CHECK (simulated IN (0, 1)),
  prepared_at     INTEGER,
  started_at      INTEGER,
  finished_at     INTEGER,
  PRIMARY KEY (run_id, idx),
  UNIQUE (run_id, step_id)
) STRICT;
