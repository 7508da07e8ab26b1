// Opens the local SQLite database: WAL, foreign keys, migrations; refuses corrupt or newer files without touching them.
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { TandemError } from '../domain/errors.ts';
import { loadMigrations, type Migration } from './migrations.ts';

export type Db = Database.Database;

export interface OpenOptions {
  migrations?: Migration[];
  migrationsDir?: string;
  /**
   * Told before an existing database is migrated, with the size of its record: a migration that rebuilds a table of a
   * million decisions takes a minute, and a silent minute looks like a hang. Default: one line on stderr from 50,000
   * decisions up.
   */
  onMigrate?: (info: MigrationNotice) => void;
}

export interface MigrationNotice {
  file: string;
  from: number;
  to: number;
  decisions: number;
  message: string;
}

const announce = (info: MigrationNotice) => {
  if (info.decisions >= 50_000) process.stderr.write(`${info.message}\n`);
};

const SQLITE_HEADER = 'SQLite format 3\u0000';

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const migrations = options.migrations ?? loadMigrations(options.migrationsDir);
  checkHeader(file);
  // Even switching to WAL writes to the file, so a newer database is recognised through a read-only handle first.
  if (existsSync(file) && statSync(file).size > 0) checkNotFromFuture(file, migrations);
  mkdirSync(dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, { fileMustExist: false });
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
  } catch (cause) {
    throw asOpenError(file, cause);
  }
  try {
    migrate(db, file, migrations, options.onMigrate ?? announce);
  } catch (err) {
    db.close();
    throw err instanceof TandemError ? err : asOpenError(file, err);
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** Applies every pending migration in one transaction; a database from a newer Tandem is refused untouched. */
export function migrate(db: Db, file: string, migrations: readonly Migration[], onMigrate?: (info: MigrationNotice) => void): void {
  const current = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) throw fromFuture(file, current, latest);
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return;
  if (current > 0 && onMigrate) {
    let decisions = 0;
    try {
      decisions = (db.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }).n;
    } catch {
      decisions = 0; // a database from before the record had no decisions table
    }
    const size = decisions >= 1000 ? `, ${decisions.toLocaleString('en')} decisions` : '';
    // Measured: 0140 rebuilds a million decisions in about a minute on 2 cores.
    const slow = decisions >= 50_000 ? ` This can take ${decisions < 1_500_000 ? 'up to a minute' : `about ${Math.round(decisions / 1_000_000)} minutes`}; keep Tandem open until it is done.` : '';
    onMigrate({ file, from: current, to: latest, decisions, message: `Tandem is updating ${file} (schema ${current} → ${latest}${size}).${slow}` });
  }
  db.transaction(() => {
    for (const m of pending) {
      try {
        db.exec(m.sql);
        m.run?.(db);
      } catch (cause) {
        throw new Error(`Migration ${m.version}-${m.name} failed: ${(cause as Error).message}`, { cause });
      }
    }
    db.pragma(`user_version = ${latest}`);
  })();
}

function checkNotFromFuture(file: string, migrations: readonly Migration[]): void {
  let version: number;
  try {
    const probe = new Database(file, { readonly: true, fileMustExist: true });
    try {
      version = schemaVersion(probe);
    } finally {
      probe.close();
    }
  } catch (cause) {
    throw asOpenError(file, cause);
  }
  const latest = migrations.at(-1)?.version ?? 0;
  if (version > latest) throw fromFuture(file, version, latest);
}

function fromFuture(file: string, version: number, latest: number): TandemError {
  return new TandemError('db_from_future', `The database ${file} was written by a newer Tandem (schema ${version}; this version knows up to ${latest}).`, {
    hint: 'Update Tandem, or start it with another --data-dir. The file was left untouched.',
  });
}

/** A file that is not SQLite must never be "repaired" by overwriting it: refuse before better-sqlite3 touches it. */
function checkHeader(file: string): void {
  if (!existsSync(file)) return;
  const size = statSync(file).size;
  if (size === 0) return;
  const buf = Buffer.alloc(16);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (size < 100 || buf.toString('latin1') !== SQLITE_HEADER) {
    throw corrupt(file);
  }
}

function corrupt(file: string, cause?: unknown): TandemError {
  return new TandemError('db_corrupt', `The database ${file} is not a readable Tandem database (it may be damaged or not a SQLite file).`, {
    hint: 'Move it aside and restart to begin a new one, or start with another --data-dir. Tandem did not change the file.',
    cause,
  });
}

function asOpenError(file: string, cause: unknown): TandemError {
  const code = (cause as { code?: string }).code ?? '';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return corrupt(file, cause);
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new TandemError('db_locked', `The database ${file} is in use by another Tandem.`, { hint: 'Close the other Tandem window or process, then try again.', cause });
  }
  return new TandemError('internal', `Could not open the database ${file}: ${(cause as Error).message}`, { cause });
}

/**
 * A second, read-only connection to the same database, for long reads that stream (an export): a query left open
 * across awaits on the app's own connection would make every write on it fail ("connection is busy") until the
 * read ends — a verdict recorded during an export would be refused. WAL lets this reader and the writer run side by
 * side; the reader sees the record as it was when its read began. Close it when done.
 */
export function openReader(db: Db): Db {
  const reader = new Database(db.name, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  return reader;
}
