// Expressions and {{ }} templates over JSONata: a safe, well-known language (never eval), compiled once, evaluated with a time limit.
import jsonata from 'jsonata';
import { TandemError } from '../domain/errors.ts';

type Compiled = ReturnType<typeof jsonata>;
const cache = new Map<string, Compiled>();
const TEMPLATE = /\{\{([\s\S]+?)\}\}/g;

export interface ExpressionError {
  message: string;
  position: number | undefined;
}

/** Compiles an expression, or says why it is not one. */
export function checkExpression(expr: string): ExpressionError | null {
  try {
    compile(expr);
    return null;
  } catch (err) {
    const e = err as { message: string; position?: number };
    return { message: e.message, position: e.position };
  }
}

function compile(expr: string): Compiled {
  let c = cache.get(expr);
  if (!c) {
    c = withFunctions(jsonata(expr));
    cache.set(expr, c);
  }
  return c;
}

function withFunctions(c: Compiled): Compiled {
  // JSONata's own base64 functions are Latin-1 only: helpdesk bodies are UTF-8 (accents, dashes, emoji).
  c.registerFunction('base64decode', (s?: string) => (s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8')), '<s-:s>');
  c.registerFunction('base64encode', (s?: string) => (s === undefined ? undefined : Buffer.from(s, 'utf8').toString('base64')), '<s-:s>');
  return c;
}

export async function evaluate(expr: string, context: object, where = 'an expression'): Promise<unknown> {
  return run(compiled(expr, compile, where), context, where);
}

function compiled(expr: string, make: (expr: string) => Compiled, where: string): Compiled {
  try {
    return make(expr);
  } catch (err) {
    throw new TandemError('bad_input', `${where} is not a valid expression: ${(err as Error).message}`, { cause: err });
  }
}

async function run(c: Compiled, context: object, where: string, bindings?: Record<string, unknown>): Promise<unknown> {
  try {
    const value: unknown = await c.evaluate(context, bindings);
    return normalise(value);
  } catch (err) {
    throw new TandemError('bad_input', `${where} failed: ${(err as Error).message}`, { hint: 'Check the values it uses; edit them before accepting.', cause: err });
  }
}

/** JSONata returns its own array subclass with extra flags; plain JSON values are what gets stored and compared. */
function normalise(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value)) as unknown;
}

export function expressionsIn(template: string): string[] {
  return [...template.matchAll(TEMPLATE)].map((m) => m[1]!.trim());
}

/**
 * A `{{ }}` that may leave a gap in what a template renders: it gives nothing (undefined, null, an empty list), a blank
 * text or the text "null"; it reads a step output or a field that is missing where that value goes into the result; or
 * it fails because of such a value (`null / 100`).
 */
export interface Hole {
  /** The expression between {{ }}. */
  expression: string;
  /** Where the template is, as given to render (`Step "Tell the customer" body`). */
  where: string;
  /** What the expression gave, before it became text. */
  value: unknown;
  /**
   * The `steps.…` and `fields.…` it read that were absent or null where their value goes into the result (e.g.
   * ['steps', 'find_order', 'carrier']). Values that are only tested — `$exists(…)`, `x ?: y`, the condition of `? :`, a
   * comparison, a filter — are not listed: testing for a missing value is how a template offers an alternative.
   */
  missing: string[][];
}

/** Decides about a hole: throw to refuse the template, or return text to put in its place (undefined: keep the value). */
export type HoleHandler = (hole: Hole) => string | undefined | Promise<string | undefined>;

/**
 * Renders `{{ }}` in strings anywhere inside a value. A string that is one whole `{{ }}` keeps the expression's type.
 * With `onHole`, every `{{ }}` that leaves a gap is shown to it first (see Hole); without it a gap renders as ''.
 */
export async function render(value: unknown, context: object, where = 'a template', onHole?: HoleHandler): Promise<unknown> {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    const matches = [...value.matchAll(TEMPLATE)];
    // One {{ }} and nothing else keeps its type; "{{ a }} and {{ b }}" is two expressions in a text, not one.
    if (matches.length === 1 && value.trim() === matches[0]![0]) {
      const { value: v, instead } = await part(matches[0]![1]!.trim(), context, where, onHole);
      return instead ?? v;
    }
    const parts: string[] = [];
    let last = 0;
    for (const m of matches) {
      parts.push(value.slice(last, m.index));
      const { value: v, instead } = await part(m[1]!.trim(), context, where, onHole);
      parts.push(instead ?? (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)));
      last = m.index + m[0].length;
    }
    parts.push(value.slice(last));
    return parts.join('');
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const [i, v] of value.entries()) out.push(await render(v, context, `${where}[${i}]`, onHole));
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await render(v, context, `${where}.${k}`, onHole);
    return out;
  }
  return value;
}

async function part(expr: string, context: object, where: string, onHole: HoleHandler | undefined): Promise<{ value: unknown; instead: string | undefined }> {
  if (!onHole) return { value: await evaluate(expr, context, where), instead: undefined };
  const { value, missing, error } = await trace(expr, context, where);
  if (error !== undefined) {
    // `null / 100` fails in JSONata: when a missing value made it fail, that is the gap to report.
    if (missing.length === 0) throw error;
    const instead = await onHole({ expression: expr, where, value: undefined, missing });
    if (instead === undefined) throw error;
    return { value: undefined, instead };
  }
  if (isNothing(value) || missing.length > 0 || (typeof value === 'string' && ['', 'null', 'undefined'].includes(value.trim()))) return { value, instead: await onHole({ expression: expr, where, value, missing }) };
  return { value, instead: undefined };
}

