// Merges associates' exports (CSV or JSONL from `tandem export`) into this database's record, so a lead analyses the
// whole team. How the chain stays meaningful:
// * Each exported row carries its hash and the hash before it (prev_hash) from its own database. On import every row
//   is checked against that hash: a value changed after export (or an export made with --redact) no longer matches,
//   and the whole import is refused, naming the file and line.
// * An imported row is then appended to THIS record like any decision: chained to the last local hash, so
//   `tandem log verify` walks one unbroken chain. Its hash in the database it came from is kept (origin_hash), with
//   where it came from (origin), and both are covered by the new local hash — provenance cannot be edited either.
// * Decision ids are unique: a row whose id is already here, with the same hash (or origin hash), is a duplicate and
//   skipped — re-importing a file is a no-op that says so. The same id with other content is a conflict and refused.
// * Decisions about tickets or runs that are not in this database are kept (the record has no foreign keys since
//   migration 0080) and counted in the report.
// Everything happens in one transaction: a bad line anywhere writes nothing at all.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import { TandemError } from '../domain/errors.ts';
import { DecisionKindSchema, RecordVerdictSchema, type Decision } from '../domain/triage.ts';
import type { Db } from '../store/db.ts';
import { createDecisionsRepo, decisionHash, type DecisionRow } from '../store/decisions-repo.ts';
import { CSV_TEXT_COLUMNS, EXPORT_COLUMNS, fromCsvText } from './export.ts';

export interface FileReport {
  file: string;
  rows: number;
  imported: number;
  duplicates: number;
  /** Imported decisions about tickets this database does not hold. */
  unknownTickets: number;
}

export interface ImportReport {
  files: FileReport[];
  imported: number;
  duplicates: number;
}

type Raw = Record<string, unknown>;

export async function importDecisions(db: Db, files: string[]): Promise<ImportReport> {
  for (const file of files) {
    if (!existsSync(file)) throw new TandemError('not_found', `${file} does not exist.`, { hint: 'Give the path of a file written by tandem export.' });
    if (!statSync(file).isFile()) throw new TandemError('bad_input', `${file} is not a file.`);
  }
  const repo = createDecisionsRepo(db);
  const existing = db.prepare<[string], { hash: string | null; origin_hash: string | null }>('SELECT hash, origin_hash FROM decisions WHERE id = ?');
  const ticketKnown = db.prepare<[string], number>('SELECT 1 FROM tickets WHERE id = ?').pluck();
  const reports: FileReport[] = [];
  // Reading is asynchronous, so the transaction is opened by hand; this process owns the database while it imports.
  db.exec('BEGIN IMMEDIATE');
  try {
    for (const file of files) {
      const report: FileReport = { file, rows: 0, imported: 0, duplicates: 0, unknownTickets: 0 };
      const label = basename(file);
      for await (const { line, raw } of readRows(file)) {
        report.rows++;
        const at = `${file}:${line}`;
        const row = toRow(raw, at);
        if (row.hash === null) throw new TandemError('bad_input', `${at}: decision ${row.id} has no hash, so nothing proves it is as it was recorded.`, { hint: 'Export again with this version of Tandem (rows are chained since the record was made tamper-evident).' });
        if (decisionHash(row, row.prev_hash) !== row.hash) {
          throw new TandemError('bad_input', `${at}: decision ${row.id} does not match its hash: the file was changed after it was exported. Nothing was imported.`, {
            hint: 'Ask for a fresh export (tandem export without --redact: a redacted export cannot be checked, so it cannot be imported).',
          });
        }
        // Where the row first came from: a row merged before keeps its first origin.
        const originHash = row.origin_hash ?? row.hash;
        const origin = row.origin ?? label;
        const here = existing.get(row.id);
        if (here) {
          if (here.hash === row.hash || here.hash === originHash || here.origin_hash === originHash) {
            report.duplicates++;
            continue;
          }
          throw new TandemError('bad_input', `${at}: decision ${row.id} is already in this record with different content. Nothing was imported.`, { hint: 'Two databases gave one id to different decisions, or one of them was changed; check with tandem log verify on each.' });
        }
        try {
          repo.insert(toDecision(row), { originHash, origin });
        } catch (err) {
          // The record's own rules (a verdict that does not fit its kind, a second verdict on one step) refuse the row.
          throw new TandemError('bad_input', `${at}: decision ${row.id} breaks a rule of the record (${(err as Error).message}). Nothing was imported.`, { cause: err });
        }
        report.imported++;
        if (row.ticket_id !== null && !ticketKnown.get(row.ticket_id)) report.unknownTickets++;
      }
      reports.push(report);
    }
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
  return { files: reports, imported: reports.reduce((a, r) => a + r.imported, 0), duplicates: reports.reduce((a, r) => a + r.duplicates, 0) };
}

/** Rows of a CSV or JSONL export, with the line each starts on; the format is told by the first character. */
async function* readRows(file: string): AsyncGenerator<{ line: number; raw: Raw }> {
  const head = await firstChar(file);
  if (head === '') return;
  if (head === '{') {
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    let n = 0;
    for await (const text of lines) {
      n++;
      if (text.trim() === '') continue;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw new TandemError('bad_input', `${file}:${n}: not a JSON object (a JSONL export has one decision per line). Nothing was imported.`);
      }
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new TandemError('bad_input', `${file}:${n}: not a JSON object. Nothing was imported.`);
      yield { line: n, raw: raw as Raw };
    }
    return;
  }
  const parser = createReadStream(file).pipe(parseCsv({ columns: true, bom: true, info: true, relax_column_count: false }));
  let checked = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Raw; info: { lines: number } }>) {
      if (!checked) {
        const missing = EXPORT_COLUMNS.filter((c) => !(c in record));
        if (missing.length > 0) throw new TandemError('bad_input', `${file}:1: the header lacks ${missing.join(', ')}; this is not an export of this version of Tandem. Nothing was imported.`, { hint: 'Export again with tandem export --format csv.' });
        checked = true;
      }
      // The export put an apostrophe before text a spreadsheet would run as a formula (=, +, -, @…): it goes, exactly.
      for (const c of CSV_TEXT_COLUMNS) {
        const v = record[c];
        if (typeof v === 'string') record[c] = fromCsvText(v);
      }
      // info.lines is the line a record ends on; a quoted value can span several.
      yield { line: info.lines, raw: record };
    }
  } catch (err) {
    if (err instanceof TandemError) throw err;
    const e = err as { message: string; lines?: number };
    throw new TandemError('bad_input', `${file}:${e.lines ?? '?'}: not valid CSV (${e.message}). Nothing was imported.`);
  }
}

