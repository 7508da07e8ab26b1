// Prepares a step: its inputs rendered from the run's context, exactly as they would be sent (the preview the associate sees).
// What is sent never has a silent gap: a request path or idempotency key with an empty value, or a reply, browser action
// or query that needs a value its step did not give (skipped, or null), stops the preparation with an error naming it.
import { TandemError } from '../domain/errors.ts';
import { evaluate, isNothing, referencesOf, render, type Hole, type HoleHandler } from '../maps/expressions.ts';
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
  /** Values the inputs need that are not known (`steps.refund.refund_id`): they show as ‹steps.refund.refund_id›. */
  unknown: string[];
}

export interface PrepareOptions {
  /** Steps a dry run simulated: what they would give is unknown, not missing, wherever a template needs it. */
  simulated?: ReadonlySet<string>;
}

/**
 * How strict a place is about gaps. `text` (a reply, a browser action, a query value): nothing it reads may be missing,
 * though an expression may give '' on purpose (`x ? ' and ' & x : ''`). `key` (a request path, an idempotency key): not
 * even '' — a path with an empty part reaches another record, a key with a gap can match another request.
 */
type Strictness = 'text' | 'key';

export async function prepareStep(step: Step, ctx: RunContext, options: PrepareOptions = {}): Promise<PreparedStep> {
  const where = `Step "${step.title ?? step.id}"`;
  const unknown = new Set<string>();
  const gaps = (kind: Strictness, label: string, template?: string): HoleHandler => (hole) => onHole({ kind, label, template, where, step, ctx, simulated: options.simulated ?? new Set(), unknown }, hole);
  switch (step.block) {
    case 'http': {
      const path = String(await render(step.path, ctx, `${where} path`, gaps('key', 'path', step.path)));
      if (unknown.size === 0) checkPath(where, step.path, path);
      const inputs: Record<string, unknown> = { connector: step.connector, method: step.method, path };
      if (step.query) inputs.query = await render(step.query, ctx, `${where} query`, gaps('text', 'query'));
      if (step.headers) inputs.headers = await render(step.headers, ctx, `${where} headers`);
      if (step.body !== undefined) inputs.body = await render(step.body, ctx, `${where} body`);
      if (step.describe) inputs.describe = await render(step.describe, ctx, `${where} describe`);
      const key = step.idempotency_key ? String(await render(step.idempotency_key, ctx, `${where} idempotency_key`, gaps('key', 'idempotency key', step.idempotency_key))) : null;
      return { inputs, idempotencyKey: key, unknown: [...unknown] };
    }
    case 'browser':
      return { inputs: { connector: step.connector, actions: await render(step.actions, ctx, `${where} actions`, gaps('text', 'browser action')) }, idempotencyKey: null, unknown: [...unknown] };
    case 'reply':
      return {
        inputs: { public: step.public, body: await render(step.body, ctx, `${where} body`, gaps('text', 'reply')), ...(step.status ? { status: step.status } : {}) },
        idempotencyKey: null,
        unknown: [...unknown],
      };
    case 'manual':
      return { inputs: { instructions: await render(step.instructions, ctx, `${where} instructions`) }, idempotencyKey: null, unknown: [] };
    case 'approval':
      return { inputs: { reason: await render(step.reason, ctx, `${where} reason`) }, idempotencyKey: null, unknown: [] };
    default:
      return { inputs: {}, idempotencyKey: null, unknown: [] };
  }
}

interface Place {
  kind: Strictness;
  /** What the template is, in words: path, idempotency key, reply, browser action, query. */
  label: string;
  /** The whole template, where it is short enough to quote (a path, a key). */
  template: string | undefined;
  where: string;
  step: Step;
  ctx: RunContext;
  simulated: ReadonlySet<string>;
  unknown: Set<string>;
}

/**
 * A gap is refused, unless what it needs is unknown rather than missing: the outputs of a step a dry run simulated, or
 * of a step that gave Tandem none at all (done by hand). Those show as ‹steps.<id>.<output>› for a person to see —
 * never in a step that runs alone, and never in a path or key outside a dry run, where nobody would see them first.
 */
