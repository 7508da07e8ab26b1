// CSV and JSON ticket imports: quoted multi-line values, column aliases, and every bad row reported by its line while the good ones are kept.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { loadWorkspace } from './load.ts';
import { importTicketFile, parseCsv } from './ticket-import.ts';

describe('ticket import', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());

  it('parses RFC 4180 CSV: commas, doubled quotes and line breaks inside quotes, CRLF, and the line each row starts on', () => {
    const csv = 'a,b\r\n"x, y","say ""hi""\nsecond line"\r\n3,4';
    expect(parseCsv(csv)).toEqual({
      rows: [
        { line: 1, cells: ['a', 'b'] },
        { line: 2, cells: ['x, y', 'say "hi"\nsecond line'] },
        { line: 4, cells: ['3', '4'] },
      ],
    });
    expect(parseCsv('a,b\n"open,1')).toEqual({ error: 'has a quoted value that never closes', line: 2 });
  });

  it('imports a CSV export and reports the bad rows by line, keeping the good ones', () => {
    writeFiles(dir.path, {
      'export.csv': [
        'Ticket ID,Subject,Description,Customer Name,Customer Email,Channel,Created',
        'Z-1,Refund please,"Order 104233 arrived broken.\nPlease refund.",Ann Lee,ann@example.com,email,2026-11-19T08:00:00Z',
        'Z-2,Where is it,Tracking has not moved,Bo,not-an-email,chat,2026-11-19T09:00:00Z',
        'Z-3,Hello,Hi there,Cy,cy@example.com,fax,2026-11-19T10:00:00Z',
        ',,,,,,',
        'Z-1,Twice,Same id,Di,di@example.com,web,2026-11-19T11:00:00Z',
        'Z-5,Date,No date,Ed,ed@example.com,web,yesterday',
      ].join('\n'),
    });
    const r = importTicketFile(join(dir.path, 'export.csv'), 'export.csv');
    expect(r.tickets.map((t) => [t.id, t.line])).toEqual([['Z-1', 2]]);
    expect(r.tickets[0]).toMatchObject({ body: 'Order 104233 arrived broken.\nPlease refund.', requester: { name: 'Ann Lee', email: 'ann@example.com' } });
    expect(r.problems.map((p) => [p.line, p.path])).toEqual([
      [4, 'row 4.requester.email'],
      [5, 'row 5.channel'],
      [7, 'row 7.id'],
      [8, 'row 8.created_at'],
    ]);
    expect(r.problems[2]!.message).toContain('already appears on line 2');
  });

  it('names the missing columns of a CSV whose header does not fit', () => {
    writeFiles(dir.path, { 'x.csv': 'id,title\n1,hello\n' });
    const r = importTicketFile(join(dir.path, 'x.csv'), 'x.csv');
    expect(r.tickets).toEqual([]);
    expect(r.problems).toEqual([expect.objectContaining({ line: 1, message: 'has no column for body, requester_email, created_at' })]);
  });

  it('imports JSON, flat or nested, and reports a bad entry at the line it starts on', () => {
    writeFiles(dir.path, {
      'tickets.json': JSON.stringify(
        [
          { id: 7, subject: 'A', body: 'b', requester_name: 'Ann', requester_email: 'ann@example.com', created_at: '2026-11-19T08:00:00Z' },
          { id: 'J-2', subject: 'B', body: 'c', requester: { name: 'Bo', email: 'bo@example.com' }, channel: 'phone', created_at: '2026-11-19T08:00:00Z' },
          { id: 'J-3', subject: 'C', requester: { name: 'Cy', email: 'cy@example.com' }, created_at: '2026-11-19T08:00:00Z' },
        ],
        null,
        2,
      ),
      'broken.json': '[{"id": "1",',
    });
    const r = importTicketFile(join(dir.path, 'tickets.json'), 'tickets.json');
    expect(r.tickets.map((t) => t.id)).toEqual(['7', 'J-2']);
    expect(r.problems).toEqual([expect.objectContaining({ line: 21, path: '[2].body' })]);
    const broken = importTicketFile(join(dir.path, 'broken.json'), 'broken.json');
    expect(broken.problems[0]!.message).toMatch(/^is not valid JSON/);
  });

  it('feeds an import source into the workspace queue, with its problems beside the others', () => {
    writeFiles(dir.path, {
      'tandem.yaml': { name: 'T', sources: [{ id: 'legacy', type: 'import', path: 'imports' }, { id: 'nowhere', type: 'import', path: '../etc/passwd' }] },
      'imports/a.csv': 'id,subject,body,requester_email,created_at\n1,Hi,Text,ann@example.com,2026-11-19T08:00:00Z\n2,Bad,Text,bad,2026-11-19T08:00:00Z\n',
      'imports/b.json': '{"tickets": [{"id": "1", "subject": "Again", "body": "x", "requester_email": "bo@example.com", "created_at": "2026-11-19T08:00:00Z"}]}',
    });
    const ws = loadWorkspace(dir.path);
    expect(ws.tickets.map((t) => [t.source, t.id, t.file])).toEqual([['legacy', '1', 'imports/a.csv']]);
    expect(ws.problems.map((p) => `${p.file}:${p.line ?? ''} ${p.path}`)).toEqual([
      'imports/a.csv:3 row 3.requester.email',
      'tandem.yaml: sources[1].path',
      'imports/b.json:1 id',
    ]);
  });
});
