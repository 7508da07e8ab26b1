// A dry run of a map that may not be saved yet: every step prepared from a ticket exactly as a real run would, side by
// side with the call it would make — nothing is written, sent or clicked. Lookups (GET calls that change nothing) may run
// for real through `lookup`, so later steps see real values. What a simulated step would give is unknown: a template
// that needs it shows ‹steps.<id>.<output>› and the step says so, while a value missing for any other reason (a lookup
// that was skipped, an output that came back null) stops the dry run exactly where it would stop a real run.
import { toErrorShape, type ErrorShape } from '../domain/errors.ts';
import { evaluate, referencesOf, render } from '../maps/expressions.ts';
import { hasSideEffect, type ProcessMap, type Step } from '../maps/schema.ts';
import type { Executors } from './executors.ts';
import { policyHit, policyScope, truthy } from './policy.ts';
import { prepareStep, type RunContext } from './prepare.ts';

export type DryStepState = 'would_run' | 'looked_up' | 'skipped' | 'would_wait' | 'would_escalate' | 'would_finish' | 'failed' | 'not_reached';

export interface DryStep {
  stepId: string;
  block: Step['block'];
  title: string;
  mode: Step['mode'];
  state: DryStepState;
  /** The step's inputs with every {{ }} resolved: what the associate would be shown. */
  inputs: Record<string, unknown> | null;
  /** The call that would be made, in words (POST payments /v1/refunds; CRM: click the link “Edit”). */
  call: string[];
  outputs: Record<string, unknown>;
  note: string;
  error: ErrorShape | null;
}

export interface DryRun {
  fields: Record<string, unknown>;
  missing: string[];
  outcome: 'done' | 'escalated' | 'waiting_for_fields';
  escalation: string | null;
  steps: DryStep[];
}

/** Lookups only: the one port a dry run may use, and only for calls that change nothing. */
export type LookupPort = Pick<Executors, 'http'>;

/**
 * `recorded`: a lookup's outputs as a real run got them (by step id). A replay over history uses them instead of asking
 * the system again, because the system has moved on since (a refund already made leaves nothing to refund now). Used
 * only when they hold every output the step defines; otherwise the lookup runs as usual.
 */
