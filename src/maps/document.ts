// The builder's model of a map file: the raw YAML value it edits, and the way a changed value is written back through
// the YAML document model, node by node, so the author's comments, key order, quoting and blank lines stay where they were.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { TandemError } from '../domain/errors.ts';
import { CannotSplice, spliceValue } from './splice.ts';

export interface MapDocument {
  /** The file's text as read ('' for a map that has no file yet). */
  text: string;
  /** sha256 of the text: what a save compares with the file on disk. */
  hash: string;
  /** The raw value the builder edits (no defaults filled in, so saving adds nothing the author did not write). */
  value: Record<string, unknown>;
  exists: boolean;
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function readMapDocument(file: string, displayName: string): MapDocument {
  const exists = existsSync(file);
  const text = exists ? readFileSync(file, 'utf8') : '';
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new TandemError('workspace_invalid', `${displayName} is not valid YAML (${doc.errors[0]!.message.split('\n')[0]}), so the builder cannot open it.`, {
      hint: 'Fix the file by hand (the workspace problems say where), then open it again.',
    });
  }
  const raw: unknown = doc.toJS() ?? {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new TandemError('workspace_invalid', `${displayName} does not hold a map (expected keys like id:, intent:, steps:).`, { hint: 'Fix the file by hand, or remove it and start a new map.' });
  }
  return { text, hash: hashText(text), value: raw as Record<string, unknown>, exists };
}

/**
 * The new text of a map file: `text` with its value changed to `value`. Unchanged nodes are left untouched; steps are
 * matched by id so a moved step takes its comments along. With `value` equal to what `text` holds, the text comes back
 * byte for byte.
 */
export function applyValue(text: string, value: Record<string, unknown>): string {
  try {
    const spliced = spliceValue(text, value);
    // Trust a splice only when the file it makes reads back as exactly the value asked for.
    const check = parseDocument(spliced);
    if (check.errors.length === 0 && JSON.stringify(check.toJS()) === JSON.stringify(value)) return spliced;
  } catch (err) {
    if (!(err instanceof CannotSplice)) throw err;
  }
  // A shape the splicer does not know: the document model writes it, comments kept, spacing its own.
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) throw new TandemError('workspace_invalid', 'The map file is not valid YAML; fix it by hand before saving from the builder.');
  if (doc.contents === null || !isMap(doc.contents)) {
    doc.contents = doc.createNode(value) as unknown as typeof doc.contents;
  } else {
    doc.contents = update(doc, doc.contents, value) as unknown as typeof doc.contents;
  }
  const out = doc.toString({ lineWidth: 0 });
  const back = parseDocument(out);
  if (back.errors.length > 0 || JSON.stringify(back.toJS()) !== JSON.stringify(value)) {
    throw new TandemError('internal', 'Tandem could not write this change without altering something else in the file; nothing was saved.', { hint: 'Make this change by hand in the file.' });
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function update(doc: Document, node: Node | null | undefined, value: unknown): Node {
  if (node && same(node.toJSON(), value)) return node;
  if (node && isMap(node) && isPlainObject(value)) {
    const keep = new Set<string>();
    node.items = node.items.filter((pair) => {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (!Object.hasOwn(value, key) || value[key] === undefined) return false;
      keep.add(key);
      pair.value = update(doc, pair.value as Node | null, value[key]);
      return true;
    });
    for (const [key, v] of Object.entries(value)) {
      if (keep.has(key) || v === undefined) continue;
      const pair = doc.createPair(key, v);
      node.items.push(pair as (typeof node.items)[number]);
    }
    return node;
  }
  if (node && isSeq(node) && Array.isArray(value)) {
    const old = node.items as (Node | null)[];
    const idOf = (n: unknown) => (isMap(n) ? n.get('id') : undefined);
    const byId = new Map<unknown, Node>();
    for (const n of old) if (n && idOf(n) !== undefined) byId.set(idOf(n), n);
    const used = new Set<Node>();
    node.items = value.map((v, i) => {
      const id = isPlainObject(v) ? v.id : undefined;
      let match: Node | null | undefined = id !== undefined ? byId.get(id) : undefined;
      // Without ids (examples, actions) items are matched by place, unless that item already went elsewhere.
      if (!match && id === undefined && old[i] && !used.has(old[i]!) && idOf(old[i]) === undefined) match = old[i];
      if (match) used.add(match);
      return update(doc, match ?? null, v);
    });
    return node;
  }
  if (node && isScalar(node) && (value === null || typeof value !== 'object')) {
    node.value = value;
    return node;
  }
  const created = doc.createNode(value) as Node;
  // Small targets read best on one line, as authors write them: { role: link, name: Edit }.
  if (isMap(created) && created.items.length <= 3 && created.items.every((p) => isPair(p) && isScalar(p.value))) created.flow = true;
  return created;
}

/** Writes beside the file and renames, so a crash never leaves half a map. */
export function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tandem-${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