/** undefined, null, or a list of nothing: what a missing value looks like inside JSONata (a path to nothing is []). */
export function isNothing(v: unknown): boolean {
  return v === undefined || v === null || (Array.isArray(v) && v.every((x) => x === undefined || x === null));
}

// Tracing which values an expression used: JSONata calls this hook after it evaluates each node of the expression's
// tree, with the node and its result, so a path that gave nothing is seen only when its branch was taken.
const EXIT = Symbol.for('jsonata.__evaluate_exit');
const SINK = '__tandem_missing';
const TEST_OPERATORS = new Set(['=', '!=', '<', '<=', '>', '>=', 'and', 'or', 'in']);
const TEST_FUNCTIONS = new Set(['exists', 'boolean', 'not', 'type']);

const traced = new Map<string, Compiled>();

/** Evaluates an expression and lists the step outputs and fields it read that were missing where their value is used. */
export async function evaluateTraced(expr: string, context: object, where = 'an expression'): Promise<{ value: unknown; missing: string[][] }> {
  const { value, missing, error } = await trace(expr, context, where);
  if (error !== undefined) throw error;
  return { value, missing };
}

async function trace(expr: string, context: object, where: string): Promise<{ value: unknown; missing: string[][]; error?: unknown }> {
  const c = compiled(expr, tracedCompile, where);
  const missing = new Map<string, string[]>();
  try {
    const value = await run(c, context, where, { [SINK]: (path: string[]) => missing.set(path.join('.'), path) });
    return { value, missing: [...missing.values()] };
  } catch (error) {
    return { value: undefined, missing: [...missing.values()], error };
  }
}

function tracedCompile(expr: string): Compiled {
  let c = traced.get(expr);
  if (!c) {
    // Its own instance: the hook stays off the expressions every other evaluation uses.
    c = withFunctions(jsonata(expr));
    const refs = new Map<object, string[]>();
    const tests = new Set<object>();
    markReads(c.ast(), false, refs, tests);
    const hook = (node: object, _input: unknown, env: { lookup(name: string): unknown }, result: unknown) => {
      const path = refs.get(node);
      if (!path || tests.has(node) || !isNothing(result)) return;
      (env.lookup(SINK) as ((p: string[]) => void) | undefined)?.(path);
    };
    c.assign(EXIT as unknown as string, hook); // the typings say string; the hook is bound under this symbol
    traced.set(expr, c);
  }
  return c;
}

/** Finds the `steps.…`/`fields.…` paths of an expression's tree, and which of them sit where their value is only tested. */
function markReads(node: unknown, inTest: boolean, refs: Map<object, string[]>, tests: Set<object>): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) markReads(n, inTest, refs, tests);
    return;
  }
  const n = node as AstNode;
  const mark = (child: unknown, test: boolean) => markReads(child, test, refs, tests);
  if (n.type === 'path' && Array.isArray(n.steps)) {
    const names: string[] = [];
    for (const s of n.steps) {
      if (s.type !== 'name' || typeof s.value !== 'string') break;
      names.push(s.value);
    }
    if (names.length >= 2 && (names[0] === 'steps' || names[0] === 'fields')) {
      refs.set(n, names);
      // `x ?: y` puts the same node in the condition and in `then`: tested once, it stays a test.
      if (inTest) tests.add(n);
    }
  }
  if (n.type === 'condition') {
    mark(n.condition, true);
    mark(n.then, inTest);
    mark(n.else, inTest);
    return;
  }
  if (n.type === 'binary' && TEST_OPERATORS.has(String(n.value))) {
    mark(n.lhs, true);
    mark(n.rhs, true);
    return;
  }
  if (n.type === 'function' && (n.procedure as AstNode | undefined)?.type === 'variable' && TEST_FUNCTIONS.has(String((n.procedure as AstNode).value))) {
    mark(n.arguments, true);
    return;
  }
  if (n.type === 'filter') {
    mark(n.expr, true);
    return;
  }
  for (const [k, v] of Object.entries(n)) if (k !== 'position' && k !== 'value' && k !== 'type') mark(v, inTest);
}

interface AstNode {
  type: string;
  value?: unknown;
  steps?: AstNode[];
  [key: string]: unknown;
}

/** Every name path an expression reads (`steps.find_order.total` → ['steps','find_order','total']), for validation at load. */
export function referencesOf(expr: string): string[][] {
  const refs: string[][] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const n = node as AstNode;
    if (n.type === 'path' && Array.isArray(n.steps)) {
      const names: string[] = [];
      for (const s of n.steps) {
        if (s.type !== 'name' || typeof s.value !== 'string') break;
        names.push(s.value);
      }
      if (names.length > 0) refs.push(names);
      // Names inside the path are done; filters and sub-expressions in it are read too.
      for (const s of n.steps) {
        const { type, value, position, ...rest } = s;
        void type;
        void value;
        void position;
        visit(rest);
      }
      return;
    } else if (n.type === 'name' && typeof n.value === 'string') {
      refs.push([n.value]);
      return;
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'position' && k !== 'value') visit(v);
  };
  try {
    visit(compile(expr).ast());
  } catch {
    // Syntax errors are reported by checkExpression.
  }
  return refs;
}
