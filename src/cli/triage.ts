// `tandem triage <tickets.jsonl|.csv>`: reads each ticket with the workspace's triage and says whether it would escalate and why.
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import type { Ticket } from '../domain/ticket.ts';
import { TandemError } from '../domain/errors.ts';
import { createLocalTriager } from '../triage/local-triage.ts';
import { loadWorkspace } from '../workspace/load.ts';
import { parse, UsageError, write, type CliIo } from './args.ts';
import { locations } from './context.ts';

export const help = `tandem triage <tickets.jsonl|tickets.csv> [--json] [--workspace DIR]

Reads each ticket with the workspace's triage (the local model) and prints its intent, the fields found,
the confidence, and whether it would escalate and why. JSONL lines hold {id?, subject?, body} (or text);
CSV files need a text or body column (subject and id optional). --json prints one object per line.`;

interface Row {
  id: string;
  subject: string;
  body: string;
}

export async function triageCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {});
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError('name one file: tandem triage <tickets.jsonl|tickets.csv>');
  if (!existsSync(file)) throw new TandemError('not_found', `There is no file ${file}.`);
  const workspace = loadWorkspace(locations(values, io.env).workspaceDir);
  const triager = createLocalTriager(workspace.maps, workspace.mapsVersion);
  const maps = new Map(workspace.maps.map((m) => [m.id, m]));
  let n = 0;
  let escalated = 0;
  for await (const row of rows(file)) {
    n++;
    const ticket: Ticket = { id: row.id, source: 'file', externalId: row.id, subject: row.subject, body: row.body, requester: { name: '-', email: 'unknown@invalid' }, channel: 'email', createdAt: 0, state: 'new' };
    const t = triager.triage(ticket, Date.now());
    const map = maps.get(t.intent);
    const threshold = map?.escalate_below ?? workspace.settings.triage.escalate_below;
    const reasons: string[] = [];
    if (t.confidence < threshold) reasons.push(`confidence ${Math.round(t.confidence * 100)}% is under ${Math.round(threshold * 100)}%`);
    for (const rule of map?.policy ?? []) if (rule.then === 'escalate' && rule.when.trim() === 'true') reasons.push(rule.reason);
    const missing = (map?.fields ?? []).filter((f) => f.required && t.fields[f.name] === undefined).map((f) => f.name);
    if (missing.length > 0) reasons.push(`missing ${missing.join(', ')}`);
    if (reasons.length > 0) escalated++;
    if (values.json) {
      write(io.stdout, JSON.stringify({ id: row.id, intents: t.alternatives.filter((a) => a.score >= 0.2).map((a) => a.intent), intent: t.intent, confidence: t.confidence, fields: t.fields, escalates: reasons.length > 0, reasons, rationale: t.rationale }));
    } else {
      write(io.stdout, `${row.id.padEnd(10)} ${t.intent.padEnd(24)} ${String(Math.round(t.confidence * 100)).padStart(3)}%  ${reasons.length ? `ESCALATES: ${reasons.join('; ')}` : 'ready'}  ${JSON.stringify(t.fields)}`);
    }
  }
  write(io.stderr, `${n} tickets read, ${escalated} would escalate.`);
  return 0;
}

async function* rows(file: string): AsyncGenerator<Row> {
  let i = 0;
  if (file.endsWith('.csv')) {
    const parser = createReadStream(file).pipe(parseCsv({ columns: true, skip_empty_lines: true, bom: true }));
    for await (const rec of parser as AsyncIterable<Record<string, string>>) {
      i++;
      const body = rec.text ?? rec.body;
      if (body === undefined) throw new TandemError('bad_input', `${file} has no text or body column.`, { hint: 'The first line must name the columns, e.g. text,category.' });
      yield { id: rec.id ?? `row-${i}`, subject: rec.subject ?? '', body };
    }
    return;
  }
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    i++;
    if (!line.trim()) continue;
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new TandemError('bad_input', `${file}:${i} is not a JSON object.`, { hint: 'One ticket per line: {"id": "…", "subject": "…", "body": "…"}' });
    }
    const body = value.body ?? value.text;
    if (typeof body !== 'string') throw new TandemError('bad_input', `${file}:${i} has no "body" (or "text").`);
    yield { id: String(value.id ?? `line-${i}`), subject: String(value.subject ?? ''), body };
  }
}
