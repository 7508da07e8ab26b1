// Numbered schema migrations: one .sql file per change, applied in order inside one transaction; a few also have a
// JavaScript step (migration-steps.ts) run right after their SQL.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIGRATION_STEPS, type MigrationStep } from './migration-steps.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Run after the SQL, in the same transaction: for what SQL alone cannot compute (see migration-steps.ts). */
  run?: MigrationStep | undefined;
}

const FILE_PATTERN = /^(\d{4})-([a-z0-9-]+)\.sql$/;

/** Where the migrations live: beside this file in source, beside main.js in the Electron bundle (copied at build). */
export function defaultMigrationsDir(): string {
  return fileURLToPath(new URL('./migrations/', import.meta.url));
}

export function loadMigrations(dir: string = defaultMigrationsDir()): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const match = FILE_PATTERN.exec(file);
    if (!match) throw new Error(`Migration file ${file} is not named NNNN-what-it-does.sql`);
    const run = MIGRATION_STEPS[file.slice(0, -'.sql'.length)];
    migrations.push({ version: Number(match[1]), name: match[2] ?? file, sql: readFileSync(join(dir, file), 'utf8'), ...(run ? { run } : {}) });
  }
  checkOrder(migrations);
  return migrations;
}

/** Versions must strictly increase: two files with one number would apply in an order nobody chose. */
export function checkOrder(migrations: readonly Migration[]): void {
  for (let i = 1; i < migrations.length; i++) {
    const prev = migrations[i - 1]!;
    const cur = migrations[i]!;
    if (cur.version <= prev.version) {
      throw new Error(`Migrations ${prev.version}-${prev.name} and ${cur.version}-${cur.name} do not strictly increase`);
    }
  }
}
