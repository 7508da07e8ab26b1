// Imports tickets from a CSV or JSON file (an export from another tool): good rows enter the queue, bad rows are reported by line.
import { readFileSync } from 'node:fs';
import type { Problem } from '../domain/workspace.ts';
import { TicketFileEntrySchema, type TicketFileEntry } from './schema.ts';
import { readYamlFile } from './yaml-file.ts';

export interface ImportResult {
  tickets: (TicketFileEntry & { line: number })[];
  problems: Problem[];
}

/** Column names accepted for each field, first match wins (case and spaces ignored). */
const COLUMNS: Record<string, string[]> = {
  id: ['id', 'ticket_id', 'ticket'],
  subject: ['subject', 'title'],
  body: ['body', 'description', 'message', 'text'],
  requester_name: ['requester_name', 'name', 'customer_name', 'from_name'],
  requester_email: ['requester_email', 'email', 'customer_email', 'from_email', 'from'],
  channel: ['channel', 'via'],
  created_at: ['created_at', 'created', 'date'],
};

export function importTicketFile(file: string, displayName: string): ImportResult {
  if (/\.json$/i.test(file)) return importJson(file, displayName);
  if (/\.csv$/i.test(file)) return importCsv(file, displayName);
  return { tickets: [], problems: [{ file: displayName, line: null, path: '', message: 'is neither .csv nor .json', hint: 'export the tickets as CSV (with a header row) or as a JSON list' }] };
}

function importCsv(file: string, name: string): ImportResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    return { tickets: [], problems: [{ file: name, line: null, path: '', message: `cannot be read: ${(err as Error).message}` }] };
  }
  const parsed = parseCsv(text);
  if ('error' in parsed) return { tickets: [], problems: [{ file: name, line: parsed.line, path: '', message: parsed.error, hint: 'close the quote, or double a quote inside a quoted value ("")' }] };
  const [header, ...rows] = parsed.rows;
  if (!header) return { tickets: [], problems: [{ file: name, line: 1, path: '', message: 'is empty', hint: 'the first line names the columns: id,subject,body,requester_name,requester_email,channel,created_at' }] };
  const names = header.cells.map((c) => c.trim().toLowerCase().replace(/\s+/g, '_'));
  const index: Record<string, number> = {};
  for (const [field, aliases] of Object.entries(COLUMNS)) {
    const i = names.findIndex((n) => aliases.includes(n));
    if (i >= 0) index[field] = i;
  }
  const missing = ['id', 'subject', 'body', 'requester_email', 'created_at'].filter((f) => index[f] === undefined);
  if (missing.length > 0) {
    return { tickets: [], problems: [{ file: name, line: 1, path: 'header', message: `has no column for ${missing.join(', ')}`, hint: `name the columns in the first line, e.g. ${Object.keys(COLUMNS).join(',')}` }] };
  }
  const records = rows
    .filter((r) => r.cells.some((c) => c.trim() !== ''))
    .map((r) => {
      const get = (f: string) => (index[f] === undefined ? undefined : (r.cells[index[f]!] ?? '').trim());
      const email = get('requester_email') ?? '';
      return {
        line: r.line,
        at: `row ${r.line}`,
        value: {
          id: get('id'),
          subject: get('subject'),
          body: get('body'),
          requester: { name: get('requester_name') || email.split('@')[0] || email, email },
          ...(get('channel') ? { channel: get('channel') } : {}),
          created_at: get('created_at'),
        } as unknown,
      };
    });
  return check(records, name);
}

function importJson(file: string, name: string): ImportResult {
  // YAML reads JSON and knows each value's line, which JSON.parse does not.
  const read = readYamlFile(file, name);
  if ('problems' in read) return { tickets: [], problems: read.problems.map((p) => ({ ...p, message: p.message.replace('is not valid YAML', 'is not valid JSON') })) };
  const root = read.yaml.value as unknown;
  const list = Array.isArray(root) ? root : (root as { tickets?: unknown } | null)?.tickets;
  const base: (string | number)[] = Array.isArray(root) ? [] : ['tickets'];
  if (!Array.isArray(list)) return { tickets: [], problems: [{ file: name, line: 1, path: '', message: 'is not a list of tickets', hint: 'give a JSON array of tickets, or {"tickets": [...]}' }] };
  const records = list.map((entry, i) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    const flat = 'requester' in e ? e : { ...pick(e, ['id', 'subject', 'body', 'channel', 'created_at']), requester: { name: e.requester_name ?? String(e.requester_email ?? '').split('@')[0], email: e.requester_email } };
    if (typeof flat.id === 'number') flat.id = String(flat.id);
    return { line: read.yaml.lineOf([...base, i]) ?? 1, at: `[${i}]`, value: flat as unknown };
  });
  return check(records, name);
}

function check(records: { line: number; at: string; value: unknown }[], name: string): ImportResult {
  const tickets: ImportResult['tickets'] = [];
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  for (const r of records) {
    const v = TicketFileEntrySchema.safeParse(r.value);
    if (!v.success) {
      for (const issue of v.error.issues) problems.push({ file: name, line: r.line, path: `${r.at}.${issue.path.join('.')}`, message: issue.message });
      continue;
    }
    const first = seen.get(v.data.id);
    if (first !== undefined) {
      problems.push({ file: name, line: r.line, path: `${r.at}.id`, message: `ticket id "${v.data.id}" already appears on line ${first}` });
      continue;
    }
    seen.set(v.data.id, r.line);
    tickets.push({ ...v.data, line: r.line });
  }
  return { tickets, problems };
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]));
}

/** RFC 4180 CSV: quoted values may hold commas, doubled quotes and line breaks; each row keeps the line it starts on. */
export function parseCsv(text: string): { rows: { line: number; cells: string[] }[] } | { error: string; line: number } {
  const rows: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let quoted = false;
  let quoteLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '') {
      quoted = true;
      quoteLine = line;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += ch;
  }
  if (quoted) return { error: 'has a quoted value that never closes', line: quoteLine };
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  return { rows };
}
