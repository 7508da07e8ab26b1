// Reads one YAML file into a value plus a way to turn a path inside it into a line number, for problems a person can find.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import type { Problem } from '../domain/workspace.ts';

export interface YamlFile {
  file: string;
  doc: Document.Parsed;
  value: unknown;
  lineOf(path: readonly PropertyKey[]): number | null;
}

export function readYamlFile(file: string, displayName: string): { yaml: YamlFile } | { problems: Problem[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return { problems: [{ file: displayName, line: null, path: '', message: `cannot be read: ${(err as Error).message}` }] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    // After the first syntax error the parser's view of the file is noise: report that one, and how many follow.
    const first = doc.errors[0]!;
    const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more after it)` : '';
    const text0 = first.message.split('\n')[0];
    return {
      problems: [
        {
          file: displayName,
          line: lineCounter.linePos(first.pos[0]).line,
          path: '',
          message: `is not valid YAML: ${text0}${more}`,
          hint: /compact mappings|flow-map/.test(first.message + text0)
            ? 'a value that starts with {{ must be quoted: \'{{ expression }}\''
            : 'check the indentation and quoting on that line',
        },
      ],
    };
  }
  const lineOf = (path: readonly PropertyKey[]): number | null => {
    // Walk up the path until a node exists: a missing key is reported at its parent.
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return null;
  };
  return { yaml: { file: displayName, doc, value: doc.toJS(), lineOf } };
}

export function pathToString(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** Validates a parsed file; every zod issue becomes a problem with the file, line and path. */
export function validate<S extends z.ZodType>(yaml: YamlFile, schema: S, basePath: readonly PropertyKey[] = [], value: unknown = yaml.value):
  | { ok: true; value: z.output<S> }
  | { ok: false; problems: Problem[] } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => {
      const path = [...basePath, ...issue.path];
      return { file: yaml.file, line: yaml.lineOf(path), path: pathToString(path), message: issue.message };
    }),
  };
}
