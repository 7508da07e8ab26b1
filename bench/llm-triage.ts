// `node bench/llm-triage.ts`: what Tandem's LLM path costs on top of the model call itself, as ratios against a baseline
// measured in the same run: the same chat completion sent with the bare openai SDK to the same local test server.
// Also: the queue's throughput at max_concurrency 4 against 1 when each answer takes 20 ms.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { parse } from 'yaml';
import type { Ticket } from '../src/domain/ticket.ts';
import { demoModelAnswer } from '../src/testing/demo-model.ts';
import { startOpenAiServer } from '../src/testing/openai-server.ts';
import { createCascadeTriager } from '../src/triage/cascade.ts';
import { createLlmReader } from '../src/triage/llm/llm-reader.ts';
import { createTriageQueue } from '../src/triage/queue.ts';
import { loadWorkspace } from '../src/workspace/load.ts';
import { LlmSettingsSchema } from '../src/workspace/schema.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const root = join(import.meta.dirname, '../resources/demo-workspace');
const ws = loadWorkspace(root);
const entries = (parse(readFileSync(join(root, 'tickets/test.yaml'), 'utf8')) as { tickets: { id: string; subject: string; body: string; requester: { name: string; email: string } }[] }).tickets;
const tickets: Ticket[] = entries.map((e) => ({ id: e.id, source: 'bench', externalId: e.id, subject: e.subject, body: e.body, requester: e.requester, channel: 'email', createdAt: 0, state: 'new' }));

const server = await startOpenAiServer({ script: (req) => demoModelAnswer(req) });
const settings = LlmSettingsSchema.parse({ base_url: server.baseUrl, model: 'tandem-test', cascade_above: 1 });
const reader = createLlmReader({ settings, apiKey: 'x', workspaceName: ws.settings.name, maps: ws.maps, fallbackIntent: 'other' });
const cascade = createCascadeTriager({ workspaceName: ws.settings.name, maps: ws.maps, mapsVersion: ws.mapsVersion, escalateBelow: 0.45, llm: { reader, settings } });
const bare = new OpenAI({ apiKey: 'x', baseURL: server.baseUrl, maxRetries: 0 });
// The baseline sends a prompt of the same size (Tandem's own, captured once) so only Tandem's work differs.
await cascade.triage(tickets[0]!, 0);
const captured = server.requests.at(-1)!.body;

async function tandemPath(): Promise<number> {
  const t0 = performance.now();
  for (const t of tickets) await cascade.triage(t, 0);
  return performance.now() - t0;
}
async function bareSdk(): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < tickets.length; i++) await bare.chat.completions.create({ model: captured.model, messages: captured.messages as OpenAI.ChatCompletionMessageParam[], response_format: captured.response_format as OpenAI.ResponseFormatJSONSchema });
  return performance.now() - t0;
}
const best = async (f: () => Promise<number>) => {
  let b = Infinity;
  for (let i = 0; i < ROUNDS; i++) b = Math.min(b, await f());
  return b;
};
const base = await best(bareSdk);
const full = await best(tandemPath);
console.log(`LLM path, ${tickets.length} demo test tickets, best of ${ROUNDS}: bare SDK call ${(base / tickets.length).toFixed(2)} ms/ticket; Tandem (local model + redaction + prompt + validation + grounding + injection check) ${(full / tickets.length).toFixed(2)} ms/ticket; ratio ${(full / base).toFixed(2)}×`);

// Queue throughput: each answer takes 20 ms (a slow model); 4 at once against 1 at once.
async function queueRun(concurrency: number): Promise<number> {
  const q = createTriageQueue({ maxConcurrency: concurrency, work: () => new Promise((r) => setTimeout(r, 20)) });
  const t0 = performance.now();
  q.enqueue(Array.from({ length: 40 }, (_, i) => String(i)));
  await q.idle();
  return performance.now() - t0;
}
const one = await queueRun(1);
const four = await queueRun(4);
console.log(`Queue, 40 tickets at 20 ms each: 1 at a time ${one.toFixed(0)} ms, 4 at a time ${four.toFixed(0)} ms; speed-up ${(one / four).toFixed(2)}×`);
await server.close();