async function onHole(place: Place, hole: Hole): Promise<string | undefined> {
  const { kind, label, template, where, step, ctx, simulated } = place;
  const text = typeof hole.value === 'string' ? hole.value.trim() : null;
  if (!isNothing(hole.value) && hole.missing.length === 0 && text !== 'null' && text !== 'undefined' && (kind === 'text' || text !== '')) return undefined; // '' on purpose, in a text

  const reads = hole.missing.length > 0 ? hole.missing : referencesOf(hole.expression).filter((r) => r[0] === 'steps' && r[1] !== undefined && outputsUnknown(r[1], ctx, simulated));
  const unknown = reads.length > 0 && reads.every((r) => r[0] === 'steps' && r[1] !== undefined && outputsUnknown(r[1], ctx, simulated));
  if (unknown) {
    const seen = reads.every((r) => simulated.has(r[1]!)) || (kind === 'text' && step.mode !== 'auto');
    if (seen) {
      const names = reads.map((r) => r.join('.'));
      for (const n of names) place.unknown.add(n);
      return (await withMarks(hole, reads, ctx)) ?? names.map((n) => `‹${n}›`).join(' ');
    }
  }

  const why = reasons(hole, ctx);
  const expr = `{{ ${hole.expression} }}`;
  const read = reads[0]?.join('.') ?? referencesOf(hole.expression).find((r) => r[0] === 'steps' || r[0] === 'fields')?.join('.');
  if (kind === 'key') {
    throw new TandemError('bad_input', `${where}: the ${label} ${template?.trim() ?? ''} would have an empty value where ${expr} goes: ${why}.`, {
      hint: `Nothing was sent. ${label === 'path' ? 'A request to a path with an empty part reaches another record, or none.' : 'A key with a gap can match another request, which the system would then not do.'} The map should check the value before this step${read ? ` (a condition such as $boolean(${read}))` : ''}.`,
    });
  }
  throw new TandemError('bad_input', `${hole.where}: ${expr} would leave a blank in the ${label}: ${why}${unknown && step.mode === 'auto' ? ', and this step runs alone, so nobody would fill it in' : ''}.`, {
    hint: `Nothing was sent. Fix the map so the ${label} reads only values that exist on its path: a "when" on the step, or an alternative such as {{ ${read ?? 'x'} ?: '…' }}. Or do this step by hand (H).`,
  });
}

/**
 * The expression again with each unknown value marked where it goes ("Your label is ‹steps.label.id›; print it"),
 * rather than the whole text replaced by the mark; null when the expression cannot use a mark (arithmetic on it).
 */
async function withMarks(hole: Hole, reads: string[][], ctx: RunContext): Promise<string | null> {
  const steps = { ...ctx.steps };
  for (const [, id, output] of reads) if (id !== undefined && output !== undefined) steps[id] = { ...steps[id], [output]: `‹steps.${id}.${output}›` };
  try {
    const marked = await evaluate(hole.expression, { ...ctx, steps }, hole.where);
    return typeof marked === 'string' && marked.includes('‹') ? marked : null;
  } catch {
    return null;
  }
}

/** A dry run simulated the step, or it gave Tandem no outputs at all (done by hand; simulated by a dry run of the runner). */
function outputsUnknown(stepId: string, ctx: RunContext, simulated: ReadonlySet<string>): boolean {
  const outputs = ctx.steps[stepId];
  return simulated.has(stepId) || (outputs !== undefined && Object.keys(outputs).length === 0);
}

/** Why each value a hole needed is missing, in words: the step that was skipped or gave nothing, the field not set. */
function reasons(hole: Hole, ctx: RunContext): string {
  const out: string[] = [];
  for (const [root, name, output] of hole.missing) {
    if (root === 'steps' && name !== undefined) {
      const outputs = ctx.steps[name];
      const what = output ?? 'outputs';
      if (!outputs) out.push(`step "${name}" did not run (it was skipped), so it has no ${what}`);
      else if (Object.keys(outputs).length === 0) out.push(`step "${name}" gave Tandem no outputs (it was done by hand, or simulated), so its ${what} is not known`);
      else out.push(`step "${name}" gave no ${what}${output !== undefined && outputs[output] === null ? ' (it is null)' : ''}`);
    } else if (root === 'fields' && name !== undefined) {
      out.push(`the field ${name} is not set`);
    }
  }
  if (out.length > 0) return out.join('; ');
  return isNothing(hole.value) ? 'it gives nothing' : `it gives ${JSON.stringify(hole.value)}`;
}

/** However it came about (a value with a slash in it, a template typed with //), a path with an empty or null part is not sent. */
/** Refuses a request path with an empty, `null` or `undefined` part (a value that was missing when it was rendered, or typed so). */
export function checkPath(where: string, template: string, path: string): void {
  const bare = path.split(/[?#]/)[0]!.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  const parts = bare.split('/').slice(1);
  // A trailing slash the template itself ends with is the author's choice; any other empty part is a gap.
  if (template.split(/[?#]/)[0]!.endsWith('/') && parts.at(-1) === '') parts.pop();
  const bad = parts.find((p) => p === '' || p === 'null' || p === 'undefined');
  if (bad === undefined) return;
  throw new TandemError('bad_input', `${where}: the path ${template.trim()} renders as ${path}, which has ${bad === '' ? 'an empty part' : `a part "${bad}"`}.`, {
    hint: 'Nothing was sent. Check the values the path uses; the map should check them before this step.',
  });
}