export async function dryRun(map: ProcessMap, ctx: RunContext, lookup: LookupPort | null, signal?: AbortSignal, recorded?: Readonly<Record<string, Record<string, unknown>>>): Promise<DryRun> {
  const steps: DryStep[] = map.steps.map((s) => ({ stepId: s.id, block: s.block, title: s.title ?? s.id, mode: s.mode, state: 'not_reached', inputs: null, call: [], outputs: {}, note: '', error: null }));
  const missing = map.fields.filter((f) => f.required && (ctx.fields[f.name] === undefined || ctx.fields[f.name] === null || ctx.fields[f.name] === '')).map((f) => f.name);
  if (missing.length > 0) {
    return { fields: ctx.fields, missing, outcome: 'waiting_for_fields', escalation: `Tandem could not find ${missing.join(', ')} in the ticket; a person must supply ${missing.length === 1 ? 'it' : 'them'}.`, steps };
  }
  const context: RunContext = { ...ctx, steps: { ...ctx.steps } };
  /** Steps whose outputs this dry run does not know: it simulated them. */
  const simulated = new Set<string>();
  /** What an expression reads that this dry run does not know, for the step's note. */
  const unknownIn = (expr: string) => referencesOf(expr).filter((r) => r[0] === 'steps' && r[1] !== undefined && simulated.has(r[1])).map((r) => r.join('.'));
  const unknownText = (names: string[]) => (names.length > 0 ? `it reads ${[...new Set(names)].join(', ')}, which this dry run does not know` : '');
  const guessNote = (names: string[]) => (names.length > 0 ? ` (${unknownText(names)})` : '');
  let skipTo: string | null = null;
  for (const [i, step] of map.steps.entries()) {
    const out = steps[i]!;
    if (signal?.aborted) break;
    if (skipTo !== null) {
      if (step.id !== skipTo) {
        out.state = 'skipped';
        out.note = 'skipped by a condition';
        continue;
      }
      skipTo = null;
    }
    try {
      if (step.when && !truthy(await evaluate(step.when, context, `The "when" of step "${step.id}"`))) {
        out.state = 'skipped';
        out.note = `its "when" did not hold${guessNote(unknownIn(step.when))}`;
        continue;
      }
      if (step.block === 'set') {
        for (const [name, expr] of Object.entries(step.values)) out.outputs[name] = (await evaluate(expr, context, `Value "${name}" of step "${step.id}"`)) ?? null;
        out.state = 'would_run';
        out.call = ['(computed in Tandem, nothing is sent)'];
        // Computed from values this dry run does not know: what it computed is not known either.
        const guessed = Object.values(step.values).flatMap(unknownIn);
        out.note = unknownText(guessed);
        if (guessed.length > 0) simulated.add(step.id);
      } else if (step.block === 'condition') {
        out.inputs = { if: step.if };
        const guessed = guessNote(unknownIn(step.if));
        if (truthy(await evaluate(step.if, context, `The condition of step "${step.id}"`))) {
          out.state = 'would_run';
          out.note = `holds: the map goes on${guessed}`;
        } else if ('skip_to' in step.else) {
          out.state = 'would_run';
          out.note = `does not hold: skips to ${step.else.skip_to}${guessed}`;
          skipTo = step.else.skip_to;
        } else {
          const message = String(await render('escalate' in step.else ? step.else.escalate : step.else.finish, context, `The message of step "${step.id}"`));
          out.state = 'escalate' in step.else ? 'would_escalate' : 'would_finish';
          out.note = `${message}${guessed}`;
          return finish(steps, ctx.fields, 'escalate' in step.else ? 'escalated' : 'done', 'escalate' in step.else ? message : null);
        }
      } else if (step.block === 'approval') {
        const needed = truthy(await evaluate(step.needed_when, context, `The approval rule of step "${step.id}"`));
        const prepared = await prepareStep(step, context, { simulated });
        out.inputs = prepared.inputs;
        out.state = needed ? 'would_wait' : 'skipped';
        out.note = needed ? `would wait for a lead: ${String(prepared.inputs.reason)}` : 'no approval needed';
        out.outputs = { approved_by: null };
        simulated.add(step.id);
      } else {
        const prepared = await prepareStep(step, context, { simulated });
        out.inputs = prepared.inputs;
        out.call = describeCall(step, prepared.inputs, prepared.idempotencyKey);
        const guessed = guessNote(prepared.unknown);
        const sideEffect = hasSideEffect(step);
        const rule = sideEffect ? await policyHit(map.policy, policyScope(context, step.id, prepared.inputs)) : null;
        if (rule && rule.then !== 'approval') {
          out.state = 'would_escalate';
          out.note = `policy ${rule.id}: ${rule.reason}`;
          return finish(steps, ctx.fields, 'escalated', `Policy ${rule.id}: ${rule.reason}`);
        }
        const then = !sideEffect && step.block === 'http' ? recorded?.[step.id] : undefined;
        if (then && step.block === 'http' && Object.keys(step.outputs).every((name) => name in then)) {
          out.outputs = { ...then };
          out.state = 'looked_up';
          out.note = 'a lookup: what the system answered on the run that was decided (nothing was called now)';
        } else if (!sideEffect && step.block === 'http' && step.mode !== 'manual' && lookup && prepared.unknown.length === 0) {
          const res = await lookup.http(prepared.inputs, { ticketId: ctx.ticket.id, runId: 'dry-run', stepId: step.id, idempotencyKey: null, ...(signal ? { signal } : {}), ...(step.timeout_ms ? { timeoutMs: step.timeout_ms } : {}) });
          const scope = { ...context, status: res.status, body: res.body, headers: res.headers };
          out.outputs = { status: res.status };
          for (const [name, expr] of Object.entries(step.outputs)) out.outputs[name] = (await evaluate(expr, scope, `Output "${name}" of step "${step.id}"`)) ?? null;
          out.state = 'looked_up';
          out.note = 'a lookup: it changes nothing, so it ran for real';
        } else {
          out.state = rule?.then === 'approval' ? 'would_wait' : 'would_run';
          out.note = `${rule ? `policy ${rule.id}: ${rule.reason} (would wait for approval)` : sideEffect ? 'simulated: nothing was sent' : 'simulated'}${guessed}`;
          // Outputs a simulated call would give are unknown: later templates that need them say so instead of a value.
          out.outputs = {};
          simulated.add(step.id);
        }
      }
      context.steps[step.id] = out.outputs;
    } catch (err) {
      out.state = 'failed';
      out.error = toErrorShape(err);
      return finish(steps, ctx.fields, 'escalated', `Step "${step.title ?? step.id}" could not be prepared: ${out.error.message}`);
    }
  }
  return { fields: ctx.fields, missing: [], outcome: 'done', escalation: null, steps };
}

