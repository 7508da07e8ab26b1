// Exports the decisioning record as CSV or JSONL, streamed row by row so memory stays flat whatever the log's size.
import type { Writable } from 'node:stream';
import type { DecisionFilter, DecisionRow, DecisionsRepo } from '../store/decisions-repo.ts';
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

/**
 * RFC 4180: a field is quoted when it holds a comma, a quote or a line break, and its quotes are doubled. A semicolon
 * is quoted too: spreadsheets set to a locale whose list separator is `;` would otherwise start a new cell there, and
 * that cell could begin with a formula (OWASP, CSV injection).
 */
const NEEDS_QUOTES = /[",;\r\n]/;

/**
 * CSV injection (OWASP): a spreadsheet runs a cell that starts with = + - @, a tab or a carriage return as a formula.
 * Every text cell that starts so is written as `"'=…"`: the apostrophe makes the cell text in Excel, LibreOffice and
 * Google Sheets (which hide it), and the quotes keep the cell whole. A text cell that already starts with an
 * apostrophe gets one more, so the prefix is always exactly one character that `fromCsvText` removes on import.
 * Numeric columns are never touched (a negative number stays a number): only text columns are, see CSV_TEXT_COLUMNS.
 */
const FORMULA_START = new Uint8Array(128);
for (const c of "=+-@\t\r'") FORMULA_START[c.charCodeAt(0)] = 1;
const startsLikeFormula = (s: string): boolean => s.length > 0 && FORMULA_START[s.charCodeAt(0)] === 1;

/** A text cell of a CSV export back to its value: the apostrophe the export put before it (see above) removed. */
export function fromCsvText(cell: string): string {
  return cell.length > 1 && cell.charCodeAt(0) === 0x27 && startsLikeFormula(cell.slice(1, 2)) ? cell.slice(1) : cell;
}

// RFC 4180 line ends (CRLF) and a UTF-8 byte-order mark: without the BOM Excel reads the file in the machine's legacy
// code page and mangles every name with an accent; csv-parse, pandas and LibreOffice skip it.
const BOM = '\uFEFF';
const CRLF = '\r\n';
/** Columns Tandem writes itself as digits, ISO dates, enums or hex hashes: nothing in them needs quoting. */
const PLAIN = new Set<string>(['seq', 'decided_at', 'kind', 'verdict', 'confidence', 'decision_ms', 'map_version', 'hash', 'prev_hash', 'origin_hash']);
/** Per column of a row: is it free text (ids, names, values, reasons), which may need quotes or an apostrophe? */
const QUOTABLE = EXPORT_COLUMNS.map((c) => !PLAIN.has(c));
/** The columns whose CSV cells may carry the formula-neutralising apostrophe, for decisions/import.ts to remove it. */
export const CSV_TEXT_COLUMNS: readonly (typeof EXPORT_COLUMNS)[number][] = EXPORT_COLUMNS.filter((c) => !PLAIN.has(c));
/** Where the values are in a row of DecisionsRepo.iterateRaw: EXPORT_COLUMNS' order, then the requester's name and email. */
const DECIDED_AT = EXPORT_COLUMNS.indexOf('decided_at');
const SUGGESTED = EXPORT_COLUMNS.indexOf('suggested');
const FINAL = EXPORT_COLUMNS.indexOf('final');
const REASON = EXPORT_COLUMNS.indexOf('reason');
const REQUESTER_NAME = EXPORT_COLUMNS.length;
const REQUESTER_EMAIL = EXPORT_COLUMNS.length + 1;
/** Output goes to the stream in buffers of this many bytes: one write per row would cost more than the row. */
const CHUNK = 64 * 1024;

/**
 * Writes every decision in the filter to `out`; resolves with the number of rows written.
 *
 * Memory stays flat whatever the log's size: rows are read one at a time as arrays (no object per row), each value is
 * written as UTF-8 straight into a 64 KiB Buffer, and full buffers go to the stream, waiting whenever it is full.
 * What matters for the process's memory is what outlives a row in the JavaScript heap: anything that does survives
 * V8's young-generation collections, and V8 answers survivors by doubling its young generation, up to 64 MB of RSS.
 * Two things did survive in the earlier encoder: the 64 KiB string of lines gathered across hundreds of rows, and the
 * text of every number (String(n) keeps each result in V8's number-to-string cache, which outlives the collection).
 * So the CSV encoder writes integers as digits, quotes text in the buffer itself, and builds no string per row.
 *
 * The CSV encoder is written out here (RFC 4180) because csv-stringify's per-record object stream made the export ten
 * times slower than the database could read.
 */
export async function exportDecisions(repo: DecisionsRepo, format: ExportFormat, filter: DecisionFilter, out: Writable, options: { redact?: boolean } = {}): Promise<number> {
  const columns = repo.rawColumns();
  if (columns.length !== REQUESTER_EMAIL + 1 || EXPORT_COLUMNS.some((c, i) => columns[i] !== c)) throw new Error(`The export's query reads ${columns.join(', ')}: not the export's columns`);
  let failed: Error | null = null;
  const onError = (err: Error) => (failed ??= err);
  out.on('error', onError);
  const enc = new ChunkWriter(out);
  const drain = async () => {
    if (failed) throw failed;
    if (out.destroyed) throw new Error("The export's output was closed before the export ended");
    await new Promise<void>((resolve, reject) => {
      const done = () => (out.off('drain', done), out.off('error', fail), out.off('close', done), resolve());
      const fail = (err: Error) => (out.off('drain', done), out.off('close', done), reject(err));
      out.once('drain', done).once('error', fail).once('close', done);
    });
    enc.full = false;
    if (failed) throw failed;
  };
  let count = 0;
  const redact = options.redact === true;
  const csv = format === 'csv';
  try {
    if (csv) enc.text(`${BOM}${EXPORT_COLUMNS.join(',')}${CRLF}`);
    for (const row of repo.iterateRaw(filter)) {
      count++;
      if (redact) redactRow(row);
      row[DECIDED_AT] = new Date(row[DECIDED_AT] as number).toISOString();
      if (csv) {
        for (let i = 0; i < QUOTABLE.length; i++) {
          if (i !== 0) enc.byte(0x2c); // ,
          const v = row[i];
          if (v === null) continue;
          // Numbers, dates and hashes never need quotes: only text goes through the check.
          if (typeof v === 'string') {
            if (!QUOTABLE[i]) enc.text(v);
            else if (startsLikeFormula(v)) enc.quoted(v, true);
            else if (NEEDS_QUOTES.test(v)) enc.quoted(v, false);
            else enc.text(v);
          } else if (typeof v === 'number') enc.number(v);
          else enc.text(String(v));
        }
        enc.crlf();
      } else {
        // JSON.stringify writes numbers into its own output, without the number-to-string cache String(n) fills.
        enc.text(JSON.stringify(toRecord(row)));
        enc.byte(0x0a); // \n
      }
      if (enc.full) await drain();
    }
    enc.send();
    if (enc.full) await drain();
    if (failed) throw failed;
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

/** UTF-8 into 64 KiB buffers handed to a stream as they fill; `full` once the stream asked its writer to wait. */
class ChunkWriter {
  full = false;
  private chunk = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  private readonly out: Writable;
  constructor(out: Writable) {
    this.out = out;
  }

  /** Hands the bytes so far to the stream; a fresh buffer follows, as the stream may hold on to this one a while. */
  send(): void {
    if (this.pos === 0) return;
    if (!this.out.write(this.pos === this.chunk.length ? this.chunk : this.chunk.subarray(0, this.pos))) this.full = true;
    this.chunk = Buffer.allocUnsafe(CHUNK);
    this.pos = 0;
  }

  /** Makes room for `bytes` more bytes. */
  private room(bytes: number): void {
    if (this.pos + bytes <= this.chunk.length) return;
    this.send();
    if (bytes > CHUNK) this.chunk = Buffer.allocUnsafe(bytes);
  }

  byte(b: number): void {
    this.room(1);
    this.chunk[this.pos++] = b;
  }

  crlf(): void {
    this.room(2);
    this.chunk[this.pos++] = 0x0d;
    this.chunk[this.pos++] = 0x0a;
  }

  /** At most 3 bytes of UTF-8 per UTF-16 code unit (a surrogate pair is 4 bytes for 2 units). */
  text(s: string): void {
    this.room(s.length * 3);
    this.pos += this.chunk.write(s, this.pos);
  }

  /**
   * `"s"`, its quotes doubled (RFC 4180), or `"'s"` with `apostrophe` (a text cell that would run as a formula). A quote
   * is the byte 0x22 in UTF-8 and no other character holds that byte.
   */
  quoted(s: string, apostrophe: boolean): void {
    this.room(s.length * 3 + 3);
    const buf = this.chunk;
    buf[this.pos++] = 0x22;
    if (apostrophe) buf[this.pos++] = 0x27;
    const start = this.pos;
    const end = start + buf.write(s, start);
    let quotes = 0;
    for (let i = start; i < end; i++) if (buf[i] === 0x22) quotes++;
    this.pos = end + quotes;
    // Each quote becomes two, moving what follows it to the right: done from the end, in place.
    for (let r = end - 1, w = this.pos - 1; w > r; r--) {
      const b = buf[r]!;
      buf[w--] = b;
      if (b === 0x22) buf[w--] = 0x22;
    }
    buf[this.pos++] = 0x22;
  }

  /** A number as String(n) writes it: safe integers as digits (no string made), the rest through JSON.stringify. */
  number(n: number): void {
    if (!Number.isSafeInteger(n)) {
      // For a finite number JSON.stringify writes String(n) (ECMA-262 SerializeJSONProperty); Infinity it writes null.
      this.text(Number.isFinite(n) ? JSON.stringify(n) : String(n));
      return;
    }
    this.room(17);
    const buf = this.chunk;
    if (n < 0) {
      buf[this.pos++] = 0x2d; // -
      n = -n;
    }
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    let w = this.pos + digits - 1;
    for (let x = n; w >= this.pos; x = Math.floor(x / 10)) buf[w--] = 0x30 + (x % 10);
    this.pos += digits;
  }
}

/** A row of DecisionsRepo.iterateRaw as the export's JSON object (keys in EXPORT_COLUMNS' order, as toExportRecord). */
function toRecord(row: unknown[]): ExportRecord {
  type V = string | number | null;
  return {
    seq: row[0] as V,
    id: row[1] as V,
    decided_at: row[2] as V,
    ticket_id: row[3] as V,
    kind: row[4] as V,
    actor: row[5] as V,
    suggested: row[6] as V,
    final: row[7] as V,
    verdict: row[8] as V,
    confidence: row[9] as V,
    reason: row[10] as V,
    decision_ms: row[11] as V,
    map_id: row[12] as V,
    map_version: row[13] as V,
    run_id: row[14] as V,
    step_id: row[15] as V,
    triage_id: row[16] as V,
    hash: row[17] as V,
    prev_hash: row[18] as V,
    origin_hash: row[19] as V,
    origin: row[20] as V,
  };
}

/** Customer data out, decisions kept: the requester's name and email, and any email, phone or card number in the values. */
function redactRow(row: unknown[]): void {
  const known = [row[REQUESTER_NAME], row[REQUESTER_EMAIL]].filter((x): x is string => typeof x === 'string' && x.length > 2);
  for (const i of [SUGGESTED, FINAL, REASON]) {
    const v = row[i];
    if (typeof v === 'string') row[i] = redactText(v, known);
  }
}
