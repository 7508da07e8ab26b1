// Adds a phrase to a map's intent.examples (what the local triage learns from) with a surgical edit: the new item is
// written after the last one, in the list's own style (block or flow), so comments and layout stay as written.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isMap, isSeq, parseDocument, type Node } from 'yaml';
import { TandemError } from '../domain/errors.ts';

/** Appends `text` to intent.examples; returns false (and leaves the file alone) when the phrase is already there. */
export function addIntentExample(file: string, text: string): boolean {
  const phrase = text.replace(/\s+/g, ' ').trim();
  if (phrase.length < 3) throw new TandemError('bad_input', 'An example needs at least 3 characters.');
  if (phrase.length > 500) throw new TandemError('bad_input', 'An example is a phrase, not a whole ticket: keep it under 500 characters.');
  const source = readFileSync(file, 'utf8');
  const doc = parseDocument(source, { keepSourceTokens: true });
  if (doc.errors.length > 0) throw new TandemError('workspace_invalid', `${file} is not valid YAML; fix it before changing it from Tandem.`);
  const intent = doc.get('intent', true);
  if (!isMap(intent)) throw new TandemError('workspace_invalid', `${file} has no intent.`);
  const examples = intent.get('examples', true);
  if (!isSeq(examples) || examples.items.length === 0 || !examples.range) throw new TandemError('workspace_invalid', `${file} has no intent.examples list to add to.`);
  if (examples.items.some((i) => String((i as { value?: unknown }).value ?? '').toLowerCase() === phrase.toLowerCase())) return false;
  // JSON string syntax is valid YAML in both styles and needs no thought about colons, quotes or leading dashes.
  const quoted = JSON.stringify(phrase);
  const last = examples.items[examples.items.length - 1] as Node;
  let out: string;
  if (examples.flow) {
    const at = last.range![1];
    out = `${source.slice(0, at)}, ${quoted}${source.slice(at)}`;
  } else {
    const lastEnd = last.range![1];
    const lineStart = source.lastIndexOf('\n', last.range![0] - 1) + 1;
    const dash = source.slice(lineStart, last.range![0]); // "    - " : the indentation and the dash, as written
    const lineEnd = source.indexOf('\n', lastEnd);
    const at = lineEnd < 0 ? source.length : lineEnd;
    out = `${source.slice(0, at)}\n${dash.replace(/[^\s-]/g, ' ')}${quoted}${source.slice(at)}`;
  }
  const check = parseDocument(out);
  const after = (check.toJS() as { intent?: { examples?: unknown[] } }).intent?.examples;
  if (check.errors.length > 0 || !Array.isArray(after) || after[after.length - 1] !== phrase) throw new TandemError('internal', `Adding the example to ${file} would break it; it was left as it was.`);
  const tmp = `${file}.tandem-${process.pid}.tmp`;
  writeFileSync(tmp, out);
  renameSync(tmp, file);
  return true;
}
