import { randomUUID } from 'node:crypto';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/db.ts';
import { createDecisionsRepo } from '../store/decisions-repo.ts';
import { tempDir } from '../testing/temp-dirs.ts';
import { parse } from 'csv-parse/sync';
import { CSV_TEXT_COLUMNS, exportDecisions, type ExportFormat } from './export.ts';
import { importDecisions } from './import.ts';
import { computeStats } from './stats.ts';

describe('importDecisions', () => {
  let dir: ReturnType<typeof tempDir>;
  let ann: Db;
  let bo: Db;
  let lead: Db;
  const file = (name: string) => `${dir.path}/${name}`;

  function seed(db: Db, actor: string, n: number, ticketPrefix: string) {
    db.prepare(
      "INSERT INTO tickets (id, source, external_id, subject, body, requester_name, requester_email, channel, created_at, content_hash, imported_at) VALUES (?, 'w', ?, 's', 'b', 'Zoë Ünal', 'zoe@x.org', 'email', 1, 'h', 2)",
    ).run(`${ticketPrefix}:1`, '1');
    const repo = createDecisionsRepo(db);
    for (let i = 0; i < n; i++) {
      repo.insert({
        id: randomUUID(), ticketId: `${ticketPrefix}:1`, kind: 'escalation', triageId: null, runId: null, stepId: 'refund', mapId: 'refund_request', mapVersion: 3, actor,
        decidedAt: Date.UTC(2026, 10, 2, 9, i), suggested: '{"amount":4500}', final: i % 2 ? '"Zoë (zoe@x.org) wants, "really", a call"' : '{"amount":4500}', verdict: i % 2 ? 'escalated' : 'returned',
        confidence: 0.83, reason: i % 2 ? 'line one,\nline "two"' : null, decisionMs: i % 3 ? 1200 + i : null,
      });
    }
  }

  async function exportTo(db: Db, name: string, format: ExportFormat, options: { redact?: boolean } = {}) {
    const out = createWriteStream(file(name));
    await exportDecisions(createDecisionsRepo(db), format, {}, out, options);
    await finished(out);
    return file(name);
  }

  beforeEach(() => {
    dir = tempDir();
    ann = openDatabase(file('ann.db'));
    bo = openDatabase(file('bo.db'));
    lead = openDatabase(file('lead.db'));
    seed(ann, 'ann', 5, 'helpdesk');
    seed(bo, 'bo', 4, 'elsewhere');
    seed(lead, 'lead', 2, 'helpdesk');
  });
  afterEach(() => {
    for (const db of [ann, bo, lead]) db.close();
    dir.cleanup();
  });

  const count = () => lead.prepare('SELECT count(*) FROM decisions').pluck().get();

  it('merges CSV and JSONL exports once, chained after the local rows, provenance kept', async () => {
    const a = await exportTo(ann, 'ann.csv', 'csv');
    const b = await exportTo(bo, 'bo.jsonl', 'jsonl');
    const report = await importDecisions(lead, [a, b]);
    expect(report).toMatchObject({ imported: 9, duplicates: 0 });
    expect(report.files.map((f) => [f.rows, f.imported, f.unknownTickets])).toEqual([[5, 5, 0], [4, 4, 4]]);
    expect(count()).toBe(11);
    expect(createDecisionsRepo(lead).verify()).toMatchObject({ rows: 11, chained: 11, broken: null });
    // Values come back exactly: quotes, commas, newlines, accents, nulls, numbers.
    const src = ann.prepare('SELECT id, final, reason, decision_ms, confidence, decided_at, hash FROM decisions ORDER BY seq').all() as { id: string; hash: string }[];
    const got = lead.prepare('SELECT id, final, reason, decision_ms, confidence, decided_at, origin_hash AS hash, origin FROM decisions WHERE origin IS NOT NULL ORDER BY seq LIMIT 5').all();
    expect(got).toEqual(src.map((r) => ({ ...r, origin: 'ann.csv' })));

    // Again, and both files again: nothing changes, and the report says so.
    const again = await importDecisions(lead, [a, b, a]);
    expect(again).toMatchObject({ imported: 0, duplicates: 14 });
    expect(count()).toBe(11);

    // The lead's merged record exported and imported elsewhere keeps the first origin and still checks out.
    const merged = await exportTo(lead, 'lead.jsonl', 'jsonl');
    const other = openDatabase(file('other.db'));
    try {
      expect(await importDecisions(other, [merged])).toMatchObject({ imported: 11 });
      expect(other.prepare("SELECT count(*) FROM decisions WHERE origin = 'ann.csv'").pluck().get()).toBe(5);
      expect(createDecisionsRepo(other).verify().broken).toBeNull();
      // ann's own export into that database: the same decisions, known by their origin hash.
      expect(await importDecisions(other, [a])).toMatchObject({ imported: 0, duplicates: 5 });
    } finally {
      other.close();
    }
  });

  it('round-trips values a spreadsheet would run as formulas: the CSV neutralises them, import gives them back exactly', async () => {
    const db = openDatabase(file('formulas.db'));
    try {
      const values = ['=1+1 @SUM(A1) order not in ERP', '+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1)', '\tTab first', '\rCR first', "'already", "'=kept", "''", "'", 'a;=b', '=HYPERLINK("http://evil.example","x")'];
      const repo = createDecisionsRepo(db);
      values.forEach((v, i) => {
        repo.insert(
          { id: i === 0 ? '=id' : `f-${i}`, ticketId: v, kind: 'step', triageId: null, runId: `-run${i}`, stepId: `@s${i}`, mapId: '+map', mapVersion: 3, actor: v, decidedAt: Date.UTC(2026, 10, 2, 9, i), suggested: v, final: `${v}!`, verdict: 'edited', confidence: -0.5, reason: v, decisionMs: -7 },
          i % 2 ? { originHash: 'ab'.repeat(32), origin: `=${v}` } : null,
        );
      });
      const csv = await exportTo(db, 'formulas.csv', 'csv');
      const text = readFileSync(csv, 'utf8');
      // In the file: every such text cell quoted with an apostrophe first; the negative numbers stay numbers.
      expect(text).toContain(`"'=1+1 @SUM(A1) order not in ERP"`);
      const cells = (parse(text, { columns: true, bom: true }) as Record<string, string>[]).flatMap((r) => CSV_TEXT_COLUMNS.map((c) => r[c]!));
      expect(cells.filter((c) => /^[=+@\t\r-]/.test(c))).toEqual([]);
      expect(cells.filter((c) => c.startsWith("'")).length).toBeGreaterThan(values.length * 8);
      expect(text).toContain(',-0.5,');
      expect(text).toContain(',-7,');
      const report = await importDecisions(lead, [csv]);
      expect(report).toMatchObject({ imported: values.length });
      const cols = 'id, ticket_id, actor, suggested, final, reason, run_id, step_id, map_id, confidence, decision_ms';
      const back = lead.prepare(`SELECT ${cols}, origin_hash, origin FROM decisions WHERE origin_hash IS NOT NULL ORDER BY seq`).all() as Record<string, unknown>[];
      const src = db.prepare(`SELECT ${cols}, hash, origin_hash, origin FROM decisions ORDER BY seq`).all() as Record<string, unknown>[];
      // Each row came back as it was (its hash checked on import proves it too); a row imported before keeps its origin.
      expect(back).toEqual(src.map(({ hash, origin_hash, origin, ...r }) => ({ ...r, origin_hash: origin_hash ?? hash, origin: origin ?? 'formulas.csv' })));
      expect(createDecisionsRepo(lead).verify().broken).toBeNull();
    } finally {
      db.close();
    }
  });

  it('refuses a file changed after export, naming the file and line, and writes nothing', async () => {
    const a = await exportTo(ann, 'ann.csv', 'csv');
    const b = await exportTo(bo, 'bo.csv', 'csv');
    const text = readFileSync(b, 'utf8');
    // Change bo's third decision: the reason "line one,\nline two" row spans lines, so find it by its content.
    const tampered = text.replace(',0.83,', ',0.99,');
    expect(tampered).not.toBe(text);
    writeFileSync(b, tampered);
    await expect(importDecisions(lead, [a, b])).rejects.toThrow(new RegExp(`^${b.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: decision .* does not match its hash`));
    expect(count()).toBe(2); // ann's file, read first, was rolled back too
    expect(lead.inTransaction).toBe(false);
  });

  it('refuses a redacted export: it cannot be checked', async () => {
    const r = await exportTo(ann, 'ann-redacted.jsonl', 'jsonl', { redact: true });
    await expect(importDecisions(lead, [r])).rejects.toThrow(/does not match its hash[\s\S]*/);
    await expect(importDecisions(lead, [r])).rejects.toMatchObject({ hint: expect.stringMatching(/redacted export cannot be checked/) });
    expect(count()).toBe(2);
  });

  it('names the line of malformed input: bad JSON, a missing column, a bad date, a non-export', async () => {
    const j = await exportTo(ann, 'ann.jsonl', 'jsonl');
    const lines = readFileSync(j, 'utf8').trimEnd().split('\n');
    writeFileSync(file('broken.jsonl'), [lines[0], lines[1], '{"id": oops', lines[2]].join('\n'));
    await expect(importDecisions(lead, [file('broken.jsonl')])).rejects.toThrow(/broken\.jsonl:3: not a JSON object/);
    writeFileSync(file('date.jsonl'), [lines[0], lines[1]!.replace(/"decided_at":"[^"]+"/, '"decided_at":"yesterday"')].join('\n'));
    await expect(importDecisions(lead, [file('date.jsonl')])).rejects.toThrow(/date\.jsonl:2: decided_at is "yesterday"/);
    writeFileSync(file('notes.csv'), 'name,amount\nann,12\n');
    await expect(importDecisions(lead, [file('notes.csv')])).rejects.toThrow(/notes\.csv:1: the header lacks seq, id, decided_at/);
    writeFileSync(file('ragged.csv'), `${readFileSync(await exportTo(ann, 'a.csv', 'csv'), 'utf8')}"unterminated,1\r\n`);
    await expect(importDecisions(lead, [file('ragged.csv')])).rejects.toThrow(/ragged\.csv:\d+: not valid CSV/);
    await expect(importDecisions(lead, [file('nope.csv')])).rejects.toThrow(/nope\.csv does not exist/);
    expect(count()).toBe(2);
  });

  it('refuses an id already here with other content', async () => {
    const j = await exportTo(lead, 'lead.jsonl', 'jsonl');
    const first = JSON.parse(readFileSync(j, 'utf8').split('\n')[0]!) as Record<string, unknown>;
    // ann's first decision given the lead's id: a consistent row (its hash recomputed) that collides.
    const a = JSON.parse(readFileSync(await exportTo(ann, 'ann.jsonl', 'jsonl'), 'utf8').split('\n')[0]!) as Record<string, unknown>;
    const { decisionHash } = await import('../store/decisions-repo.ts');
    const row = { ...a, id: first.id, decided_at: Date.parse(String(a.decided_at)) } as never;
    writeFileSync(file('clash.jsonl'), `${JSON.stringify({ ...a, id: first.id, hash: decisionHash(row, a.prev_hash as string | null) })}\n`);
    await expect(importDecisions(lead, [file('clash.jsonl')])).rejects.toThrow(/clash\.jsonl:1: decision .* is already in this record with different content/);
  });

  it('gives imported edits their changed fields, as edits made here get them, and the dashboard counts them', async () => {
    const repo = createDecisionsRepo(ann);
    const edit = (id: string, final: string) =>
      repo.insert({ id, ticketId: 'helpdesk:1', kind: 'step', triageId: null, runId: `run-${id}`, stepId: 'refund', mapId: 'refund_request', mapVersion: 3, actor: 'ann', decidedAt: Date.UTC(2026, 10, 3), suggested: '{"amount":4500,"note":"x"}', final, verdict: 'edited', confidence: 0.9, reason: null, decisionMs: null });
    edit('e1', '{"amount":4000,"note":"x"}');
    edit('e2', '{"amount":4000,"note":"y"}');
    const fields = (db: Db) => db.prepare("SELECT f.map_id, f.step_id, f.pos, f.path, f.decided_at, d.id FROM decision_edit_fields f JOIN decisions d ON d.seq = f.seq ORDER BY d.id, f.pos").all();
    expect(fields(lead)).toEqual([]);
    await importDecisions(lead, [await exportTo(ann, 'ann.jsonl', 'jsonl')]);
    expect(fields(lead)).toEqual(fields(ann));
    expect(fields(lead).map((f) => (f as { path: string }).path)).toEqual(['amount', 'amount', 'note']);
    expect(computeStats(lead).steps.find((s) => s.stepId === 'refund')!.topEditedFields).toEqual([{ field: 'amount', count: 2 }, { field: 'note', count: 1 }]);
  });
});
