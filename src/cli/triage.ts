// `tandem triage <tickets.jsonl|.csv>`: reads each ticket with the workspace's triage and says whether it would escalate and why.
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse';
import type { Ticket } from '../domain/ticket.ts';
import { TandemError } from '../domain/errors.ts';
import type { Triage } from '../domain/triage.ts';
import { createCascadeTriager } from '../triage/cascade.ts';
import { labelledExamples } from '../triage/local/experience.ts';
import { effectiveLlmSettings, llmOverrideFrom, LLM_KEY, needsKey } from '../triage/llm/endpoint.ts';
import { createLlmReader } from '../triage/llm/llm-reader.ts';
import { createTriageQueue } from '../triage/queue.ts';
import { openVault } from '../vault/keychain.ts';
import { loadWorkspace } from '../workspace/load.ts';
import { parse, UsageError, write, type CliIo } from './args.ts';
import { locations } from './context.ts';

export const help = `tandem triage <tickets.jsonl|tickets.csv> [--json] [--workspace DIR] [--llm-base-url URL] [--llm-model NAME] [--local]

Reads each ticket with the workspace's triage and prints its intent, the fields found, the confidence, and whether
it would escalate and why. JSONL lines hold {id?, subject?, body} (or text); CSV files need a text or body column
(subject and id optional). --json prints one object per line.

Triage is the local model, and the LLM in tandem.yaml (triage.llm) for the tickets the local model is unsure of.
--llm-base-url (or TANDEM_LLM_BASE_URL) points at another OpenAI-compatible server; --local uses the local model only.
A progress bar is drawn on stderr when it is a terminal.`;

interface Row {
  id: string;
  subject: string;
  body: string;
}

const OPTIONS = {
  'llm-base-url': { type: 'string' },
  'llm-model': { type: 'string' },
  local: { type: 'boolean', default: false },
} as const;

