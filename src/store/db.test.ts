import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TandemError } from '../domain/errors.ts';
import { tempDir } from '../testing/temp-dirs.ts';
import * as dbModule from './db.ts';
import { openDatabase, openReader, schemaVersion, type MigrationNotice } from './db.ts';
import { editedPaths } from '../domain/edits.ts';
import { createDecisionsRepo } from './decisions-repo.ts';
import { MIGRATION_STEPS } from './migration-steps.ts';
import { checkOrder, loadMigrations } from './migrations.ts';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('openDatabase', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());

  it('creates a WAL database with foreign keys on and every migration applied', () => {
    const db = openDatabase(join(dir.path, 'sub', 'tandem.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(loadMigrations().at(-1)!.version);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['decisions', 'tickets', 'triage']));
    db.close();
  });

  it('opens an up-to-date database again without re-running anything', () => {
    const file = join(dir.path, 'tandem.db');
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(loadMigrations().at(-1)!.version);
    db.close();
  });

  it('refuses a database from a newer Tandem and leaves the file untouched', () => {
    const file = join(dir.path, 'tandem.db');
    const raw = new Database(file);
    raw.exec('CREATE TABLE future (x INTEGER) STRICT');
    raw.pragma('user_version = 9999');
    raw.close();
    const before = sha(file);
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'db_from_future' }) as unknown as TandemError);
    expect(sha(file)).toBe(before);
  });

  it('refuses a file that is not SQLite and never overwrites it', () => {
    const file = join(dir.path, 'tandem.db');
    writeFileSync(file, 'this is not a database, it is somebody’s notes'.repeat(10));
    const before = sha(file);
    let error: unknown;
    try {
      openDatabase(file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TandemError);
    expect((error as TandemError).code).toBe('db_corrupt');
    expect((error as TandemError).message).toContain(file);
    expect((error as TandemError).hint).toMatch(/did not change the file/);
    expect(sha(file)).toBe(before);
  });

  it('rolls back every pending migration when one fails', () => {
    const file = join(dir.path, 'tandem.db');
    const migrations = [
      { version: 10, name: 'ok', sql: 'CREATE TABLE a (x INTEGER) STRICT;' },
      { version: 20, name: 'broken', sql: 'CREATE TABLE b (x NOT_A_TYPE) STRICT;' },
    ];
    expect(() => openDatabase(file, { migrations })).toThrow(/Migration 20-broken failed/);
    const db = new Database(file);
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'a'").pluck().get()).toBe(0);
    db.close();
  });

  it('rejects migrations whose versions do not strictly increase', () => {
    expect(() => checkOrder([{ version: 10, name: 'a', sql: '' }, { version: 10, name: 'b', sql: '' }])).toThrow(/do not strictly increase/);
  });
});

