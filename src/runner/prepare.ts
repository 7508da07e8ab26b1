// Prepares a step: its inputs rendered from the run's context, exactly as they would be sent (the preview the associate sees).
import { render } from '../maps/expressions.ts';
import type { Step } from '../maps/schema.ts';

export interface RunContext {
  ticket: { id: string; externalId: string; source: string; subject: string; body: string; requester: { name: string; email: string }; channel: string };
  fields: Record<string, unknown>;
  steps: Record<string, Record<string, unknown>>;
}

export interface PreparedStep {
  /** What will be sent where: shown before accept, editable, and what runs. */
  inputs: Record<string, unknown>;
  idempotencyKey: string | null;
}

export async function prepareStep(step: Step, ctx: RunContext): Promise<PreparedStep> {
  const where = `Step "${step.title ?? step.id}"`;
  switch (step.block) {
    case 'http': {
      const inputs: Record<string, unknown> = {
        connector: step.connector,
        method: step.method,
        path: await render(step.path, ctx, `${where} path`),
      };
      if (step.query) inputs.query = await render(step.query, ctx, `${where} query`);
      if (step.headers) inputs.headers = await render(step.headers, ctx, `${where} headers`);
      if (step.body !== undefined) inputs.body = await render(step.body, ctx, `${where} body`);
      if (step.describe) inputs.describe = await render(step.describe, ctx, `${where} describe`);
      const key = step.idempotency_key ? String(await render(step.idempotency_key, ctx, `${where} idempotency_key`)) : null;
      return { inputs, idempotencyKey: key };
    }
    case 'browser':
      return { inputs: { connector: step.connector, actions: await render(step.actions, ctx, `${where} actions`) }, idempotencyKey: null };
    case 'reply':
      return {
        inputs: { public: step.public, body: await render(step.body, ctx, `${where} body`), ...(step.status ? { status: step.status } : {}) },
        idempotencyKey: null,
      };
    case 'manual':
      return { inputs: { instructions: await render(step.instructions, ctx, `${where} instructions`) }, idempotencyKey: null };
    case 'approval':
      return { inputs: { reason: await render(step.reason, ctx, `${where} reason`) }, idempotencyKey: null };
    default:
      return { inputs: {}, idempotencyKey: null };
  }
}
