-- Tickets as pulled from a source; (source, external_id) identifies the same ticket across re-imports.
CREATE TABLE tickets (
  id              TEXT PRIMARY KEY,
  source          TEXT NOT NULL,
  external_id     TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body            TEXT NOT NULL,
  requester_name  TEXT NOT NULL,
  requester_email TEXT NOT NULL,
  channel         TEXT NOT NULL CHECK (channel IN ('email', 'chat', 'web', 'phone')),
  created_at      INTEGER NOT NULL,
  state           TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'triaged', 'in_progress', 'escalated', 'done')),
  content_hash    TEXT NOT NULL,
  imported_at     INTEGER NOT NULL,
  UNIQUE (source, external_id)
) STRICT;

CREATE INDEX tickets_by_created ON tickets (created_at DESC);
