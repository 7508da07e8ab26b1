// Writes a changed map value into its file's text as a set of splices located through the YAML document model: only
// the characters of what changed are rewritten, so comments, spacing, quoting and blank lines stay byte for byte.
// Steps (and any list item) move as whole blocks of lines with the comments above them.
import { Document, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Thrown for a shape the splicer does not handle; the caller falls back to the document model's own writer. */
export class CannotSplice extends Error {}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalarValue = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

export function spliceValue(text: string, value: Record<string, unknown>): string {
  if (text.trim() === '') return `${renderBlock(value, 0)}\n`;
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) throw new CannotSplice('not a map document');
  const edits = editNode(text, doc.contents, value, false);
  return applyEdits(text, edits, 0);
}

function applyEdits(text: string, edits: Edit[], offset: number): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start - offset) + e.text + out.slice(e.end - offset);
  return out;
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** The offset just past the end of the line holding `at - 1` (a node's end): where the next line starts. */
function afterLine(text: string, end: number): number {
  if (end > 0 && text[end - 1] === '\n') return end;
  const i = text.indexOf('\n', end);
  return i < 0 ? text.length : i + 1;
}

function range(node: Node | null | undefined): [number, number] {
  if (!node?.range) throw new CannotSplice('node without a source range');
  return [node.range[0], node.range[1]];
}

function editNode(text: string, node: Node, value: unknown, inFlow: boolean): Edit[] {
  if (same(node.toJSON(), value)) return [];
  const [start, end] = range(node);
  if (isScalar(node) && isScalarValue(value)) return [{ start, end, text: renderScalar(text, node, value, inFlow) }];
  if ((isMap(node) || isSeq(node)) && node.flow) {
    if ((isMap(node) && isObj(value)) || (isSeq(node) && Array.isArray(value))) return [{ start, end, text: renderFlow(value) }];
    throw new CannotSplice('a flow collection changed kind');
  }
  if (isMap(node) && isObj(value)) return editMap(text, node, value);
  if (isSeq(node) && Array.isArray(value)) return editSeq(text, node, value);
  throw new CannotSplice('a value changed kind');
}

function keyOf(pair: Pair): string {
  if (!isScalar(pair.key)) throw new CannotSplice('a key that is not a scalar');
  return String(pair.key.value);
}

function editMap(text: string, node: YAMLMap, value: Record<string, unknown>): Edit[] {
  const pairs = node.items as Pair<Node, Node | null>[];
  if (pairs.length === 0) throw new CannotSplice('an empty block map');
  const edits: Edit[] = [];
  const col = range(pairs[0]!.key)[0] - lineStart(text, range(pairs[0]!.key)[0]);
  const seen = new Set<string>();
  for (const pair of pairs) {
    const key = keyOf(pair);
    seen.add(key);
    const [kStart, kEnd] = range(pair.key);
    const vEnd = pair.value?.range ? pair.value.range[1] : kEnd;
    if (!Object.hasOwn(value, key) || value[key] === undefined) {
      edits.push({ start: lineStart(text, kStart), end: afterLine(text, vEnd), text: '' });
      continue;
    }
    const next = value[key];
    const v = pair.value;
    const emptyCollection = (Array.isArray(next) && next.length === 0) || (isObj(next) && Object.keys(next).length === 0);
    const fits = v && ((isScalar(v) && isScalarValue(next)) || (isMap(v) && isObj(next) && (v.flow || !emptyCollection)) || (isSeq(v) && Array.isArray(next) && (v.flow || !emptyCollection)));
    if (fits) {
      edits.push(...editNode(text, v, next, false));
    } else if (!same(v?.toJSON() ?? null, next)) {
      // The value changes kind (a text becomes a list…): the value is written anew after its key.
      const end = v?.range && text[v.range[1] - 1] === '\n' ? v.range[1] - 1 : vEnd;
      edits.push({ start: kEnd, end, text: `:${renderAfterColon(next, col)}` });
    }
  }
  const added = Object.entries(value).filter(([k, v]) => !seen.has(k) && v !== undefined);
  if (added.length > 0) {
    const last = pairs[pairs.length - 1]!;
    const at = afterLine(text, last.value?.range ? last.value.range[1] : range(last.key)[1]);
    const lines = added.map(([k, v]) => `${' '.repeat(col)}${renderKey(k)}:${renderAfterColon(v, col)}\n`).join('');
    edits.push({ start: at, end: at, text: (at > 0 && text[at - 1] !== '\n' ? '\n' : '') + lines });
  }
  return edits;
}

function editSeq(text: string, node: YAMLSeq, value: unknown[]): Edit[] {
  const items = node.items as Node[];
  if (items.length === 0) throw new CannotSplice('an empty block list');
  const idOf = (n: Node) => (isMap(n) ? n.get('id') : undefined);
  const byId = new Map<unknown, number>();
  items.forEach((n, i) => idOf(n) !== undefined && byId.set(idOf(n), i));
  const used = new Set<number>();
  const plan = value.map((v, i) => {
    const id = isObj(v) ? v.id : undefined;
    let from: number | undefined = id !== undefined ? byId.get(id) : undefined;
    if (from === undefined && id === undefined && i < items.length && idOf(items[i]!) === undefined && !used.has(i)) from = i;
    if (from !== undefined && used.has(from)) from = undefined;
    if (from !== undefined) used.add(from);
    return { from, v };
  });
  if (plan.length === items.length && plan.every((p, i) => p.from === i)) return plan.flatMap((p, i) => editNode(text, items[i]!, p.v, false));

  // Items are added, removed or moved: the list is rebuilt from blocks of lines, each item with the comments above it.
  const first = range(items[0]!)[0];
  const dashCol = text.slice(lineStart(text, first), first).indexOf('-');
  if (dashCol < 0) throw new CannotSplice('a list item without a dash on its line');
  const starts = items.map((n, i) => {
    let s = lineStart(text, range(n)[0]);
    // Blank and comment lines directly above an item belong to it.
    for (;;) {
      const prev = lineStart(text, s - 1);
      if (prev >= s || s === 0) break;
      const line = text.slice(prev, s - 1).trim();
      if (line !== '' && !line.startsWith('#')) break;
      if (i > 0 && prev <= range(items[i - 1]!)[1] - 1) break;
      s = prev;
    }
    return s;
  });
  const lastEnd = afterLine(text, range(items[items.length - 1]!)[1]);
  const blocks = items.map((n, i) => {
    const s = starts[i]!;
    const e = i + 1 < items.length ? starts[i + 1]! : lastEnd;
    return { s, e, n };
  });
  const parts = plan.map(({ from, v }) => {
    if (from === undefined) return `${renderBlock([v], dashCol)}\n`;
    const b = blocks[from]!;
    let t = applyEdits(text.slice(b.s, b.e), editNode(text, b.n, v, false), b.s);
    if (!t.endsWith('\n')) t += '\n';
    return t;
  });
  let out = parts.join('');
  if (lastEnd === text.length && !text.endsWith('\n')) out = out.replace(/\n$/, '');
  return [{ start: blocks[0]!.s, end: lastEnd, text: out }];
}

function renderKey(k: string): string {
  return /^[A-Za-z_][\w-]*$/.test(k) ? k : JSON.stringify(k);
}

/** A scalar in the style it had when that style can hold the new value, else the plainest that can. */
function renderScalar(text: string, node: Scalar, value: unknown, inFlow: boolean): string {
  const old = node.type;
  if (typeof value === 'string' && (value.includes('\n') || old === Scalar.BLOCK_LITERAL || old === Scalar.BLOCK_FOLDED)) {
    if (!value.includes('\n') && old !== Scalar.BLOCK_LITERAL && old !== Scalar.BLOCK_FOLDED) return inline(value, old, inFlow);
    const [start, end] = range(node);
    // Keep the block's own indentation when it had content lines.
    const body = text.slice(start, end).split('\n').slice(1).find((l) => l.trim() !== '');
    const indent = body ? body.length - body.trimStart().length : start - lineStart(text, start) + 2;
    return blockLiteral(value, indent) + (text[end - 1] === '\n' ? '\n' : '');
  }
  return inline(value, old, inFlow);
}

function blockLiteral(value: string, indent: number): string {
  const trailing = /\n+$/.exec(value)?.[0].length ?? 0;
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
  const lines = value.replace(/\n+$/, '').split('\n');
  return `|${chomp}\n${lines.map((l) => (l === '' ? '' : ' '.repeat(indent) + l)).join('\n')}${'\n'.repeat(Math.max(0, trailing - 1))}`;
}

function inline(value: unknown, old: Scalar['type'], inFlow: boolean): string {
  if (typeof value !== 'string') return value === null ? 'null' : String(value);
  const candidates: string[] = [];
  const plain = value;
  const single = `'${value.replaceAll("'", "''")}'`;
  const double = JSON.stringify(value);
  if (old === Scalar.QUOTE_SINGLE) candidates.push(single);
  if (old === Scalar.QUOTE_DOUBLE) candidates.push(double);
  candidates.push(plain, single, double);
  for (const c of candidates) if (reads(c, value, inFlow)) return c;
  return double;
}

function reads(text: string, value: string, inFlow: boolean): boolean {
  if (text.includes('\n')) return false;
  const probe = inFlow ? `k: [${text}]` : `k: ${text}`;
  const doc = parseDocument(probe);
  if (doc.errors.length > 0) return false;
  const got = (doc.toJS() as { k: unknown }).k;
  return inFlow ? Array.isArray(got) && got.length === 1 && got[0] === value : got === value;
}

function renderAfterColon(value: unknown, col: number): string {
  if (isScalarValue(value)) {
    if (typeof value === 'string' && value.includes('\n')) return ` ${blockLiteral(value, col + 2)}`;
    return ` ${inline(value, Scalar.PLAIN, false)}`;
  }
  if (Array.isArray(value) && value.length === 0) return ' []';
  if (isObj(value) && (Object.keys(value).length === 0 || smallFlat(value))) return ` ${renderFlow(value)}`;
  return `\n${renderBlock(value, col + 2)}`;
}

function smallFlat(v: Record<string, unknown>): boolean {
  const entries = Object.entries(v);
  return entries.length <= 3 && entries.every(([, x]) => isScalarValue(x) && !(typeof x === 'string' && x.includes('\n')));
}

/** A new value as its author would write it: block style, small flat maps inside on one line ({ role: link, name: Edit }). */
export function renderBlock(value: unknown, indent: number): string {
  const doc = new Document(value);
  const visit = (n: unknown, parentIsSeq: boolean, depth: number) => {
    if (isMap(n)) {
      const flat = n.items.length <= 3 && n.items.every((p) => isPair(p) && isScalar(p.value) && !String((p.value as Scalar).value ?? '').includes('\n'));
      if (flat && !parentIsSeq && depth > 0) n.flow = true;
      for (const p of n.items) if (isPair(p)) visit(p.value, false, depth + 1);
    } else if (isSeq(n)) for (const x of n.items) visit(x, true, depth + 1);
  };
  visit(doc.contents, false, 0);
  const out = doc.toString({ lineWidth: 0 }).replace(/\n$/, '');
  return out
    .split('\n')
    .map((l) => (l === '' ? '' : ' '.repeat(indent) + l))
    .join('\n');
}

function renderFlow(value: unknown): string {
  const doc = new Document(value);
  if (isMap(doc.contents) || isSeq(doc.contents)) doc.contents.flow = true;
  return doc.toString({ lineWidth: 0 }).replace(/\n$/, '');
}
