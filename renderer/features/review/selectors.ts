// What a review card says about a decision: the titles of its two sides and its values as a person reads them.
import type { ReviewItem } from '../../../src/contract/index.ts';

type Sides = Pick<ReviewItem, 'kind' | 'verdict' | 'actor'>;

/** The headings over what Tandem proposed and what came of it, in the words of what happened. */
export function sideTitles(item: Sides): { suggested: string; final: string } {
  if (item.kind === 'revert') return { suggested: 'Tandem sent on its own', final: 'What stands' };
  if (item.actor.startsWith('tandem')) return { suggested: 'Tandem suggested', final: 'What happened' };
  if (item.verdict === 'edited') return { suggested: 'Tandem suggested', final: 'The associate sent' };
  if (item.verdict === 'manual') return { suggested: 'Tandem suggested', final: 'Done by hand with' };
  return { suggested: 'Tandem suggested', final: 'The associate did instead' };
}

/**
 * Whether the card compares values: a step edited, or done by hand with values of its own (as the core computes the
 * differences for). A skip, an escalation, a triage override or a revert has nothing sent instead to compare.
 */
export function comparesValues(item: Pick<ReviewItem, 'kind' | 'verdict' | 'final' | 'differences'>): boolean {
  if (item.differences.length > 0) return true;
  return (item.kind === 'step' || item.kind === 'escalation') && (item.verdict === 'edited' || item.verdict === 'manual') && item.final !== 'null';
}

/** A JSON value as a person reads it: a string as itself, an object as its fields, one a line. */
export function readable(value: string): string {
  try {
    const v = JSON.parse(value) as unknown;
    if (v === null) return '(nothing)';
    if (typeof v === 'string') return v;
    // Text as text: a reply's body reads as the customer would see it.
    if (typeof v === 'object' && !Array.isArray(v)) return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${typeof x === 'string' ? x : JSON.stringify(x, null, 2)}`).join('\n');
    return JSON.stringify(v, null, 2);
  } catch {
    return value;
  }
}

/** The whole value as indented JSON, for the lead who wants every field exactly; text that is not JSON as itself. */
export function prettyJson(value: string): string {
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}

/** A difference's path as a heading: `(value)` is the value as a whole. */
export const pathLabel = (path: string) => (path === '(value)' ? 'the whole value' : path);
