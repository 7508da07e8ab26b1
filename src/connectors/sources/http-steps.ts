// Runs a source's chained `http` blocks exactly as a map's: templates rendered, the call made through the connector, outputs kept under steps.<id>.
import { TandemError } from '../../domain/errors.ts';
import { evaluate, render } from '../../maps/expressions.ts';
import { httpRequest, type HttpConnector, type HttpDeps, type HttpRequest } from '../http/http-client.ts';
import type { SourceHttpStep } from './definition.ts';

export interface StepRunDeps {
  http: HttpDeps;
  /** The connector a step names, or the source's own when it names none. */
  connector(id: string | undefined): HttpConnector;
  signal?: AbortSignal | undefined;
}

export interface HttpResult {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** One http block, rendered over `context` and sent. */
export async function sendBlock(
  block: Omit<SourceHttpStep, 'id' | 'outputs'>,
  context: object,
  deps: StepRunDeps,
  where: string,
  overrides: Partial<Pick<HttpRequest, 'path' | 'query'>> = {},
): Promise<HttpResult> {
  const connector = deps.connector(block.connector);
  const path = overrides.path ?? String(await render(block.path, context, `${where} path`));
  const query = overrides.query ?? (block.query ? ((await render(block.query, context, `${where} query`)) as Record<string, string>) : undefined);
  const headers = block.headers ? ((await render(block.headers, context, `${where} headers`)) as Record<string, string>) : undefined;
  const body = block.body === undefined ? undefined : await render(block.body, context, `${where} body`);
  const describe = block.describe ? String(await render(block.describe, context, `${where} describe`)) : undefined;
  const key = block.idempotency_key ? String(await render(block.idempotency_key, context, `${where} idempotency_key`)) : undefined;
  const res = await httpRequest(
    block.timeout_ms ? { ...connector, timeoutMs: block.timeout_ms } : connector,
    {
      method: block.method,
      path,
      ...(query ? { query: stringValues(query) } : {}),
      ...(headers ? { headers: stringValues(headers) } : {}),
      ...(body !== undefined ? { body } : {}),
      ...(describe ? { describe } : {}),
      ...(key ? { idempotencyKey: key } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
    },
    deps.http,
  );
  return { status: res.status, body: res.body, headers: Object.fromEntries(res.headers.entries()) };
}

/** Runs steps in order; each sees the outputs of those before it under `steps`. Returns the steps' outputs. */
export async function runSteps(steps: readonly SourceHttpStep[], context: Record<string, unknown>, deps: StepRunDeps, where: string): Promise<Record<string, Record<string, unknown>>> {
  const outputs: Record<string, Record<string, unknown>> = {};
  const ctx = { ...context, steps: outputs };
  for (const step of steps) {
    const here = `${where}, step "${step.id}"`;
    if (step.when && !truthy(await evaluate(step.when, ctx, `The "when" of ${here}`))) continue;
    const res = await sendBlock(step, ctx, deps, here);
    const scope = { ...ctx, status: res.status, body: res.body, headers: res.headers };
    const out: Record<string, unknown> = { status: res.status };
    for (const [name, expr] of Object.entries(step.outputs)) out[name] = (await evaluate(expr, scope, `Output "${name}" of ${here}`)) ?? null;
    outputs[step.id] = out;
  }
  return outputs;
}

export function truthy(v: unknown): boolean {
  return !(v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0));
}

function stringValues(record: Record<string, unknown>): Record<string, string> {
  if (!record || typeof record !== 'object') throw new TandemError('bad_input', 'A query or headers block must render to a mapping of names to values.');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) {
    if (v === undefined || v === null || v === '') continue; // an optional parameter left out, not sent empty
    out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}
