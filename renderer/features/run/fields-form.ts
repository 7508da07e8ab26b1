// The run's fields as a form: one box per field the map reads from a ticket, typed as the map declares it, so a
// person supplies the order number Tandem could not find without writing JSON.
import type { Run } from '../../../src/contract/index.ts';

export type FieldDef = NonNullable<Run['mapFields']>[number];

/** The fields to offer: the map's (required first), else whatever the run holds. */
export function fieldsToOffer(run: Pick<Run, 'fields' | 'mapFields'>): FieldDef[] {
  const defs = run.mapFields ?? Object.keys(run.fields).map((name) => ({ name, type: 'string', required: false }));
  return [...defs].sort((a, b) => Number(b.required) - Number(a.required));
}

export function shownValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

/**
 * The fields to send: only those the person changed, typed as declared (numbers and money as numbers); or the first
 * problem (a required field left empty, a number that is not one).
 */
export function fieldsFromForm(defs: readonly FieldDef[], current: Readonly<Record<string, unknown>>, typed: Readonly<Record<string, string>>): { fields: Record<string, unknown> } | { problem: string } {
  const out: Record<string, unknown> = {};
  for (const d of defs) {
    const raw = (typed[d.name] ?? shownValue(current[d.name])).trim();
    if (raw === '') {
      if (d.required) return { problem: `${d.name.replace(/_/g, ' ')} is needed for this map${d.description ? ` (${d.description})` : ''}.` };
      if (typed[d.name] !== undefined && current[d.name] !== undefined && current[d.name] !== null) out[d.name] = null;
      continue;
    }
    if (typed[d.name] === undefined) continue; // unchanged
    if (d.type === 'number' || d.type === 'money') {
      const n = Number(raw.replace(/^[$€£]\s*/, '').replace(/,/g, ''));
      if (!Number.isFinite(n)) return { problem: `${d.name.replace(/_/g, ' ')} must be a number; you typed “${raw}”.` };
      out[d.name] = n;
    } else out[d.name] = raw;
  }
  return { fields: out };
}
