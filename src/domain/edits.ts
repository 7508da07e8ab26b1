// What an associate's edit of a step changed: the dotted paths of the values that differ between what Tandem suggested
// and what was sent. Pure, so the decisions repository can store them as each edit is written (decision_edit_fields,
// migration 0130) and the dashboard can count them without reading the JSON again.

/** A decision's suggested or final value: JSON when it parses, the text itself when it does not. */
export function parseLoose(s: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return s;
  }
}

/** Which values an edit changed, as dotted paths (body.amount, path); `(value)` when the whole value differs. */
export function changedPaths(a: unknown, b: unknown, prefix = ''): string[] {
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => changedPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], prefix ? `${prefix}.${k}` : k));
  }
  // Two plain JSON values (what most leaves are) are the same exactly when ===, without writing them out as JSON.
  if (plain(a) && plain(b)) return a === b ? [] : [prefix || '(value)'];
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix || '(value)'];
}

const plain = (v: unknown) => v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/**
 * The paths an edit changed, in the order the dashboard meets them (which breaks ties between equally edited fields).
 * A path may appear twice (a key "a.b" beside a nested a.b): each counts, as it always has.
 */
export function editedPaths(suggested: string, final: string): string[] {
  return changedPaths(parseLoose(suggested), parseLoose(final));
}

/**
 * Where a replayed suggestion and what the associate did differ, value by value ("body.amount: 0 → 4200"). Each side is
 * cut to `max` characters (a replay lists many steps on one line each); the review passes Infinity, as it shows a reply
 * body whole. Objects and arrays are written out with `indent` spaces, 0 for one line.
 */
export function valueDifferences(draft: unknown, did: unknown, { max = 160, indent = 0 }: { max?: number; indent?: number } = {}): { path: string; draft: string; associate: string }[] {
  const shown = (value: unknown) => {
    const text = value === undefined ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value, null, indent);
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
  };
  return [...new Set(changedPaths(draft, did))].map((path) => ({ path, draft: shown(valueAt(draft, path)), associate: shown(valueAt(did, path)) }));
}

function valueAt(value: unknown, path: string): unknown {
  if (path === '(value)') return value;
  let at = value;
  for (const key of path.split('.')) at = at && typeof at === 'object' && !Array.isArray(at) ? (at as Record<string, unknown>)[key] : undefined;
  return at;
}
