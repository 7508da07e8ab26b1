-- The fields each edit changed, stored when the edit is written: the dashboard's "most edited fields" then counts a few
-- short rows per edit instead of reading and comparing the suggested and final JSON of a step's last 1,000 edits
-- (most of the first stats call's time on a large record). One row per changed path of every step decision with the
-- verdict 'edited', in the order the comparison meets them (pos; it breaks ties between equally edited fields).
-- map_id, step_id and decided_at are the decision's own (map_id '' when it has none), so a step's edits of a period
-- are read from this table alone, newest first. Filled by the decisions repository in the same transaction as the
-- decision; the rows already there are filled by this migration's JavaScript step (store/migration-steps.ts), which
-- compares the JSON exactly as the dashboard did.
CREATE TABLE decision_edit_fields (
  map_id      TEXT NOT NULL,
  step_id     TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  pos         INTEGER NOT NULL,
  path        TEXT NOT NULL,
  decided_at  INTEGER NOT NULL,
  PRIMARY KEY (map_id, step_id, seq, pos)
) STRICT, WITHOUT ROWID;

