import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/db.ts';
import { createDecisionsRepo } from '../store/decisions-repo.ts';
import { tempDir } from '../testing/temp-dirs.ts';
import { EXPORT_COLUMNS, exportDecisions } from './export.ts';

describe('exportDecisions', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  const day = (d: string) => Date.parse(`${d}T12:00:00Z`);

  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(`${dir.path}/tandem.db`);
    db.prepare(
      "INSERT INTO tickets (id, source, external_id, subject, body, requester_name, requester_email, channel, created_at, content_hash, imported_at) VALUES ('w:1', 'w', '1', 's', 'b', 'n', 'e@x.org', 'email', 1, 'h', 2)",
    ).run();
    const repo = createDecisionsRepo(db);
    const rows: [string, string, 'accepted' | 'overridden', string | null][] = [
      ['2026-11-01', 'refund_request', 'accepted', null],
      ['2026-11-02', 'other', 'overridden', 'Said "refund", meant a question,\nsee line two'],
      ['2026-11-03', 'where_is_my_order', 'accepted', null],
    ];
    rows.forEach(([date, final, verdict, reason], i) => {
      db.prepare("INSERT INTO triage (id, ticket_id, intent, confidence, rationale, alternatives, fields, model, input_hash, created_at) VALUES (?, 'w:1', ?, 0.7, 'r', '[]', '{}', 'm', 'h', 1)").run(`t${i}`, verdict === 'accepted' ? final : 'refund_request');
      repo.insert({ id: randomUUID(), ticketId: 'w:1', kind: 'triage', triageId: `t${i}`, runId: null, stepId: null, mapId: null, mapVersion: null, actor: 'ann', decidedAt: day(date), suggested: verdict === 'accepted' ? final : 'refund_request', final, verdict, confidence: 0.7, reason, decisionMs: 900 + i });
    });
  });
  afterEach(() => {
    db.close();
    dir.cleanup();
  });

  const run = async (format: 'csv' | 'jsonl', filter = {}) => {
    const out = new PassThrough();
    // Bytes, not stream/consumers' text(): its decoder drops a byte-order mark, and the BOM is part of what is tested.
    const done = buffer(out).then((b) => b.toString('utf8'));
    const n = await exportDecisions(createDecisionsRepo(db), format, filter, out);
    return { n, body: await done };
  };

  it('writes CSV with a header and every field quoted where it must be', async () => {
    const { n, body } = await run('csv');
    expect(body.startsWith('\uFEFFseq,id,')).toBe(true); // the BOM Excel needs to read UTF-8
    expect(body.split('\r\n')).toHaveLength(5); // RFC 4180 line ends: header, 3 rows, and the last CRLF
    const records = parse(body, { columns: true, bom: true }) as Record<string, string>[];
    expect(n).toBe(3);
    expect(Object.keys(records[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(records.map((r) => r.verdict)).toEqual(['accepted', 'overridden', 'accepted']);
    expect(records[1]!.reason).toBe('Said "refund", meant a question,\nsee line two');
    expect(records[0]!.decided_at).toBe('2026-11-01T12:00:00.000Z');
    expect(records[0]!.reason).toBe('');
  });

  it('neutralises text a spreadsheet would run as a formula (OWASP CSV injection), in CSV only; numbers stay numbers', async () => {
    const repo = createDecisionsRepo(db);
    const reason = '=1+1 @SUM(A1) order not in ERP';
    repo.insert({ id: 'x-1', ticketId: 'w:1', kind: 'step', triageId: null, runId: 'r', stepId: 'refund', mapId: 'refund_request', mapVersion: 1, actor: '@ann', decidedAt: day('2026-11-04'), suggested: '-2+3', final: '+cmd', verdict: 'skipped', confidence: -0.25, reason, decisionMs: -5 });
    const { body } = await run('csv', { since: day('2026-11-04') });
    const line = body.split('\r\n')[1]!;
    expect(line).toContain(`,"'@ann",`);
    expect(line).toContain(`,"'-2+3","'+cmd",skipped,-0.25,"'=1+1 @SUM(A1) order not in ERP",-5,`);
    const [record] = parse(body, { columns: true, bom: true }) as Record<string, string>[];
    expect(record!.reason).toBe(`'${reason}`);
    // JSONL is data, not a spreadsheet: the value as it is.
    const { body: jsonl } = await run('jsonl', { since: day('2026-11-04') });
    expect(JSON.parse(jsonl)).toMatchObject({ reason, actor: '@ann', suggested: '-2+3', confidence: -0.25, decision_ms: -5 });
  });

  it('writes one JSON object per line, nulls kept', async () => {
    const { body } = await run('jsonl');
    const lines = body.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ verdict: 'accepted', reason: null, decision_ms: 900, confidence: 0.7 });
  });

  it('filters by period: since inclusive, until exclusive', async () => {
    const { n, body } = await run('jsonl', { since: day('2026-11-02'), until: day('2026-11-03') });
    expect(n).toBe(1);
    expect(JSON.parse(body)).toMatchObject({ final: 'other' });
  });

  it('writes only a header when nothing matches', async () => {
    const { n, body } = await run('csv', { since: day('2027-01-01') });
    expect(n).toBe(0);
    expect(body).toBe(`\uFEFF${EXPORT_COLUMNS.join(',')}\r\n`);
  });
});
