// Changes a map file the way its author would: a surgical edit of the exact characters concerned, located through the
// YAML document model, so comments, order, spacing and quoting stay byte for byte as written.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import { TandemError } from '../domain/errors.ts';
import { MODES, type StepMode } from './schema.ts';

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Sets one step's mode and bumps the map's version; returns the old mode and the new version. */
export function setStepMode(file: string, stepId: string, mode: StepMode): { previous: StepMode; version: number } {
  if (!MODES.includes(mode)) throw new TandemError('bad_input', `"${mode}" is not a step mode (${MODES.join(', ')}).`);
  const text = readFileSync(file, 'utf8');
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length > 0) throw new TandemError('workspace_invalid', `${file} is not valid YAML; fix it before changing it from Tandem.`);
  const steps = doc.get('steps', true);
  if (!isSeq(steps)) throw new TandemError('workspace_invalid', `${file} has no list of steps.`);
  const step = steps.items.find((item) => isMap(item) && item.get('id') === stepId);
  if (!isMap(step)) throw new TandemError('not_found', `${file} has no step "${stepId}".`);
  const versionNode = doc.get('version', true);
  if (!isScalar(versionNode) || !versionNode.range) throw new TandemError('workspace_invalid', `${file} has no version.`);
  const previous = (step.get('mode') as StepMode | undefined) ?? 'suggest';
  const version = Number(versionNode.value) + 1;

  const edits: Edit[] = [{ start: versionNode.range[0], end: versionNode.range[1], text: String(version) }];
  const pairs = step.items as Pair<Node, Node>[];
  const modePair = pairs.find((p) => isScalar(p.key) && p.key.value === 'mode');
  if (modePair && mode === 'suggest') {
    // suggest is the default: remove the line, leaving the file as tidy as before the promotion.
    const start = lineStart(text, (modePair.key as Node).range![0]);
    edits.push({ start, end: lineEnd(text, modePair.value!.range![1]) + 1, text: '' });
  } else if (modePair) {
    edits.push({ start: modePair.value!.range![0], end: modePair.value!.range![1], text: mode });
  } else if (mode !== 'suggest') {
    // A new key goes right under the block, where a reader looks for it, at the same indentation.
    const anchor = pairs.find((p) => isScalar(p.key) && p.key.value === 'block') ?? pairs[0]!;
    const keyStart = (anchor.key as Node).range![0];
    const indent = ' '.repeat(keyStart - lineStart(text, keyStart));
    const at = lineEnd(text, anchor.value!.range![1]);
    edits.push({ start: at, end: at, text: `\n${indent}mode: ${mode}` });
  }
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  if (parseDocument(out).errors.length > 0) throw new TandemError('internal', `Changing ${file} would break it; it was left as it was.`);
  // Written beside the file and renamed: a crash never leaves half a map.
  const tmp = `${file}.tandem-${process.pid}.tmp`;
  writeFileSync(tmp, out);
  renameSync(tmp, file);
  return { previous, version };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i;
}
