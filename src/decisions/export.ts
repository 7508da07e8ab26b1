// Exports the decisioning record as CSV or JSONL, streamed row by row so memory stays flat whatever the log's size.
import type { Writable } from 'node:stream';
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

/** RFC 4180: a field is quoted when it holds a comma, a quote or a line break, and its quotes are doubled. */
function csvField(v: string | number | null): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(v) : v;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// RFC 4180 line ends (CRLF) and a UTF-8 byte-order mark: without the BOM Excel reads the file in the machine's legacy
// code page and mangles every name with an accent; csv-parse, pandas and LibreOffice skip it.
const BOM = '\uFEFF';
const CRLF = '\r\n';
/** Columns Tandem writes itself as digits, ISO dates, enums or hex hashes: nothing in them needs quoting. */
const PLAIN = new Set<string>(['seq', 'decided_at', 'kind', 'verdict', 'confidence', 'decision_ms', 'map_version', 'hash', 'prev_hash', 'origin_hash']);
/** Output is handed to the stream in pieces of about this many characters: one write per row would cost more than the row. */
const CHUNK = 64 * 1024;

/**
 * Writes every decision in the filter to `out`; resolves with the number of rows written. Rows are read one at a time
 * and written in chunks, waiting whenever the stream is full, so memory stays flat whatever the log's size. The CSV
 * encoder is written out here (a dozen lines of RFC 4180) because csv-stringify's per-record object stream made the
 * export ten times slower than the database could read.
 */
export async function exportDecisions(repo: DecisionsRepo, format: ExportFormat, filter: DecisionFilter, out: Writable, options: { redact?: boolean } = {}): Promise<number> {
  let failed: Error | null = null;
  const onError = (err: Error) => (failed ??= err);
  out.on('error', onError);
  const push = async (text: string) => {
    if (failed) throw failed;
    if (!out.write(text)) await new Promise<void>((resolve, reject) => {
      const done = () => (out.off('drain', done), out.off('error', fail), out.off('close', done), resolve());
      const fail = (err: Error) => (out.off('drain', done), out.off('close', done), reject(err));
      out.once('drain', done).once('error', fail).once('close', done);
    });
    if (failed) throw failed;
  };
  let count = 0;
  try {
    let buf = format === 'csv' ? `${BOM}${EXPORT_COLUMNS.join(',')}${CRLF}` : '';
    for (const row of repo.iterate(filter)) {
      count++;
      const record = toExportRecord(options.redact ? redactRow(row) : row);
      if (format === 'csv') {
        let line = '';
        for (let i = 0; i < EXPORT_COLUMNS.length; i++) {
          const v = record[EXPORT_COLUMNS[i]!];
          // Numbers, dates and hashes never need quotes: only text goes through the check.
          line += (i === 0 ? '' : ',') + (typeof v === 'string' && !PLAIN.has(EXPORT_COLUMNS[i]!) ? csvField(v) : v === null ? '' : String(v));
        }
        buf += line + CRLF;
      } else {
        buf += `${JSON.stringify(record)}\n`;
      }
      if (buf.length >= CHUNK) {
        await push(buf);
        buf = '';
      }
    }
    if (buf) await push(buf);
    if (out !== process.stdout) {
      await new Promise<void>((resolve, reject) => {
        out.end((err?: Error | null) => (err || failed ? reject(err ?? failed) : resolve()));
      });
    }
  } finally {
    out.off('error', onError);
  }
  return count;
}

/** Customer data out, decisions kept: the requester's name and email, and any email, phone or card number in the values. */
function redactRow(row: ExportRow): DecisionRow {
  const known = [row.requester_name, row.requester_email].filter((x): x is string => typeof x === 'string' && x.length > 2);
  const clean = (s: string | null) => (s === null ? null : redactText(s, known));
  return { ...row, suggested: clean(row.suggested)!, final: clean(row.final)!, reason: clean(row.reason) };
}
