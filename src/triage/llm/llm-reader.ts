// Reads one ticket with an OpenAI-compatible model through the openai SDK: structured output where the server takes
// it (JSON mode with validation where it does not, remembered per endpoint), one repair attempt, and every failure
// turned into a TandemError that says whether waiting will help.
import OpenAI from 'openai';
import { TandemError, type ErrorCode } from '../../domain/errors.ts';
import type { LlmSettings, ProcessMapFile } from '../../workspace/schema.ts';
import { answerJsonSchema, answerSchema, fieldCatalogue, type ModelAnswer } from './output.ts';
import { buildMessages, repairMessage, type ChatMessage, type FewShot } from './prompt.ts';
import { redactPii, restorePii } from './pii.ts';

export type OutputFormat = 'json_schema' | 'json_object' | 'none';

/** What each endpoint+model accepted last time: a server that refused json_schema is not asked again. */
const formatMemory = new Map<string, OutputFormat>();
/** Endpoints whose model refuses a temperature (reasoning models): it is not sent to them again. */
const noTemperature = new Set<string>();

export class LlmError extends TandemError {
  /** True when waiting and trying again may work (429, 5xx, timeout, unreachable). */
  readonly transient: boolean;
  readonly retryAfterMs: number | null;
  constructor(code: ErrorCode, message: string, opts: { hint?: string; cause?: unknown; transient: boolean; retryAfterMs?: number | null }) {
    super(code, message, { hint: opts.hint, cause: opts.cause });
    this.transient = opts.transient;
    this.retryAfterMs = opts.retryAfterMs ?? null;
  }
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  calls: number;
}

export type LlmRead =
  | { ok: true; answer: ModelAnswer; usage: Usage; format: OutputFormat; redacted: boolean }
  /** The model answered, twice, with something Tandem cannot use (or the ticket is too long for it). */
  | { ok: false; problem: string; usage: Usage; format: OutputFormat; redacted: boolean };

export interface LlmReaderOptions {
  settings: LlmSettings;
  apiKey: string | undefined;
  workspaceName: string;
  maps: readonly ProcessMapFile[];
  fallbackIntent: string;
  fetch?: typeof fetch;
}

export interface LlmReader {
  /** `llm:<model>@<host>`: names the model in readings and in the cache key. */
  readonly model: string;
  readonly endpointKey: string;
  read(input: { text: string; names: readonly string[]; examples: readonly FewShot[] }, signal?: AbortSignal): Promise<LlmRead>;
}

