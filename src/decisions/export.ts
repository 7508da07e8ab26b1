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
 * How many bytes may be handed to the stream and not yet written before the export waits, and how few it then waits
 * for. Waiting for 'drain' after every chunk left the export idle while the disk took each one (a sixth of its time in
 * a profile of a million rows to a file); with up to 1 MiB in flight the next rows are encoded while the stream writes
 * the last ones, memory stays bounded, and the event loop gets a turn every 512 KiB or so (a few milliseconds).
 */
const MAX_IN_FLIGHT = 1024 * 1024;
const LOW_IN_FLIGHT = 512 * 1024;

/**
 * Writes every decision in the filter to `out`; resolves with the number of rows written.
 *
 * Memory stays flat whatever the log's size: rows are read one at a time as arrays (no object per row), each value is
 * written as UTF-8 straight into a 64 KiB Buffer, and full buffers go to the stream, at most MAX_IN_FLIGHT bytes of
 * them waiting to be written. What matters for the process's memory is what outlives a row in the JavaScript heap:
 * anything that does survives V8's young-generation collections, and V8 answers survivors by doubling its young
 * generation, up to 64 MB of RSS. Two things did survive in the earlier encoder: the 64 KiB string of lines gathered
 * across hundreds of rows, and the text of every number (String(n) keeps each result in V8's number-to-string cache,
 * which outlives the collection). So the CSV encoder writes integers and dates as digits, quotes text in the buffer
 * itself, and builds no string per row.
 *
 * The CSV encoder is written out here (RFC 4180) because csv-stringify's per-record object stream made the export ten
 * times slower than the database could read. Reading the rows through better-sqlite3 is now about half of the export's
 * time. Having SQLite write the CSV itself (concat, replace, GLOB and CASE per cell, a group_concat per 1,000 rows, so
 * that no row reaches JavaScript) was measured and is slower: its expression engine spends more on the quoting and
 * formula checks than better-sqlite3 spends handing the values over.
 */
export async function exportDecisions(repo: DecisionsRepo, format: ExportFormat, filter: DecisionFilter, out: Writable, options: { redact?: boolean } = {}): Promise<number> {
  const redact = options.redact === true;
  // The requester's name and email are read only to redact them: without redaction no ticket is looked up per row.
  const columns = repo.rawColumns(redact);
  const expected = redact ? [...EXPORT_COLUMNS, 'requester_name', 'requester_email'] : EXPORT_COLUMNS;
  if (columns.length !== expected.length || expected.some((c, i) => columns[i] !== c)) throw new Error(`The export's query reads ${columns.join(', ')}: not the export's columns`);
  const times = new IsoTimes();
  const enc = new ChunkWriter(out, times);
  let count = 0;
  const csv = format === 'csv';
  try {
    if (csv) enc.text(`${BOM}${EXPORT_COLUMNS.join(',')}${CRLF}`);
    for (const row of repo.iterateRaw(filter, redact)) {
      count++;
      if (redact) redactRow(row);
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
          } else if (i === DECIDED_AT) enc.isoDate(v as number);
          else if (typeof v === 'number') enc.number(v);
          else enc.text(String(v));
        }
        enc.crlf();
      } else {
        row[DECIDED_AT] = times.string(row[DECIDED_AT] as number);
        // JSON.stringify writes numbers into its own output, without the number-to-string cache String(n) fills.
        enc.text(JSON.stringify(toRecord(row)));
        enc.byte(0x0a); // \n
      }
      if (enc.full) await enc.settle(LOW_IN_FLIGHT);
    }
    enc.send();
    if (out === process.stdout) await enc.settle(0);
    else {
      enc.check();
      // Resolves once every byte is written (the stream may close right after, as a file stream does: not a failure).
      await new Promise<void>((resolve, reject) => {
        out.end((err?: Error | null) => {
          if (!err && !enc.failed) return resolve();
          // A stream destroyed meanwhile says so ("closed"), rather than Node's "cannot call end".
          enc.failed ??= out.destroyed ? new Error(CLOSED) : err!;
          reject(enc.failed);
        });
      });
    }
  } finally {
    enc.close();
  }
  return count;
}