async function firstChar(file: string): Promise<string> {
  for await (const chunk of createReadStream(file, { encoding: 'utf8', start: 0, end: 15 })) {
    const text = (chunk as string).replace(/^\uFEFF/, '').trimStart();
    return text.slice(0, 1);
  }
  return '';
}

/** One exported record back to a stored row, every field checked; empty CSV cells are nulls. */
function toRow(raw: Raw, at: string): DecisionRow & { origin_hash: string | null; origin: string | null } {
  const str = (k: string, nullable: boolean): string | null => {
    const v = raw[k];
    if (v === undefined) throw new TandemError('bad_input', `${at}: the field ${k} is missing. Nothing was imported.`);
    if (v === null || v === '') {
      if (nullable) return null;
      throw new TandemError('bad_input', `${at}: the field ${k} is empty. Nothing was imported.`);
    }
    return String(v);
  };
  const num = (k: string, nullable: boolean, integer: boolean): number | null => {
    const s = str(k, nullable);
    if (s === null) return null;
    const n = Number(s);
    if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new TandemError('bad_input', `${at}: ${k} is "${s}", not a${integer ? 'n integer' : ' number'}. Nothing was imported.`);
    return n;
  };
  const when = str('decided_at', false)!;
  const decidedAt = Date.parse(when);
  if (!/^\d{4}-\d\d-\d\dT/.test(when) || Number.isNaN(decidedAt)) throw new TandemError('bad_input', `${at}: decided_at is "${when}", not an ISO date and time. Nothing was imported.`);
  const kind = DecisionKindSchema.safeParse(raw.kind);
  if (!kind.success) throw new TandemError('bad_input', `${at}: kind is "${String(raw.kind)}", not one of ${DecisionKindSchema.options.join(', ')}. Nothing was imported.`);
  const verdict = RecordVerdictSchema.safeParse(raw.verdict);
  if (!verdict.success) throw new TandemError('bad_input', `${at}: verdict is "${String(raw.verdict)}", not one of ${RecordVerdictSchema.options.join(', ')}. Nothing was imported.`);
  return {
    seq: 0,
    id: str('id', false)!,
    ticket_id: str('ticket_id', true),
    kind: kind.data,
    triage_id: str('triage_id', true),
    run_id: str('run_id', true),
    step_id: str('step_id', true),
    map_id: str('map_id', true),
    map_version: num('map_version', true, true),
    actor: str('actor', false)!,
    decided_at: decidedAt,
    suggested: str('suggested', false)!,
    final: str('final', false)!,
    verdict: verdict.data,
    confidence: num('confidence', false, false)!,
    reason: str('reason', true),
    decision_ms: num('decision_ms', true, true),
    prev_hash: str('prev_hash', true),
    hash: str('hash', true),
    origin_hash: str('origin_hash', true),
    origin: str('origin', true),
  };
}

function toDecision(r: DecisionRow): Decision {
  return {
    id: r.id, ticketId: r.ticket_id, kind: r.kind, triageId: r.triage_id, runId: r.run_id, stepId: r.step_id, mapId: r.map_id, mapVersion: r.map_version,
    actor: r.actor, decidedAt: r.decided_at, suggested: r.suggested, final: r.final, verdict: r.verdict, confidence: r.confidence, reason: r.reason, decisionMs: r.decision_ms,
  };
}
