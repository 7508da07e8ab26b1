-- Where each ticket source's last sync got to: the latest change it saw, sent as `since` next time.
CREATE TABLE source_cursors (
  source      TEXT PRIMARY KEY,
  since       TEXT NOT NULL,
  synced_at   INTEGER NOT NULL,
  -- which definition wrote it: a changed definition reads everything again rather than trust an old cursor
  definition  TEXT NOT NULL
) STRICT;
