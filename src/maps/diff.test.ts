import { describe, expect, it } from 'vitest';
import { compactDiff, diffLines } from './diff.ts';

describe('diffLines', () => {
  it('marks added and removed lines and keeps the rest', () => {
    expect(diffLines('a\nb\nc\n', 'a\nB\nc\nd\n')).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'B' },
      { op: ' ', text: 'c' },
      { op: '+', text: 'd' },
    ]);
    expect(diffLines('', 'x\n')).toEqual([{ op: '+', text: 'x' }]);
  });

  it('shows only the changes with some context', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    const after = before.replace('line 10', 'line ten');
    const c = compactDiff(diffLines(before, after), 1);
    expect(c.map((l) => `${l.op}${l.text}`)).toEqual(['…', ' line 9', '-line 10', '+line ten', ' line 11', '…']);
  });
});
