// Expressions and {{ }} templates over JSONata: a safe, well-known language (never eval), compiled once, evaluated with a time limit.
import jsonata from 'jsonata';
import { TandemError } from '../domain/errors.ts';

type Compiled = ReturnType<typeof jsonata>;
const cache = new Map<string, Compiled>();
const TEMPLATE = /\{\{([\s\S]+?)\}\}/g;
const WHOLE = /^\s*\{\{([\s\S]+?)\}\}\s*$/;

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
    c = jsonata(expr);
    // JSONata's own base64 functions are Latin-1 only: helpdesk bodies are UTF-8 (accents, dashes, emoji).
    c.registerFunction('base64decode', (s?: string) => (s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8')), '<s-:s>');
    c.registerFunction('base64encode', (s?: string) => (s === undefined ? undefined : Buffer.from(s, 'utf8').toString('base64')), '<s-:s>');
    cache.set(expr, c);
  }
  return c;
}

export async function evaluate(expr: string, context: object, where = 'an expression'): Promise<unknown> {
  let compiled: Compiled;
  try {
    compiled = compile(expr);
  } catch (err) {
    throw new TandemError('bad_input', `${where} is not a valid expression: ${(err as Error).message}`, { cause: err });
  }
  try {
    const value: unknown = await compiled.evaluate(context);
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

/** Renders `{{ }}` in strings anywhere inside a value. A string that is one whole `{{ }}` keeps the expression's type. */
export async function render(value: unknown, context: object, where = 'a template'): Promise<unknown> {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return evaluate(whole[1]!.trim(), context, where);
    if (!value.includes('{{')) return value;
    const parts: string[] = [];
    let last = 0;
    for (const m of value.matchAll(TEMPLATE)) {
      parts.push(value.slice(last, m.index));
      const v = await evaluate(m[1]!.trim(), context, where);
      parts.push(v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
      last = m.index + m[0].length;
    }
    parts.push(value.slice(last));
    return parts.join('');
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const [i, v] of value.entries()) out.push(await render(v, context, `${where}[${i}]`));
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await render(v, context, `${where}.${k}`);
    return out;
  }
  return value;
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
