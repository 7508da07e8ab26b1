import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dirs.ts';
import { addIntentExample } from './add-example.ts';

describe('addIntentExample', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.cleanup());

  it('appends to a block list in its own style, every other byte kept', () => {
    const file = join(dir.path, 'm.yaml');
    const before = '# Refunds\nid: refund\nversion: 3\nintent:\n  title: Refund\n  examples:\n    - I want a refund   # the classic\n    - money back please\nfields: []  # none\n';
    writeFileSync(file, before);
    expect(addIntentExample(file, '  Where is: my "refund"?\n- now ')).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(before.replace('    - money back please\n', '    - money back please\n    - "Where is: my \\"refund\\"? - now"\n'));
    expect(addIntentExample(file, 'where is: MY "refund"? - now')).toBe(false); // already there
  });

  it('appends to a flow list', () => {
    const file = join(dir.path, 'm.yaml');
    writeFileSync(file, 'id: x\nintent:\n  examples: [one phrase, two phrase]  # short\n');
    addIntentExample(file, 'three phrase');
    expect(readFileSync(file, 'utf8')).toBe('id: x\nintent:\n  examples: [one phrase, two phrase, "three phrase"]  # short\n');
  });

  it('refuses a file without examples, and leaves it alone', () => {
    const file = join(dir.path, 'm.yaml');
    writeFileSync(file, 'id: x\nintent: {}\n');
    expect(() => addIntentExample(file, 'three phrase')).toThrow(/no intent.examples list/);
    expect(readFileSync(file, 'utf8')).toBe('id: x\nintent: {}\n');
  });
});