export async function triageCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, OPTIONS);
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError('name one file: tandem triage <tickets.jsonl|tickets.csv>');
  if (!existsSync(file)) throw new TandemError('not_found', `There is no file ${file}.`);
  const workspace = loadWorkspace(locations(values, io.env).workspaceDir);
  const override = values['llm-base-url'] ? { base_url: values['llm-base-url'], ...(values['llm-model'] ? { model: values['llm-model'] } : {}) } : llmOverrideFrom(io.env);
  const settings = values.local ? null : effectiveLlmSettings(workspace.settings.triage.llm, override);
  let llm: Parameters<typeof createCascadeTriager>[0]['llm'] = null;
  if (settings) {
    const apiKey = needsKey(settings) ? await (await openVault()).get(LLM_KEY) : undefined;
    if (needsKey(settings) && !apiKey) write(io.stderr, `No API key for ${new URL(settings.base_url).host} in the keychain (tandem secrets set llm api_key, or Settings → Triage model): the local model reads every ticket.`);
    else llm = { settings, reader: createLlmReader({ settings, apiKey, workspaceName: workspace.settings.name, maps: workspace.maps, fallbackIntent: 'other' }) };
  }
  const cascade = createCascadeTriager({ workspaceName: workspace.settings.name, maps: workspace.maps, mapsVersion: workspace.mapsVersion, escalateBelow: workspace.settings.triage.escalate_below, llm, local: { experience: labelledExamples(workspace.learned) } });

  const tickets: Ticket[] = [];
  for await (const row of rows(file)) {
    tickets.push({ id: row.id, source: 'file', externalId: row.id, subject: row.subject, body: row.body, requester: { name: '-', email: 'unknown@invalid' }, channel: 'email', createdAt: 0, state: 'new' });
  }
  const results: (Triage | undefined)[] = tickets.map(() => undefined);
  const toAsk: number[] = [];
  tickets.forEach((ticket, i) => {
    const { triage, needsLlm } = cascade.readLocal(ticket, Date.now());
    results[i] = triage;
    if (needsLlm) toAsk.push(i);
  });
  const bar = progressBar(io, tickets.length);
  let printed = 0;
  let escalated = 0;
  const done = new Set<number>(tickets.map((_, i) => i).filter((i) => !toAsk.includes(i)));
  const flush = () => {
    // Results go out in the file's order, as soon as every ticket before them is read.
    while (printed < tickets.length && done.has(printed)) {
      bar.clear();
      if (print(tickets[printed]!, results[printed]!)) escalated++;
      printed++;
    }
    bar.draw(done.size, null);
  };
  const print = (ticket: Ticket, t: Triage): boolean => {
    const reasons = cascade.escalationReasons(t);
    if (values.json) {
      write(io.stdout, JSON.stringify({
        id: ticket.id, intents: t.intents ?? t.alternatives.filter((a) => a.score >= 0.2).map((a) => a.intent), intent: t.intent, confidence: t.confidence, fields: t.fields,
        escalates: reasons.length > 0, reasons, rationale: t.rationale, model: t.model,
        ...(t.sources ? { sources: t.sources } : {}), ...(t.language ? { language: t.language, urgency: t.urgency, sentiment: t.sentiment } : {}),
        ...(t.notices?.length ? { notices: t.notices } : {}), ...(t.usage ? { usage: t.usage } : {}),
      }));
    } else {
      write(io.stdout, `${ticket.id.padEnd(10)} ${t.intent.padEnd(24)} ${String(Math.round(t.confidence * 100)).padStart(3)}%  ${reasons.length ? `ESCALATES: ${reasons.join('; ')}` : 'ready'}  ${JSON.stringify(t.fields)}`);
    }
    return reasons.length > 0;
  };
  flush();
  let notice: string | null = null;
  if (toAsk.length > 0 && llm) {
    const queue = createTriageQueue({
      maxConcurrency: llm.settings.max_concurrency,
      // A command must end: an outage gets a few growing pauses, then the ticket keeps its local reading.
      maxAttempts: 4,
      work: async (id, signal) => {
        const i = Number(id);
        results[i] = await cascade.readLlm(tickets[i]!, results[i]!, Date.now(), signal);
        done.add(i);
        flush();
      },
      onProgress: (p) => {
        notice = p.notice;
        bar.draw(done.size, p.notice);
      },
    });
    const stop = () => queue.close();
    void io.stopSignal.then(stop);
    queue.enqueue(toAsk.map(String));
    await queue.idle();
    // Tickets the model could not read keep their local reading, and say so.
    for (const i of toAsk) {
      if (done.has(i)) continue;
      results[i] = { ...results[i]!, notices: [...(results[i]!.notices ?? []), `Local reading only: ${notice ?? 'the model could not be asked.'}`] };
      done.add(i);
    }
    flush();
  }
  bar.clear();
  const usage = results.reduce((sum, t) => ({ tokens: sum.tokens + (t?.usage ? t.usage.promptTokens + t.usage.completionTokens : 0), cost: sum.cost + (t?.usage?.costMicros ?? 0) }), { tokens: 0, cost: 0 });
  const llmPart = llm ? `; the LLM read ${toAsk.length} (${usage.tokens} tokens, cost ${(usage.cost / 1e6).toFixed(4)})` : '';
  write(io.stderr, `${tickets.length} tickets read, ${escalated} would escalate${llmPart}.`);
  if (notice) write(io.stderr, notice);
  return 0;
}

/** A one-line bar on stderr, redrawn in place; nothing at all when stderr is not a terminal. */
function progressBar(io: CliIo, total: number) {
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  let shown = false;
  return {
    draw(done: number, notice: string | null) {
      if (!tty || total === 0) return;
      const width = 30;
      const filled = Math.round((done / total) * width);
      io.stderr.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} triaged${notice ? ` · ${notice.slice(0, 80)}` : ''}`);
      shown = true;
    },
    clear() {
      if (tty && shown) io.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
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
