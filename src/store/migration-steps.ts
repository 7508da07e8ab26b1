// Migrations that need more than SQL: a JavaScript step run right after its migration's .sql file, in the same
// transaction. Keyed by the migration's file name without ".sql"; each step is frozen like the SQL beside it (it
// writes the schema as it is at its version, not as the code writing rows today does).
import type Database from 'better-sqlite3';
import { editedPaths } from '../domain/edits.ts';

export type MigrationStep = (db: Database.Database) => void;

export const MIGRATION_STEPS: Readonly<Record<string, MigrationStep>> = {
  '0130-dashboard-reads': backfillEditFields,
};

/** 0130: the changed paths of every edit already in the record, compared as the dashboard compares them. */
function backfillEditFields(db: Database.Database): void {
  // A page at a time: better-sqlite3 cannot write while a read is being iterated on the same connection.
  const page = db.prepare<[number], { seq: number; map_id: string | null; step_id: string; decided_at: number; suggested: string; final: string }>(
    "SELECT seq, map_id, step_id, decided_at, suggested, final FROM decisions WHERE kind = 'step' AND verdict = 'edited' AND seq > ? ORDER BY seq LIMIT 5000",
  );
  const insert = db.prepare('INSERT INTO decision_edit_fields (map_id, step_id, seq, pos, path, decided_at) VALUES (?, ?, ?, ?, ?, ?)');
  for (let after = 0, rows = page.all(after); rows.length > 0; rows = page.all(after)) {
    for (const r of rows) editedPaths(r.suggested, r.final).forEach((path, pos) => insert.run(r.map_id ?? '', r.step_id, r.seq, pos, path, r.decided_at));
    after = rows.at(-1)!.seq;
  }
}