/** The earliest and latest times toISOString writes with a four-digit year (0000-01-01 and 9999-12-31). */
const ISO_FIRST = -62_167_219_200_000;
const ISO_LAST = 253_402_300_799_999;
const DAY_MS = 86_400_000;
/** 10^i for i < 16: how many digits a safe integer has. */
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i);
const CLOSED = "The export's output was closed before the export ended";

/**
 * UTF-8 into 64 KiB buffers handed to a stream as they fill, up to MAX_IN_FLIGHT bytes of them not yet written; `full`
 * once that many are, when the caller awaits settle(). A failure of the stream, or its closing, is thrown by the next
 * send() or settle().
 */
class ChunkWriter {
  full = false;
  private chunk = Buffer.allocUnsafe(CHUNK);
  private pos = 0;
  /** Where quoted() puts a text's UTF-8 before copying it into the chunk with its quotes doubled. */
  private scratch = Buffer.allocUnsafe(CHUNK);
  private readonly out: Writable;
  private readonly times: IsoTimes;
  /** Bytes handed to the stream whose write has not called back yet. */
  private inFlight = 0;
  /** The stream's error, once it had one. */
  failed: Error | null = null;
  private closed = false;
  /** Resolves settle()'s wait: called as writes call back, and on the stream's error or close. */
  private wake: (() => void) | null = null;
  private readonly onError = (err: Error) => {
    this.failed ??= err;
    this.wake?.();
  };
  private readonly onClose = () => {
    this.closed = true;
    this.wake?.();
  };

  constructor(out: Writable, times: IsoTimes) {
    this.out = out;
    this.times = times;
    out.on('error', this.onError).on('close', this.onClose);
  }

  close(): void {
    this.out.off('error', this.onError).off('close', this.onClose);
  }

  /** Throws what went wrong with the stream, if anything did. */
  check(): void {
    if (this.failed) throw this.failed;
    if (this.closed || this.out.destroyed) throw new Error(CLOSED);
  }

  /** Hands the bytes so far to the stream; a fresh buffer follows, as the stream holds on to this one until written. */
  send(): void {
    if (this.pos === 0) return;
    this.check();
    const bytes = this.pos;
    this.inFlight += bytes;
    this.out.write(bytes === this.chunk.length ? this.chunk : this.chunk.subarray(0, bytes), (err?: Error | null) => {
      this.inFlight -= bytes;
      if (err && !this.out.destroyed) this.failed ??= err;
      if (err || this.inFlight <= LOW_IN_FLIGHT) this.wake?.();
    });
    if (this.inFlight >= MAX_IN_FLIGHT) this.full = true;
    this.chunk = Buffer.allocUnsafe(CHUNK);
    this.pos = 0;
  }

  /** Waits until no more than `bytes` are in flight; throws if the stream failed or closed meanwhile. */
  async settle(bytes: number): Promise<void> {
    while (this.inFlight > bytes) {
      this.check();
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    this.check();
    this.full = false;
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

  /**
   * At most 3 bytes of UTF-8 per UTF-16 code unit (a surrogate pair is 4 bytes for 2 units). Short ASCII text (ids,
   * names, kinds) is copied a character at a time: cheaper than a call into Buffer.write for a few bytes.
   */
  text(s: string): void {
    const n = s.length;
    this.room(n * 3);
    const buf = this.chunk;
    if (n <= 32) {
      let p = this.pos;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) {
          this.pos += buf.write(s, this.pos);
          return;
        }
        buf[p++] = c;
      }
      this.pos = p;
      return;
    }
    this.pos += buf.write(s, this.pos);
  }

  /**
   * `"s"`, its quotes doubled (RFC 4180), or `"'s"` with `apostrophe` (a text cell that would run as a formula). A quote
   * is the byte 0x22 in UTF-8 and no other character holds that byte. The UTF-8 goes to a scratch buffer first and is
   * copied from there in one pass, each quote twice: a third faster than counting the quotes and moving the bytes
   * after each one in place.
   */
  quoted(s: string, apostrophe: boolean): void {
    const most = s.length * 3;
    this.room(most + 3);
    if (this.scratch.length < most) this.scratch = Buffer.allocUnsafe(most);
    const from = this.scratch;
    const n = from.write(s, 0);
    const buf = this.chunk;
    let w = this.pos;
    buf[w++] = 0x22;
    if (apostrophe) buf[w++] = 0x27;
    for (let r = 0; r < n; r++) {
      const b = from[r]!;
      buf[w++] = b;
      if (b === 0x22) buf[w++] = 0x22;
    }
    buf[w++] = 0x22;
    this.pos = w;
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
    while (digits < 16 && n >= POWERS_OF_TEN[digits]!) digits++;
    let w = this.pos + digits - 1;
    for (let x = n; w >= this.pos; x = Math.floor(x / 10)) buf[w--] = 0x30 + (x % 10);
    this.pos += digits;
  }

