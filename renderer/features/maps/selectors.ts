// Pure helpers of the builder: moving and adding steps, issues per input, the references a step may use.
import type { MapCheck, MapReference } from '../../../src/contract/index.ts';
import { changedPaths } from '../../../src/domain/edits.ts';

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

/** Where a replayed suggestion and what the associate did differ, value by value ("body.amount: 0 → 4200"). */
export function replayDifferences(draft: unknown, did: unknown): { path: string; draft: string; associate: string }[] {
  return [...new Set(changedPaths(draft, did))].map((path) => ({ path, draft: shown(valueAt(draft, path)), associate: shown(valueAt(did, path)) }));
}

function valueAt(value: unknown, path: string): unknown {
  if (path === '(value)') return value;
  let at = value;
  for (const key of path.split('.')) at = at && typeof at === 'object' && !Array.isArray(at) ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}

function shown(value: unknown): string {
  const text = value === undefined ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}