export function createLlmReader(opts: LlmReaderOptions): LlmReader {
  const s = opts.settings;
  const client = new OpenAI({
    apiKey: opts.apiKey ?? 'no-key',
    baseURL: s.base_url,
    organization: s.organization ?? null,
    timeout: s.timeout_ms,
    // Tandem's queue does the waiting and retrying, across tickets; the SDK retrying inside one call would hide it.
    maxRetries: 0,
    ...(s.api_version ? { defaultQuery: { 'api-version': s.api_version }, defaultHeaders: opts.apiKey ? { 'api-key': opts.apiKey } : {} } : {}),
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const host = safeHost(s.base_url);
  const endpointKey = endpointKeyOf(s);
  const intents = opts.maps.map((m) => m.id);
  if (!intents.includes(opts.fallbackIntent)) intents.push(opts.fallbackIntent);
  const jsonSchema = answerJsonSchema(opts.maps, intents);
  const validator = answerSchema(intents, [...fieldCatalogue(opts.maps).keys()]);

  async function complete(messages: ChatMessage[], format: OutputFormat, signal: AbortSignal | undefined): Promise<{ content: string; promptTokens: number; completionTokens: number }> {
    const response_format =
      format === 'json_schema'
        ? ({ type: 'json_schema', json_schema: { name: 'ticket_triage', schema: jsonSchema, strict: true } } as const)
        : format === 'json_object'
          ? ({ type: 'json_object' } as const)
          : undefined;
    const base = { model: s.model, messages, ...(noTemperature.has(endpointKey) ? {} : { temperature: 0 }), ...(response_format ? { response_format } : {}) };
    if (s.stream) {
      const stream = await client.chat.completions.create({ ...base, stream: true, stream_options: { include_usage: true } }, { signal });
      let content = '';
      let promptTokens = 0;
      let completionTokens = 0;
      for await (const chunk of stream) {
        content += chunk.choices[0]?.delta?.content ?? '';
        if (chunk.usage) {
          promptTokens = chunk.usage.prompt_tokens;
          completionTokens = chunk.usage.completion_tokens;
        }
      }
      return { content, promptTokens, completionTokens };
    }
    const res = await client.chat.completions.create(base, { signal });
    return { content: res.choices[0]?.message?.content ?? '', promptTokens: res.usage?.prompt_tokens ?? 0, completionTokens: res.usage?.completion_tokens ?? 0 };
  }

  /** One call, stepping down json_schema -> json_object -> plain when the server says it does not take the format. */
  async function call(messages: ChatMessage[], signal: AbortSignal | undefined, usage: Usage): Promise<{ content: string; format: OutputFormat }> {
    let format = formatMemory.get(endpointKey) ?? 'json_schema';
    for (;;) {
      try {
        usage.calls++;
        const withSchema = format === 'json_schema' ? messages : withSchemaInPrompt(messages, jsonSchema);
        const r = await complete(withSchema, format, signal);
        usage.promptTokens += r.promptTokens;
        usage.completionTokens += r.completionTokens;
        formatMemory.set(endpointKey, format);
        return { content: r.content, format };
      } catch (err) {
        if (!noTemperature.has(endpointKey) && refusesTemperature(err)) {
          noTemperature.add(endpointKey);
          continue;
        }
        if (format !== 'none' && refusesFormat(err)) {
          format = format === 'json_schema' ? 'json_object' : 'none';
          formatMemory.set(endpointKey, format);
          continue;
        }
        throw toLlmError(err, s, host);
      }
    }
  }

  return {
    model: `llm:${s.model}@${host}`,
    endpointKey,
    async read(input, signal) {
      const assigned = new Map<string, string>();
      const redact = (text: string) => (s.redact_pii ? redactPii(text, { names: input.names, assigned }).text : text);
      const text = redact(clipTicket(input.text));
      const examples = input.examples.map((e) => ({ intent: e.intent, text: redact(e.text) }));
      const originals = new Map([...assigned].map(([value, p]) => [p, value]));
      const messages = buildMessages({ workspaceName: opts.workspaceName, maps: opts.maps, fallbackIntent: opts.fallbackIntent, ticketText: text, examples });
      const usage: Usage = { promptTokens: 0, completionTokens: 0, calls: 0 };
      let problem = '';
      let format: OutputFormat = 'json_schema';
      for (let attempt = 0; attempt < 2; attempt++) {
        let r: Awaited<ReturnType<typeof call>>;
        try {
          r = await call(messages, signal, usage);
        } catch (err) {
          // Too long for this model is about this ticket alone: it escalates; the queue goes on with the others.
          if (err instanceof LlmError && err.code === 'bad_input') return { ok: false, problem: err.message, usage, format, redacted: s.redact_pii };
          throw err;
        }
        format = r.format;
        const parsed = parseAnswer(r.content, validator);
        if (parsed.ok) {
          const answer = restoreAnswer(parsed.value, originals);
          return { ok: true, answer, usage, format, redacted: s.redact_pii };
        }
        problem = parsed.problem;
        messages.push({ role: 'assistant', content: r.content.slice(0, 4000) }, repairMessage(problem));
      }
      return { ok: false, problem, usage, format, redacted: s.redact_pii };
    },
  };
}

/** Names an endpoint and model: part of the triage cache key, and the key of what output format it accepts. */
export function endpointKeyOf(s: Pick<LlmSettings, 'base_url' | 'model'>): string {
  return `${s.base_url.replace(/\/+$/, '')}#${s.model}`;
}

/** How much of a ticket goes to the model: the start and the end (where the ask often is), never megabytes. */
export const MAX_TICKET_CHARS = 16_000;

export function clipTicket(text: string): string {
  if (text.length <= MAX_TICKET_CHARS) return text;
  const half = MAX_TICKET_CHARS / 2;
  return `${text.slice(0, half)}\n[… ${text.length - MAX_TICKET_CHARS} characters left out …]\n${text.slice(-half)}`;
}

/** For tests: forget what endpoints accepted. */
export function forgetOutputFormats(): void {
  formatMemory.clear();
  noTemperature.clear();
}

function withSchemaInPrompt(messages: ChatMessage[], schema: Record<string, unknown>): ChatMessage[] {
  const [first, ...rest] = messages;
  if (!first || first.role !== 'system' || first.content.includes('must match this JSON schema')) return messages;
  return [{ role: 'system', content: `${first.content}\n\nThe JSON object must match this JSON schema:\n${JSON.stringify(schema)}` }, ...rest];
}

function parseAnswer(content: string, validator: ReturnType<typeof answerSchema>): { ok: true; value: ModelAnswer } | { ok: false; problem: string } {
  const trimmed = content.trim().replace(/^```(?:json)?\s*/i, '').replace(/\s*```$/, '');
  if (!trimmed) return { ok: false, problem: 'it was empty' };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (err) {
    return { ok: false, problem: `it is not JSON (${(err as Error).message.slice(0, 120)})` };
  }
  const result = validator.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'answer'}: ${i.message}`);
    return { ok: false, problem: `it does not match the schema (${issues.join('; ')})` };
  }
  const v = result.data;
  return { ok: true, value: { intents: [...new Set(v.intents)], confidence: v.confidence, rationale: v.rationale, language: v.language, urgency: v.urgency, sentiment: v.sentiment, fields: v.fields } };
}

function restoreAnswer(a: ModelAnswer, originals: ReadonlyMap<string, string>): ModelAnswer {
  if (originals.size === 0) return a;
  const fields: ModelAnswer['fields'] = {};
  for (const [k, f] of Object.entries(a.fields)) fields[k] = f && { value: restorePii(f.value, originals), source: restorePii(f.source, originals) };
  return { ...a, rationale: restorePii(a.rationale, originals), fields };
}

function refusesTemperature(err: unknown): boolean {
  return err instanceof OpenAI.APIError && (err.status === 400 || err.status === 422) && /temperature/i.test(err.message);
}

function refusesFormat(err: unknown): boolean {
  if (!(err instanceof OpenAI.APIError) || (err.status !== 400 && err.status !== 422)) return false;
  return /response_format|json_schema|json_object|structured output|not supported/i.test(err.message);
}

function retryAfterMs(headers: Headers | undefined): number | null {
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Number(ms);
  const v = headers?.get('retry-after');
  if (!v) return null;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

function toLlmError(err: unknown, s: LlmSettings, host: string): LlmError {
  if (err instanceof LlmError) return err;
  const where = `the model server at ${host}`;
  if (err instanceof OpenAI.APIUserAbortError) return new LlmError('cancelled', 'Triage was stopped.', { cause: err, transient: false });
  if (err instanceof OpenAI.APIConnectionTimeoutError)
    return new LlmError('connector_timeout', `${where} did not answer within ${Math.round(s.timeout_ms / 1000)} s.`, { hint: 'Tandem keeps the local reading and tries again later; raise triage.llm.timeout_ms if the model is slow.', cause: err, transient: true });
  if (err instanceof OpenAI.APIConnectionError)
    return new LlmError('connector_unreachable', `Tandem cannot reach ${where}.`, { hint: 'Check the base URL in Settings → Triage and that the server is running; tickets stay on the local reading meanwhile.', cause: err, transient: true });
  if (err instanceof OpenAI.RateLimitError)
    return new LlmError('rate_limited', `${where} asks Tandem to slow down (429).`, { hint: 'Tandem waits as the server asks and lowers its pace; lower triage.llm.max_concurrency if this persists.', cause: err, transient: true, retryAfterMs: retryAfterMs(err.headers) });
  if (err instanceof OpenAI.AuthenticationError || err instanceof OpenAI.PermissionDeniedError)
    return new LlmError('connector_auth', `${where} rejected the API key (${err.status}).`, { hint: 'Set a valid key in Settings → Triage (it is kept in the keychain); tickets stay on the local reading.', cause: err, transient: false });
  if (err instanceof OpenAI.NotFoundError)
    return new LlmError('connector_rejected', `${where} has no model "${s.model}" (or no chat completions at this base URL).`, { hint: 'Check the model name and the base URL (it usually ends in /v1) in Settings → Triage.', cause: err, transient: false });
  if (err instanceof OpenAI.APIError && typeof err.status === 'number' && err.status >= 500)
    return new LlmError('connector_unavailable', `${where} is failing (${err.status}).`, { hint: 'Tandem keeps the local reading and tries again with growing pauses.', cause: err, transient: true, retryAfterMs: retryAfterMs(err.headers) });
  if (err instanceof OpenAI.APIError && (err.code === 'context_length_exceeded' || /context length|maximum context|too many tokens|prompt is too long/i.test(err.message)))
    return new LlmError('bad_input', `The ticket is too long for ${s.model} at ${host}.`, { hint: 'A person reads it; a model with a longer context would take it.', cause: err, transient: false });
  if (err instanceof OpenAI.APIError)
    return new LlmError('connector_rejected', `${where} refused the request (${err.status ?? 'no status'}): ${err.message.slice(0, 200)}`, { hint: 'Check the model and its settings in Settings → Triage.', cause: err, transient: false });
  // A 200 whose body is not JSON (a proxy's error page), or a broken stream.
  return new LlmError('connector_unavailable', `${where} answered with something that is not the OpenAI wire format: ${(err as Error).message?.slice(0, 160) ?? String(err)}`, { hint: 'Check the base URL points at the API (usually ending in /v1), not a web page.', cause: err, transient: true });
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
