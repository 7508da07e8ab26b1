// Exports the decisioning record as CSV or JSONL, streamed row by row so memory stays flat whatever the log's size.
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { DecisionFilter, DecisionRow, DecisionsRepo, ExportRow } from '../store/decisions-repo.ts';
import { redactText } from './redact.ts';

export type ExportFormat = 'csv' | 'jsonl';

export const EXPORT_COLUMNS = [
  'seq',
  'id',
  'decided_at',
  'ticket_id',
  'kind',
  'actor',
  'suggested',
  'final',
  'verdict',
  'confidence',
  'reason',
  'decision_ms',
  'map_id',
  'map_version',
  'run_id',
  'step_id',
  'triage_id',
  'hash',
  // Enough to check each row against its hash on import (decisions/import.ts), and where an imported row came from.
  'prev_hash',
  'origin_hash',
  'origin',
] as const;

export type ExportRecord = Record<(typeof EXPORT_COLUMNS)[number], string | number | null>;

export function toExportRecord(row: DecisionRow): ExportRecord {
  return {
    seq: row.seq,
    id: row.id,
    decided_at: new Date(row.decided_at).toISOString(),
    ticket_id: row.ticket_id,
    kind: row.kind,
    actor: row.actor,
    suggested: row.suggested,
    final: row.final,
    verdict: row.verdict,
    confidence: row.confidence,
    reason: row.reason,
    decision_ms: row.decision_ms,
    map_id: row.map_id,
    map_version: row.map_version,
    run_id: row.run_id,
    step_id: row.step_id,
    triage_id: row.triage_id,
    hash: row.hash,
    prev_hash: row.prev_hash,
    origin_hash: row.origin_hash ?? null,
    origin: row.origin ?? null,
  };
}

/** Writes every decision in the filter to `out`; resolves with the number of rows written. */
export async function exportDecisions(repo: DecisionsRepo, format: ExportFormat, filter: DecisionFilter, out: Writable, options: { redact?: boolean } = {}): Promise<number> {
  let count = 0;
  function* records(): Generator<ExportRecord> {
    for (const row of repo.iterate(filter)) {
      count++;
      yield toExportRecord(options.redact ? redactRow(row) : row);
    }
  }
  const source = Readable.from(records(), { objectMode: true });
  const encoder =
    format === 'csv'
      ? // RFC 4180 (CRLF, quotes doubled) with a UTF-8 byte-order mark: without it Excel reads the file as the
        // machine's legacy code page and mangles every name with an accent; csv-parse, pandas and LibreOffice skip it.
        stringify({ header: true, bom: true, record_delimiter: 'windows', columns: [...EXPORT_COLUMNS], cast: { number: (n) => String(n) } })
      : new Transform({
          writableObjectMode: true,
          transform(record: ExportRecord, _enc, done) {
            done(null, `${JSON.stringify(record)}\n`);
          },
        });
  await pipeline(source, encoder, out, { end: out !== process.stdout });
  return count;
}

/** Customer data out, decisions kept: the requester's name and email, and any email, phone or card number in the values. */
function redactRow(row: ExportRow): DecisionRow {
  const known = [row.requester_name, row.requester_email].filter((x): x is string => typeof x === 'string' && x.length > 2);
  const clean = (s: string | null) => (s === null ? null : redactText(s, known));
  return { ...row, suggested: clean(row.suggested)!, final: clean(row.final)!, reason: clean(row.reason) };
}
