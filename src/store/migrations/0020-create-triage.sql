-- Triage results: every reading Tandem made of a ticket; the newest per ticket is the current one.
CREATE TABLE triage (
  id           TEXT PRIMARY KEY,
  ticket_id    TEXT NOT NULL REFERENCES tickets (id),
  intent       TEXT NOT NULL,
  confidence   REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  rationale    TEXT NOT NULL,
  alternatives TEXT NOT NULL CHECK (json_valid(alternatives)),
  fields       TEXT NOT NULL CHECK (json_valid(fields)),
  model        TEXT NOT NULL,
  -- ticket content + workspace maps + model: the same input is never triaged twice
  input_hash   TEXT NOT NULL,
  created_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX triage_by_ticket ON triage (ticket_id, created_at DESC);
CREATE INDEX triage_by_input ON triage (input_hash);