describe('each migration', () => {
  // Migrate a fresh database up to each version in turn and read rows back, so every step stands on its own.
  const all = loadMigrations();
  const seeds: Record<number, (db: Database.Database) => void> = {
    10: (db) => {
      db.prepare(
        "INSERT INTO tickets (id, source, external_id, subject, body, requester_name, requester_email, channel, created_at, content_hash, imported_at) VALUES ('w:1', 'w', '1', 's', 'b', 'n', 'e@x.org', 'email', 1, 'h', 2)",
      ).run();
      expect(db.prepare('SELECT state FROM tickets').pluck().get()).toBe('new');
      expect(() => db.prepare("UPDATE tickets SET channel = 'fax'").run()).toThrow(/CHECK/);
    },
    20: (db) => {
      db.prepare("INSERT INTO triage (id, ticket_id, intent, confidence, rationale, alternatives, fields, model, input_hash, created_at) VALUES ('t1', 'w:1', 'refund', 0.8, 'r', '[]', '{}', 'm', 'h', 3)").run();
      expect(db.prepare('SELECT intent FROM triage').pluck().get()).toBe('refund');
      expect(() => db.prepare("INSERT INTO triage (id, ticket_id, intent, confidence, rationale, alternatives, fields, model, input_hash, created_at) VALUES ('t2', 'nope', 'x', 0.5, 'r', '[]', '{}', 'm', 'h', 3)").run()).toThrow(/FOREIGN KEY/);
    },
    30: (db) => {
      const insert = db.prepare(
        "INSERT INTO decisions (id, ticket_id, kind, triage_id, actor, decided_at, suggested, final, verdict, confidence) VALUES (?, 'w:1', 'triage', 't1', 'ann', 4, 'refund', ?, ?, 0.8)",
      );
      insert.run('d1', 'refund', 'accepted');
      expect(() => insert.run('d2', 'other', 'overridden')).toThrow(/UNIQUE/);
      expect(() => insert.run('d3', 'other', 'accepted')).toThrow(/CHECK/);
      expect(() => db.prepare("UPDATE decisions SET actor = 'mallory'").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM decisions').run()).toThrow(/append-only/);
      expect(db.prepare('SELECT actor FROM decisions').pluck().all()).toEqual(['ann']);
    },
    40: (db) => {
      const run = db.prepare("INSERT INTO runs (id, ticket_id, map_id, map_version, map_snapshot, state, fields, confidence, threshold, created_by, created_at, updated_at) VALUES (?, 'w:1', 'refund', 1, '{}', 'waiting', '{}', 0.9, 0.5, 'ann', 5, 5)");
      run.run('r1');
      expect(() => run.run('r2')).toThrow(/UNIQUE/); // one open run per ticket
      db.prepare("INSERT INTO run_steps (run_id, idx, step_id, block, mode, state) VALUES ('r1', 0, 'find', 'http', 'suggest', 'pending')").run();
      expect(db.prepare('SELECT state FROM run_steps').pluck().get()).toBe('pending');
    },
    50: (db) => {
      // The rebuild kept the triage decision from 0030 and its append-only guard.
      expect(db.prepare('SELECT id, kind, verdict FROM decisions').all()).toEqual([{ id: 'd1', kind: 'triage', verdict: 'accepted' }]);
      const step = db.prepare("INSERT INTO decisions (id, ticket_id, kind, run_id, step_id, actor, decided_at, suggested, final, verdict, confidence) VALUES (?, 'w:1', 'step', 'r1', 'find', 'ann', 6, '{}', ?, ?, 0.9)");
      step.run('d4', '{\"x\":1}', 'edited');
      expect(() => step.run('d5', '{}', 'accepted')).toThrow(/UNIQUE/);
      expect(() => db.prepare("UPDATE decisions SET actor = 'x'").run()).toThrow(/append-only/);
    },
    60: (db) => {
      // Rows from before the chain keep a null hash; new ones must not share a hash.
      expect(db.prepare('SELECT count(*) FROM decisions WHERE hash IS NULL').pluck().get()).toBe(2);
      const ins = db.prepare("INSERT INTO decisions (id, ticket_id, kind, actor, decided_at, suggested, final, verdict, confidence, prev_hash, hash) VALUES (?, 'w:1', 'escalation', 'ann', 7, '1', '2', 'returned', 1, NULL, ?)");
      ins.run('d6', 'h1');
      expect(() => ins.run('d7', 'h1')).toThrow(/UNIQUE/);
    },
    70: (db) => {
      // Every row and its hash survived the rebuild; a promotion needs no ticket, other kinds still do.
      expect(db.prepare('SELECT id, hash FROM decisions ORDER BY seq').all()).toEqual([
        { id: 'd1', hash: null },
        { id: 'd4', hash: null },
        { id: 'd6', hash: 'h1' },
      ]);
      db.prepare("INSERT INTO decisions (id, ticket_id, kind, map_id, step_id, actor, decided_at, suggested, final, verdict, confidence) VALUES ('p1', NULL, 'promotion', 'refund', 'refund', 'lead', 8, '\"suggest\"', '\"auto\"', 'promoted', 1)").run();
      expect(() => db.prepare("INSERT INTO decisions (id, ticket_id, kind, actor, decided_at, suggested, final, verdict, confidence) VALUES ('x', NULL, 'escalation', 'a', 1, '1', '2', 'returned', 1)").run()).toThrow(/CHECK/);
      expect(() => db.prepare("UPDATE decisions SET actor = 'x'").run()).toThrow(/append-only/);
    },
    110: (db) => {
      // One cursor per source; STRICT refuses a time that is not an integer.
      const put = db.prepare('INSERT INTO source_cursors (source, since, synced_at, definition) VALUES (?, ?, ?, ?)');
      put.run('helpdesk', '2026-11-20T10:00:00.000Z', 9, 'abc');
      expect(() => put.run('helpdesk', 'x', 10, 'abc')).toThrow(/UNIQUE|PRIMARY KEY/);
      expect(() => put.run('other', 'x', 'soon', 'abc')).toThrow(/cannot store TEXT value in INTEGER column|datatype mismatch/);
      expect(db.prepare('SELECT since FROM source_cursors').pluck().all()).toEqual(['2026-11-20T10:00:00.000Z']);
    },
    100: (db) => {
      // Readings from before keep empty details and zero usage; new ones carry both, and details must be JSON.
      expect(db.prepare("SELECT details, prompt_tokens, completion_tokens, cost_micros FROM triage WHERE id = 't1'").get()).toEqual({ details: '{}', prompt_tokens: 0, completion_tokens: 0, cost_micros: 0 });
      const ins = db.prepare("INSERT INTO triage (id, ticket_id, intent, confidence, rationale, alternatives, fields, model, input_hash, created_at, details, prompt_tokens, completion_tokens, cost_micros) VALUES (?, 'w:1', 'refund', 0.9, 'r', '[]', '{}', 'llm', 'h2', 9, ?, 120, 30, ?)");
      ins.run('t3', '{"language":"en"}', 45);
      expect(db.prepare("SELECT json_extract(details, '$.language') AS l, cost_micros AS c FROM triage WHERE id = 't3'").get()).toEqual({ l: 'en', c: 45 });
      expect(() => ins.run('t4', 'not json', 1)).toThrow(/CHECK/);
      expect(() => ins.run('t5', '{}', -1)).toThrow(/CHECK/);
    },
    80: (db) => {
      // Every row and hash survived; a shadow verdict needs its run and step; a decision about a ticket from another
      // associate's database is accepted (no foreign key), and an origin hash comes with its origin.
      expect(db.prepare('SELECT id FROM decisions ORDER BY seq').pluck().all()).toEqual(['d1', 'd4', 'd6', 'p1']);
      const shadow = db.prepare("INSERT INTO decisions (id, ticket_id, kind, run_id, step_id, actor, decided_at, suggested, final, verdict, confidence) VALUES (?, 'w:1', 'shadow', ?, 'find', 'tandem (shadow)', 9, '{}', ?, ?, 1)");
      shadow.run('s1', 'r1', '{}', 'accepted');
      expect(() => shadow.run('s2', 'r1', '{}', 'accepted')).toThrow(/UNIQUE/);
      expect(() => shadow.run('s3', 'r2', '{}', 'edited')).toThrow(/CHECK/);
      expect(() => shadow.run('s4', null, '{}', 'accepted')).toThrow(/CHECK/);
      const imported = db.prepare("INSERT INTO decisions (id, ticket_id, kind, run_id, step_id, actor, decided_at, suggested, final, verdict, confidence, origin_hash, origin) VALUES (?, 'elsewhere:9', 'step', 'r-other', 'find', 'bo', 10, '{}', '{}', 'accepted', 1, ?, ?)");
      imported.run('i1', 'abc', 'bo.csv');
      expect(() => imported.run('i2', 'abd', null)).toThrow(/CHECK/);
      expect(() => db.prepare("DELETE FROM decisions WHERE id = 'i1'").run()).toThrow(/append-only/);
      const example = db.prepare("INSERT INTO decisions (id, ticket_id, kind, map_id, actor, decided_at, suggested, final, verdict, confidence) VALUES (?, 'w:1', 'example', ?, 'lead', 11, '\"d1\"', '\"where is it\"', ?, 1)");
      example.run('e1', 'refund', 'edited');
      expect(() => example.run('e2', null, 'edited')).toThrow(/CHECK/);
      expect(() => example.run('e3', 'refund', 'accepted')).toThrow(/CHECK/);
    },
    81: (db) => {
      // The counts were rebuilt from every row already there, and each new decision adds to its day's count.
      const total = () => db.prepare('SELECT sum(n) FROM decision_counts').pluck().get();
      expect(total()).toBe(db.prepare('SELECT count(*) FROM decisions').pluck().get());
      db.prepare("INSERT INTO decisions (id, ticket_id, kind, run_id, step_id, map_id, actor, decided_at, suggested, final, verdict, confidence) VALUES (?, 'w:1', 'step', ?, 'find', 'refund', 'tandem (auto)', ?, '{}', '{}', 'auto', 1)").run('c1', 'r-c1', 86_400_000 * 3 + 5);
      db.prepare("INSERT INTO decisions (id, ticket_id, kind, run_id, step_id, map_id, actor, decided_at, suggested, final, verdict, confidence) VALUES (?, 'w:1', 'step', ?, 'find', 'refund', 'tandem (auto)', ?, '{}', '{}', 'auto', 1)").run('c2', 'r-c2', 86_400_000 * 3 + 9);
      expect(db.prepare("SELECT day, kind, map_id, step_id, verdict, auto, n FROM decision_counts WHERE verdict = 'auto'").all()).toEqual([{ day: 3, kind: 'step', map_id: 'refund', step_id: 'find', verdict: 'auto', auto: 1, n: 2 }]);
      expect(total()).toBe(db.prepare('SELECT count(*) FROM decisions').pluck().get());
    },
    120: (db) => {
      // The confusions were rebuilt from the overridden triage already there; each new one adds to its day's pair, and
      // no other decision is counted. The step indexes the dashboard reads now carry the decision's time.
      const confusions = () => db.prepare('SELECT day, suggested, final, n FROM triage_confusion_counts ORDER BY 1, 2, 3').all();
      const truth = () => db.prepare("SELECT decided_at / 86400000 AS day, suggested, final, count(*) AS n FROM decisions WHERE kind = 'triage' AND verdict = 'overridden' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3").all();
      expect(confusions()).toEqual(truth());
      const triage = db.prepare("INSERT INTO decisions (id, ticket_id, kind, triage_id, actor, decided_at, suggested, final, verdict, confidence) VALUES (?, 'w:1', 'triage', ?, 'ann', ?, 'refund', ?, ?, 0.8)");
      triage.run('o1', 'to1', 86_400_000 * 4 + 1, 'damaged', 'overridden');
      triage.run('o2', 'to2', 86_400_000 * 4 + 2, 'damaged', 'overridden');
      triage.run('o3', 'to3', 86_400_000 * 4 + 3, 'refund', 'accepted');
      expect(confusions()).toEqual([{ day: 4, suggested: 'refund', final: 'damaged', n: 2 }]);
      expect(confusions()).toEqual(truth());
      expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('decisions_edits', 'decisions_reasons', 'decisions_times') AND sql LIKE '%decided_at%' ORDER BY 1").pluck().all()).toEqual(['decisions_edits', 'decisions_reasons', 'decisions_times']);
    },
    130: (db) => {
      // A decision written through the repository adds its edit's changed fields in the same transaction (in the order
      // the comparison meets them); other verdicts add none. (The rebuild of what was there: the test after this one.)
      const fields = () => db.prepare('SELECT map_id, step_id, seq, pos, path, decided_at FROM decision_edit_fields ORDER BY seq, pos').all();
      const repo = createDecisionsRepo(db);
      const step = { ticketId: 'w:1', kind: 'step' as const, triageId: null, stepId: 'refund', mapId: 'refund', mapVersion: 1, actor: 'ann', decidedAt: 12, confidence: 1, reason: null, decisionMs: null };
      repo.insert({ ...step, id: 'f1', runId: 'rf1', suggested: '{"a":1,"b":{"c":2}}', final: '{"a":1,"b":{"c":3},"d":4}', verdict: 'edited' });
      repo.insert({ ...step, id: 'f2', runId: 'rf2', suggested: '{"a":1}', final: '{"a":1}', verdict: 'accepted' });
      repo.insert({ ...step, id: 'f3', runId: 'rf3', mapId: null, suggested: '"x"', final: '"y"', verdict: 'edited' });
      const seq = (id: string) => db.prepare('SELECT seq FROM decisions WHERE id = ?').pluck().get(id);
      expect(fields()).toEqual([
        { map_id: 'refund', step_id: 'refund', seq: seq('f1'), pos: 0, path: 'b.c', decided_at: 12 },
        { map_id: 'refund', step_id: 'refund', seq: seq('f1'), pos: 1, path: 'd', decided_at: 12 },
        { map_id: '', step_id: 'refund', seq: seq('f3'), pos: 0, path: '(value)', decided_at: 12 },
      ]);
      // The week counts were rebuilt from the day counts and each new decision adds to its week (Monday to Sunday, and
      // before 1970 too), as the day counts do; the step index now carries what the graduation window reads.
      const weeks = () => db.prepare('SELECT kind, map_id, step_id, verdict, auto, week, n FROM decision_week_counts ORDER BY 1, 2, 3, 4, 5, 6').all();
      const truth = () =>
        db
          .prepare(
            "SELECT kind, coalesce(map_id, '') AS map_id, coalesce(step_id, '') AS step_id, verdict, actor = 'tandem (auto)' AS auto, (decided_at / 86400000 + 3 + 7 * 1000) / 7 - 1000 AS week, count(*) AS n FROM decisions GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6",
          )
          .all();
      expect(weeks()).toEqual(truth());
      const at = (id: string, decidedAt: number) => repo.insert({ ...step, id, runId: `r-${id}`, suggested: '{}', final: '{}', verdict: 'accepted', decidedAt });
      at('w1', 4 * 86_400_000 - 1); // Sunday 1970-01-04, the last day of week 0
      at('w2', 4 * 86_400_000); // Monday 1970-01-05: week 1
      at('w3', -4 * 86_400_000 + 5); // day -3, Monday 1969-12-29: week 0 (its day rounds towards zero, as in decision_counts)
      at('w4', -5 * 86_400_000 + 5); // day -4, Sunday 1969-12-28: week -1
      const accepted = db.prepare("SELECT week, n FROM decision_week_counts WHERE verdict = 'accepted' AND kind = 'step' AND map_id = 'refund' ORDER BY week").all();
      expect(accepted).toEqual([{ week: -1, n: 1 }, { week: 0, n: 3 }, { week: 1, n: 1 }]); // week 0: f2 (day 0), w1 and w3
      expect(weeks()).toEqual(truth());
      expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'decisions_by_step'").pluck().get()).toMatch(/seq, decided_at, verdict, run_id/);
    },
    150: (db) => {
      // An edit waiting for a lead keeps its reason on the step until the verdict records it; a blank one is refused.
      const step = db.prepare('SELECT run_id, step_id FROM run_steps LIMIT 1').get() as { run_id: string; step_id: string } | undefined;
      if (step) {
        db.prepare('UPDATE run_steps SET proposal_reason = ? WHERE run_id = ? AND step_id = ?').run('kept the lamp', step.run_id, step.step_id);
        expect(db.prepare('SELECT proposal_reason FROM run_steps WHERE run_id = ? AND step_id = ?').pluck().get(step.run_id, step.step_id)).toBe('kept the lamp');
        expect(() => db.prepare('UPDATE run_steps SET proposal_reason = ? WHERE run_id = ? AND step_id = ?').run('  ', step.run_id, step.step_id)).toThrow(/CHECK/);
      } else {
        expect(db.prepare("SELECT count(*) FROM pragma_table_info('run_steps') WHERE name = 'proposal_reason'").pluck().get()).toBe(1);
      }
    },
    140: (db) => {
      // A revert names an automatic run's step, says why, and is written once; 'reverted' belongs to it alone. The
      // day counts still follow every insert (the trigger came back with the table), and the guards still hold.
      const revert = db.prepare("INSERT INTO decisions (id, ticket_id, kind, run_id, step_id, map_id, actor, decided_at, suggested, final, verdict, confidence, reason) VALUES (?, 'w:1', ?, ?, 'find', ?, 'lead', ?, '{}', 'null', ?, 1, ?)");
      revert.run('rv1', 'revert', 'r-c1', 'refund', 86_400_000 * 3 + 20, 'reverted', 'refunded twice; undone in Payments');
      expect(() => revert.run('rv2', 'revert', 'r-c1', 'refund', 86_400_000 * 3 + 21, 'reverted', 'again')).toThrow(/UNIQUE/);
      expect(() => revert.run('rv3', 'revert', 'r-c2', 'refund', 86_400_000 * 3 + 22, 'reverted', null)).toThrow(/CHECK/);
      expect(() => revert.run('rv4', 'revert', 'r-c2', 'refund', 86_400_000 * 3 + 22, 'reverted', '   ')).toThrow(/CHECK/);
      expect(() => revert.run('rv5', 'revert', 'r-c2', null, 86_400_000 * 3 + 22, 'reverted', 'why')).toThrow(/CHECK/);
      expect(() => revert.run('rv6', 'revert', 'r-c2', 'refund', 86_400_000 * 3 + 22, 'escalated', 'why')).toThrow(/CHECK/);
      expect(() => revert.run('rv7', 'step', 'r-c3', 'refund', 86_400_000 * 3 + 22, 'reverted', 'why')).toThrow(/CHECK/);
      expect(db.prepare("SELECT day, kind, verdict, auto, n FROM decision_counts WHERE kind = 'revert'").all()).toEqual([{ day: 3, kind: 'revert', verdict: 'reverted', auto: 0, n: 1 }]);
      expect(db.prepare('SELECT sum(n) FROM decision_counts').pluck().get()).toBe(db.prepare('SELECT count(*) FROM decisions').pluck().get());
      expect(() => db.prepare("DELETE FROM decisions WHERE id = 'rv1'").run()).toThrow(/append-only/);
      expect(() => db.prepare("UPDATE decisions SET reason = 'x' WHERE id = 'rv1'").run()).toThrow(/append-only/);
    },
  };

  it('0130 fills the changed fields of every edit already in the record as the dashboard computed them', () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, 'tandem.db');
      const old = openDatabase(file, { migrations: all.filter((m) => m.version < 130) });
      old.prepare("INSERT INTO tickets (id, source, external_id, subject, body, requester_name, requester_email, channel, created_at, content_hash, imported_at) VALUES ('w:1', 'w', '1', 's', 'b', 'n', 'e@x.org', 'email', 1, 'h', 2)").run();
      const insert = old.prepare("INSERT INTO decisions (id, ticket_id, kind, run_id, step_id, map_id, actor, decided_at, suggested, final, verdict, confidence) VALUES (?, 'w:1', ?, ?, ?, ?, 'ann', ?, ?, ?, ?, 1)");
      // Awkward values on purpose: integer-like keys (JavaScript lists them first), a dotted key beside a nested one,
      // text that is not JSON, arrays, numbers written two ways, non-ASCII keys, more rows than one backfill page.
      const pairs: [string, string][] = [
        ['{"b":1,"a":{"x":[1,2]},"2":0,"1":"z"}', '{"a":{"x":[1,3]},"b":1,"1":"y","10":true}'],
        ['{"a.b":1,"a":{"b":1}}', '{"a.b":2,"a":{"b":2}}'],
        ['not json', 'still not json'],
        ['{"amount":1.0,"note":"\u00e9"}', '{"amount":1,"note":"é","café ☕":null}'],
        ['[1,2]', '{"0":1}'],
        ['{"same":true}', '{"same":true}'],
        ['"a"', 'null'],
      ];
      for (let i = 0; i < 6000; i++) {
        const [suggested, final] = pairs[i % pairs.length]!;
        const edited = i % 3 !== 2;
        insert.run(`d${i}`, 'step', `r${i}`, ['find', 'refund'][i % 2], i % 5 === 0 ? null : 'refund_request', 1000 + i, suggested, edited ? final : suggested, edited ? 'edited' : 'accepted');
      }
      insert.run('s1', 'shadow', 'rs1', 'find', 'refund_request', 9, '{"a":1}', 'null', 'overridden');
      old.close();
      const db = openDatabase(file);
      expect(schemaVersion(db)).toBe(all.at(-1)!.version);
      const expected = db
        .prepare<[], { seq: number; map_id: string | null; step_id: string; decided_at: number; suggested: string; final: string }>("SELECT seq, map_id, step_id, decided_at, suggested, final FROM decisions WHERE kind = 'step' AND verdict = 'edited' ORDER BY seq")
        .all()
        .flatMap((r) => editedPaths(r.suggested, r.final).map((path, pos) => ({ map_id: r.map_id ?? '', step_id: r.step_id, seq: r.seq, pos, path, decided_at: r.decided_at })));
      expect(expected.length).toBeGreaterThan(5000); // more than one page of the backfill
      expect(expected.filter((e) => e.seq === 2).map((e) => e.path)).toEqual(['a.b', 'a.b']);
      expect(db.prepare('SELECT map_id, step_id, seq, pos, path, decided_at FROM decision_edit_fields ORDER BY seq, pos').all()).toEqual(expected);
      // The week counts too, from every decision already there.
      expect(db.prepare('SELECT kind, map_id, step_id, verdict, auto, week, sum(n) AS n FROM decision_week_counts GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6').all()).toEqual(
        db
          .prepare("SELECT kind, coalesce(map_id, '') AS map_id, coalesce(step_id, '') AS step_id, verdict, actor = 'tandem (auto)' AS auto, (decided_at / 86400000 + 3) / 7 AS week, count(*) AS n FROM decisions GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6")
          .all(),
      );
      db.close();
    } finally {
      dir.cleanup();
    }
  });

  it('runs each JavaScript step with its own migration', () => {
    expect(Object.keys(MIGRATION_STEPS).filter((key) => !all.some((m) => `${String(m.version).padStart(4, '0')}-${m.name}` === key && m.run === MIGRATION_STEPS[key]))).toEqual([]);
  });

  it.each(all.map((m) => [m.version, m.name] as const))('%i-%s migrates a fresh database and keeps its rows', (version) => {
    const dir = tempDir();
    try {
      const upTo = all.filter((m) => m.version <= version);
      const db = openDatabase(join(dir.path, 'tandem.db'), { migrations: upTo });
      for (const m of upTo) seeds[m.version]?.(db);
      expect(schemaVersion(db)).toBe(version);
      db.close();
    } finally {
      dir.cleanup();
    }
  });

  it('0140 rebuilds the record keeping every row, hash, count, index and trigger', async () => {
    const { createDecisionsRepo } = await import('./decisions-repo.ts');
    const dir = tempDir();
    try {
      const file = join(dir.path, 'tandem.db');
      const before = openDatabase(file, { migrations: all.filter((m) => m.version < 140) });
      const repo = createDecisionsRepo(before);
      const base = { ticketId: 'w:1', triageId: null, mapId: 'refund', mapVersion: 1, confidence: 0.9, decisionMs: null };
      repo.insert({ ...base, id: 'a1', kind: 'step', runId: 'r1', stepId: 'pay', actor: 'tandem (auto)', decidedAt: 86_400_000 * 2 + 1, suggested: '{"amount":5}', final: '{"amount":5}', verdict: 'auto', reason: null });
      repo.insert({ ...base, id: 'a2', kind: 'triage', triageId: 't1', runId: null, stepId: null, actor: 'ann', decidedAt: 86_400_000 * 2 + 2, suggested: 'refund', final: 'damaged', verdict: 'overridden', reason: 'photo' });
      repo.insert({ ...base, id: 'a3', kind: 'escalation', runId: 'r2', stepId: 'pay', actor: 'tandem (auto)', decidedAt: 86_400_000 * 2 + 3, suggested: '{}', final: '{}', verdict: 'escalated', reason: 'automatic run failed: 500' }, { originHash: 'h-elsewhere', origin: 'bo.csv' });
      const snapshot = (db: Database.Database) => ({
        rows: db.prepare('SELECT * FROM decisions ORDER BY seq').all(),
        counts: db.prepare('SELECT * FROM decision_counts ORDER BY 1, 2, 3, 4, 5, 6').all(),
        confusions: db.prepare('SELECT * FROM triage_confusion_counts ORDER BY 1, 2, 3').all(),
        objects: db.prepare("SELECT type, name FROM sqlite_master WHERE tbl_name = 'decisions' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY 1, 2").all() as { type: string; name: string }[],
      });
      const old = snapshot(before);
      before.close();
      const told: MigrationNotice[] = [];
      const after = openDatabase(file, { onMigrate: (info) => told.push(info) });
      // Before a long migration the person is told what is happening and how big the record is.
      expect(told).toEqual([{ file, from: 130, to: all.at(-1)!.version, decisions: 3, message: `Tandem is updating ${file} (schema 130 → ${all.at(-1)!.version}).` }]);
      const now = snapshot(after);
      expect(now.rows).toEqual(old.rows);
      expect(now.counts).toEqual(old.counts);
      expect(now.confusions).toEqual(old.confusions);
      expect(now.objects).toEqual([...old.objects, { type: 'index', name: 'decisions_one_revert_per_step' }].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name)));
      expect(createDecisionsRepo(after).verify()).toEqual({ rows: 3, chained: 3, broken: null });
      after.close();
    } finally {
      dir.cleanup();
    }
  });

  it('says how long a migration of a large record may take, before it starts', () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, 'tandem.db');
      const old = openDatabase(file, { migrations: all.filter((m) => m.version < 140) });
      // 1.2 million rows are too slow to write in a unit test: the count is what the notice reads, so a view stands in.
      old.exec('ALTER TABLE decisions RENAME TO decisions_real; CREATE VIEW decisions AS SELECT 1 AS x FROM (WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 1200000) SELECT n FROM c);');
      const told: MigrationNotice[] = [];
      try {
        const { migrate } = dbModule;
        migrate(old, file, all, (info) => told.push(info));
      } catch {
        // the stand-in view cannot be migrated; the notice comes before any migration runs
      }
      expect(told.map((t) => t.message)).toEqual([`Tandem is updating ${file} (schema 130 → ${all.at(-1)!.version}, 1,200,000 decisions). This can take up to a minute; keep Tandem open until it is done.`]);
      old.close();
    } finally {
      dir.cleanup();
    }
  });

  it('lets verdicts be recorded while an export streams through a reader of its own', async () => {
    const { createDecisionsRepo } = await import('./decisions-repo.ts');
    const dir = tempDir();
    try {
      const db = openDatabase(join(dir.path, 'tandem.db'));
      const repo = createDecisionsRepo(db);
      const row = (id: string) => ({ id, ticketId: 'w:1', kind: 'escalation' as const, triageId: null, runId: null, stepId: null, mapId: null, mapVersion: null, actor: 'ann', decidedAt: 1, suggested: '"x"', final: '"y"', verdict: 'returned' as const, confidence: 1, reason: 'n', decisionMs: null });
      for (let i = 0; i < 3; i++) repo.insert(row(`d${i}`));
      // A read left open on the app's own connection blocks its writes…
      const open = repo.iterateRaw({});
      open.next();
      expect(() => repo.insert(row('blocked'))).toThrow(/busy/);
      open.return?.();
      // …one on a reader does not, and the reader's read is not disturbed.
      const reader = openReader(db);
      const streaming = createDecisionsRepo(reader).iterateRaw({});
      streaming.next();
      repo.insert(row('during-export'));
      let rest = 0;
      for (const _ of streaming) rest++;
      expect(rest).toBe(2);
      reader.close();
      expect(db.prepare('SELECT count(*) FROM decisions').pluck().get()).toBe(4);
      db.close();
    } finally {
      dir.cleanup();
    }
  });

  it('has a seed check for every migration', () => {
    expect(all.map((m) => m.version).filter((v) => !seeds[v])).toEqual([]);
  });
});