  /** A time (milliseconds since 1970) as toISOString writes it, as digits: see IsoTimes. */
  isoDate(ms: number): void {
    this.room(24);
    const end = this.times.write(this.chunk, this.pos, ms);
    if (end === -1) this.text(new Date(ms).toISOString());
    else this.pos = end;
  }
}

/**
 * Times (milliseconds since 1970) as `new Date(ms).toISOString()` writes them, 2026-11-01T12:00:00.000Z, worked out as
 * digits: no Date per row (toISOString was a tenth of the export's time). The date part is worked out once per day, as
 * rows come in time order, mostly.
 */
class IsoTimes {
  /** The day last written, as days since 1970, and its `YYYY-MM-DDT`. */
  private day = NaN;
  private readonly date = new Uint8Array(11);
  private readonly one = Buffer.alloc(24);

  /**
   * Writes the 24 bytes at `buf[p]` and returns the position after them, or -1 for a time toISOString writes otherwise:
   * outside the years 0000–9999 (six digits and a sign) or not a whole millisecond. `buf` has room for them.
   */
  write(buf: Uint8Array, p: number, ms: number): number {
    if (!(Number.isInteger(ms) && ms >= ISO_FIRST && ms <= ISO_LAST)) return -1;
    const days = Math.floor(ms / DAY_MS);
    if (days !== this.day) this.setDay(days);
    const date = this.date;
    for (let i = 0; i < 11; i++) buf[p++] = date[i]!;
    let t = ms - days * DAY_MS;
    const hours = Math.floor(t / 3_600_000);
    t -= hours * 3_600_000;
    const minutes = Math.floor(t / 60_000);
    t -= minutes * 60_000;
    const seconds = Math.floor(t / 1000);
    t -= seconds * 1000;
    buf[p++] = 0x30 + Math.floor(hours / 10);
    buf[p++] = 0x30 + (hours % 10);
    buf[p++] = 0x3a; // :
    buf[p++] = 0x30 + Math.floor(minutes / 10);
    buf[p++] = 0x30 + (minutes % 10);
    buf[p++] = 0x3a;
    buf[p++] = 0x30 + Math.floor(seconds / 10);
    buf[p++] = 0x30 + (seconds % 10);
    buf[p++] = 0x2e; // .
    buf[p++] = 0x30 + Math.floor(t / 100);
    buf[p++] = 0x30 + (Math.floor(t / 10) % 10);
    buf[p++] = 0x30 + (t % 10);
    buf[p++] = 0x5a; // Z
    return p;
  }

  /** The same as a string (JSONL's decided_at): a tenth of toISOString's time. */
  string(ms: number): string {
    const end = this.write(this.one, 0, ms);
    return end === -1 ? new Date(ms).toISOString() : this.one.toString('latin1', 0, end);
  }

  private setDay(days: number): void {
    // The proleptic Gregorian date of a day number (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
    const z = days + 719_468;
    const era = Math.floor(z / 146_097);
    const doe = z - era * 146_097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const month = mp < 10 ? mp + 3 : mp - 9;
    const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    const d = this.date;
    d[0] = 0x30 + Math.floor(year / 1000);
    d[1] = 0x30 + (Math.floor(year / 100) % 10);
    d[2] = 0x30 + (Math.floor(year / 10) % 10);
    d[3] = 0x30 + (year % 10);
    d[4] = 0x2d; // -
    d[5] = 0x30 + Math.floor(month / 10);
    d[6] = 0x30 + (month % 10);
    d[7] = 0x2d;
    d[8] = 0x30 + Math.floor(day / 10);
    d[9] = 0x30 + (day % 10);
    d[10] = 0x54; // T
    this.day = days;
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
