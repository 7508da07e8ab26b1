// Pure helpers of the builder: moving and adding steps, issues per input, the references a step may use.
import type { MapCheck, MapReference } from '../../../src/contract/index.ts';

export type Draft = Record<string, unknown> & { steps?: Record<string, unknown>[] };
export type Issue = MapCheck['issues'][number];

export function stepsOf(draft: Draft): Record<string, unknown>[] {
  return Array.isArray(draft.steps) ? draft.steps : [];
}

/** Moves a step from one place to another; every other step keeps its order. */
export function moveStep(draft: Draft, from: number, to: number): Draft {
  const steps = [...stepsOf(draft)];
  if (from < 0 || from >= steps.length || to < 0 || to >= steps.length || from === to) return draft;
  const [step] = steps.splice(from, 1);
  steps.splice(to, 0, step!);
  return { ...draft, steps };
}

export function freeId(base: string, taken: string[]): string {
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base}_${n}`)) return `${base}_${n}`;
}

/** A new step from a palette template, with an id not used yet, inserted at `at` (the end by default). */
export function addStep(draft: Draft, template: Record<string, unknown>, at?: number): { draft: Draft; index: number } {
  const steps = [...stepsOf(draft)];
  const block = String(template.block);
  const id = freeId(block === 'http' ? 'call' : block, steps.map((s) => String(s.id)));
  const index = at === undefined ? steps.length : Math.max(0, Math.min(at, steps.length));
  steps.splice(index, 0, { id, ...structuredClone(template) });
  return { draft: { ...draft, steps }, index };
}

export function removeStep(draft: Draft, index: number): Draft {
  return { ...draft, steps: stepsOf(draft).filter((_, i) => i !== index) };
}

export function updateStep(draft: Draft, index: number, patch: Record<string, unknown>): Draft {
  return {
    ...draft,
    steps: stepsOf(draft).map((s, i) => {
      if (i !== index) return s;
      const next: Record<string, unknown> = { ...s, ...patch };
      // An emptied optional input leaves the file, instead of an empty key.
      for (const [k, v] of Object.entries(patch)) if (v === undefined || v === '') delete next[k];
      return next;
    }),
  };
}

/** Issues about one place: ['steps', 2, 'connector'] matches issues at that path or below it. */
export function issuesAt(issues: readonly Issue[], ...path: (string | number)[]): Issue[] {
  return issues.filter((i) => path.every((p, k) => i.at[k] === p));
}

/** What the picker offers at a step: exactly what the core says is available there. */
export function referencesFor(check: MapCheck | null, index: number): MapReference[] {
  if (!check) return [];
  return check.available[Math.min(index, check.available.length - 1)] ?? [];
}

/** Steps that a condition can skip to: the later ones only, as the loader demands. */
export function laterSteps(draft: Draft, index: number): string[] {
  return stepsOf(draft)
    .slice(index + 1)
    .map((s) => String(s.id));
}

/** For each step id: the conditions that skip to it, to draw the branch. */
export function branchTargets(draft: Draft): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const s of stepsOf(draft)) {
    const otherwise = s.else as { skip_to?: unknown } | undefined;
    if (s.block === 'condition' && otherwise && typeof otherwise.skip_to === 'string') (out[otherwise.skip_to] ??= []).push(String(s.id));
  }
  return out;
}
