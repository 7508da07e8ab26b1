// Checks a map beyond its shape: connectors exist and fit the block, expressions parse, and every reference points at something an earlier step makes.
import { checkExpression, expressionsIn, referencesOf } from './expressions.ts';
import { hasSideEffect, outputsOf, type ProcessMap, type Step } from './schema.ts';

export interface MapIssue {
  path: (string | number)[];
  message: string;
  hint?: string;
}

export interface ConnectorInfo {
  id: string;
  type: 'http' | 'browser';
}

export function validateMap(map: ProcessMap, connectors: readonly ConnectorInfo[]): MapIssue[] {
  const issues: MapIssue[] = [];
  const byId = new Map(connectors.map((c) => [c.id, c]));
  const fieldNames = new Set(map.fields.map((f) => f.name));
  const seen = new Map<string, number>();

  map.steps.forEach((step, i) => {
    const at = (...rest: (string | number)[]) => ['steps', i, ...rest];
    if (seen.has(step.id)) issues.push({ path: at('id'), message: `step id "${step.id}" is used twice (first at steps[${seen.get(step.id)}])`, hint: 'give each step its own id' });
    seen.set(step.id, i);

    if (step.block === 'http' || step.block === 'browser') {
      const c = byId.get(step.connector);
      if (!c) issues.push({ path: at('connector'), message: `unknown connector "${step.connector}"`, hint: `add connectors/${step.connector}.yaml, or use one of: ${[...byId.keys()].join(', ') || 'none defined'}` });
      else if (c.type !== step.block) issues.push({ path: at('connector'), message: `a ${step.block} step needs a ${step.block} connector; "${c.id}" is ${c.type}` });
    }
    if (step.block === 'http' && hasSideEffect(step) && !step.idempotency_key) {
      issues.push({ path: at('idempotency_key'), message: 'a step that changes something needs an idempotency_key', hint: 'e.g. "refund-{{ ticket.id }}-{{ fields.order_id }}" so a retry never does it twice' });
    }
    if (step.block === 'condition' && 'skip_to' in step.else) {
      const target = map.steps.findIndex((s) => s.id === (step.else as { skip_to: string }).skip_to);
      if (target <= i) issues.push({ path: at('else', 'skip_to'), message: target < 0 ? `no step "${step.else.skip_to}" in this map` : 'skip_to must name a later step', hint: 'maps only move forward' });
    }

    for (const { path, expr } of expressionsOfStep(step)) {
      const bad = checkExpression(expr);
      if (bad) {
        issues.push({ path: at(...path), message: `"${expr}" is not a valid expression: ${bad.message}`, hint: 'expressions are JSONata: https://docs.jsonata.org' });
        continue;
      }
      // http outputs read the response; everything else reads the run's context.
      if (step.block === 'http' && path[0] === 'outputs') continue;
      for (const ref of referencesOf(expr)) {
        const problem = checkReference(ref, i, map.steps, fieldNames);
        if (problem) issues.push({ path: at(...path), message: problem.message, ...(problem.hint ? { hint: problem.hint } : {}) });
      }
    }
  });

  map.policy.forEach((rule, i) => {
    const bad = checkExpression(rule.when);
    if (bad) issues.push({ path: ['policy', i, 'when'], message: `"${rule.when}" is not a valid expression: ${bad.message}` });
    else
      for (const ref of referencesOf(rule.when)) {
        const problem = checkReference(ref, map.steps.length, map.steps, fieldNames);
        if (problem) issues.push({ path: ['policy', i, 'when'], message: problem.message, ...(problem.hint ? { hint: problem.hint } : {}) });
      }
  });
  return issues;
}

function checkReference(ref: string[], stepIndex: number, steps: readonly Step[], fields: ReadonlySet<string>): { message: string; hint?: string } | null {
  const [root, name, output] = ref;
  if (root === 'fields' && name !== undefined && !fields.has(name)) {
    return { message: `fields.${name} is not a field of this map`, hint: `declare it under fields:, or use one of: ${[...fields].join(', ') || 'none'}` };
  }
  if (root !== 'steps' || name === undefined) return null;
  const index = steps.findIndex((s) => s.id === name);
  if (index < 0) return { message: `steps.${name} does not exist in this map` };
  if (index >= stepIndex) return { message: `steps.${name} runs later, so its outputs are not there yet`, hint: 'move the step, or read something an earlier step makes' };
  if (output !== undefined && !outputsOf(steps[index]!).includes(output)) {
    return { message: `steps.${name} makes no output "${output}"`, hint: `it makes: ${outputsOf(steps[index]!).join(', ') || 'nothing'}` };
  }
  return null;
}

/** Every expression a step holds, with where it sits: plain expressions and those inside {{ }} templates. */
export function expressionsOfStep(step: Step): { path: (string | number)[]; expr: string }[] {
  const out: { path: (string | number)[]; expr: string }[] = [];
  const templates = (value: unknown, path: (string | number)[]) => {
    if (typeof value === 'string') for (const expr of expressionsIn(value)) out.push({ path, expr });
    else if (Array.isArray(value)) value.forEach((v, i) => templates(v, [...path, i]));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) templates(v, [...path, k]);
  };
  if (step.when) out.push({ path: ['when'], expr: step.when });
  switch (step.block) {
    case 'http':
      for (const [k, v] of Object.entries(step.outputs)) out.push({ path: ['outputs', k], expr: v });
      templates({ path: step.path, query: step.query, headers: step.headers, body: step.body, idempotency_key: step.idempotency_key, describe: step.describe }, []);
      break;
    case 'browser':
      templates(step.actions, ['actions']);
      break;
    case 'condition':
      out.push({ path: ['if'], expr: step.if });
      templates(step.else, ['else']);
      break;
    case 'approval':
      out.push({ path: ['needed_when'], expr: step.needed_when });
      templates(step.reason, ['reason']);
      break;
    case 'reply':
      templates(step.body, ['body']);
      break;
    case 'manual':
      templates(step.instructions, ['instructions']);
      break;
    case 'set':
      for (const [k, v] of Object.entries(step.values)) out.push({ path: ['values', k], expr: v });
      break;
  }
  // Paths from templates() start at the top of the step object, which is where we want them.
  return out;
}
