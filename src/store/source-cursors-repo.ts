// Source cursors: per ticket source, the updated-since value of its last complete sync.
import type { Db } from './db.ts';

export interface SourceCursor {
  since: string;
  syncedAt: number;
  definition: string;
}

export function createSourceCursorsRepo(db: Db) {
  const get = db.prepare<[string], { since: string; synced_at: number; definition: string }>('SELECT since, synced_at, definition FROM source_cursors WHERE source = ?');
  const put = db.prepare<[{ source: string; since: string; syncedAt: number; definition: string }]>(`
    INSERT INTO source_cursors (source, since, synced_at, definition) VALUES (@source, @since, @syncedAt, @definition)
    ON CONFLICT (source) DO UPDATE SET since = excluded.since, synced_at = excluded.synced_at, definition = excluded.definition`);
  return {
    get(source: string): SourceCursor | null {
      const row = get.get(source);
      return row ? { since: row.since, syncedAt: row.synced_at, definition: row.definition } : null;
    },
    set(source: string, cursor: SourceCursor): void {
      put.run({ source, ...cursor });
    },
  };
}
