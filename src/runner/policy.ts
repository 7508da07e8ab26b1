// A map's policy rules, evaluated the same way by the runner and by dry runs: against the run's context plus the step
// about to act and exactly what it would send (`step.id`, `step.inputs`), so a rule can bound what an associate's
// edit sends, not only what Tandem first suggested.
import { evaluate } from '../maps/expressions.ts';
import type { Policy } from '../maps/schema.ts';
import type { RunContext } from './prepare.ts';

export interface PolicyHit {
  then: Policy['then'];
  reason: string;
  id: string;
}

export const truthy = (v: unknown) => v !== undefined && v !== null && v !== false && v !== 0 && v !== '' && !(Array.isArray(v) && v.length === 0);

/** The scope a rule reads before a step acts: the run's context and `step: { id, inputs }`. */
export function policyScope(ctx: RunContext, stepId: string, inputs: Record<string, unknown>): RunContext & { step: { id: string; inputs: Record<string, unknown> } } {
  return { ...ctx, step: { id: stepId, inputs } };
}

/**
 * The rule that decides what happens before a step acts, or null: one that forbids outranks one that escalates, which
 * outranks one that asks for approval. `covered` says whether an approval rule is already satisfied (a lead approved
 * exactly these inputs), in which case it does not count.
 */
export async function policyHit(policy: readonly Policy[], scope: object, covered: () => boolean = () => false): Promise<PolicyHit | null> {
  const hits: PolicyHit[] = [];
  for (const rule of policy) {
    if (!truthy(await evaluate(rule.when, scope, `Policy "${rule.id}"`))) continue;
    if (rule.then === 'approval' && covered()) continue;
    hits.push({ then: rule.then, reason: rule.reason, id: rule.id });
  }
  const rank = { block: 0, escalate: 1, approval: 2 } as const;
  return hits.sort((a, b) => rank[a.then] - rank[b.then])[0] ?? null;
}

/** JSON with object keys sorted: an approval matches the inputs it approved whatever order their keys were typed in. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    return v;
  };
  return JSON.stringify(sort(value ?? null));
}
