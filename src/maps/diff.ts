// A line diff of two texts (longest common subsequence), shown before a map is saved so the author sees exactly what changes.

export interface DiffLine {
  op: ' ' | '+' | '-';
  text: string;
}

export function diffLines(before: string, after: string): DiffLine[] {
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  // Map files are a few hundred lines at most: the quadratic table is small.
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ op: '-', text: a[i++]! });
    else out.push({ op: '+', text: b[j++]! });
  }
  while (i < n) out.push({ op: '-', text: a[i++]! });
  while (j < m) out.push({ op: '+', text: b[j++]! });
  return out;
}

/** Only the changed lines with `context` lines around them; gaps become one "…" line. */
export function compactDiff(lines: DiffLine[], context = 3): (DiffLine | { op: '…'; text: string })[] {
  const keep = new Set<number>();
  lines.forEach((l, i) => {
    if (l.op !== ' ') for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep.add(k);
  });
  const out: (DiffLine | { op: '…'; text: string })[] = [];
  let gap = false;
  lines.forEach((l, i) => {
    if (keep.has(i)) {
      if (gap) out.push({ op: '…', text: '' });
      gap = false;
      out.push(l);
    } else gap = true;
  });
  if (gap && out.length > 0) out.push({ op: '…', text: '' });
  return out;
}