function finish(steps: DryStep[], fields: Record<string, unknown>, outcome: DryRun['outcome'], escalation: string | null): DryRun {
  return { fields, missing: [], outcome, escalation, steps };
}

function describeCall(step: Step, inputs: Record<string, unknown>, key: string | null): string[] {
  switch (step.block) {
    case 'http': {
      const q = inputs.query ? `?${new URLSearchParams(inputs.query as Record<string, string>).toString()}` : '';
      const lines = [`${String(inputs.method)} ${step.connector} ${String(inputs.path)}${q}`];
      if (inputs.body !== undefined) lines.push(`body: ${JSON.stringify(inputs.body)}`);
      if (key) lines.push(`idempotency key: ${key}`);
      return lines;
    }
    case 'browser':
      return (inputs.actions as Record<string, unknown>[]).map((a) => `${step.connector}: ${describeAction(a)}`);
    case 'reply':
      return [`reply ${inputs.public === false ? '(internal note)' : '(public)'}${inputs.status ? `, status ${String(inputs.status)}` : ''}: ${String(inputs.body)}`];
    case 'manual':
      return [`by hand: ${String(inputs.instructions)}`];
    default:
      return [];
  }
}

function target(t: unknown): string {
  const x = (t ?? {}) as Record<string, string | undefined>;
  if (x.role) return `the ${x.role}${x.name ? ` “${x.name}”` : ''}`;
  if (x.label) return `the field labelled “${x.label}”`;
  if (x.placeholder) return `the field with placeholder “${x.placeholder}”`;
  if (x.text) return `the text “${x.text}”`;
  return `the element ${x.selector ?? '?'}`;
}

function describeAction(a: Record<string, unknown>): string {
  if ('goto' in a) return `open ${String(a.goto)}`;
  if ('click' in a) return `click ${target(a.click)}`;
  if ('check' in a) return `tick ${target(a.check)}`;
  if ('wait_for' in a) return `wait for ${target(a.wait_for)}`;
  if ('fill' in a) {
    const f = a.fill as { target: unknown; value: string; secret?: boolean };
    return `type ${f.secret ? '••••••' : `“${f.value}”`} into ${target(f.target)}`;
  }
  if ('select' in a) {
    const s = a.select as { target: unknown; value: string };
    return `choose “${s.value}” in ${target(s.target)}`;
  }
  if ('extract' in a) {
    const e = a.extract as { target: unknown; into: string };
    return `read ${target(e.target)} into ${e.into}`;
  }
  if ('screenshot' in a) return 'take a screenshot';
  return Object.keys(a)[0] ?? '?';
}
