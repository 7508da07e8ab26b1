// Resolves tandem.yaml's `sources:` at load: declarative helpdesk definitions (presets or sources/*.yaml) validated with file and line, imports read.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../domain/workspace.ts';
import { SourceDefinitionSchema, type SourceDefinition } from '../connectors/sources/definition.ts';
import { checkExpression, expressionsIn } from '../maps/expressions.ts';
import type { WorkspaceSettings } from './schema.ts';
import { importTicketFile } from './ticket-import.ts';
import { pathToString, readYamlFile, validate, type YamlFile } from './yaml-file.ts';

export interface HttpSource {
  id: string;
  connector: string;
  definition: SourceDefinition;
  /** Where the definition came from: `preset zendesk` or `sources/acme.yaml`. */
  origin: string;
}

/** The presets Tandem ships (resources/presets/sources/<name>.yaml). */
export const PRESETS_DIR = fileURLToPath(new URL('../../resources/presets/sources/', import.meta.url));

export function presetNames(dir = PRESETS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

/** Reads and checks one source definition file: shape by zod, every expression compiled, problems with line numbers. */
export function readSourceDefinition(file: string, displayName: string): { ok: true; value: SourceDefinition } | { ok: false; problems: Problem[] } {
  const read = readYamlFile(file, displayName);
  if ('problems' in read) return { ok: false, problems: read.problems };
  const v = validate(read.yaml, SourceDefinitionSchema);
  if (!v.ok) return v;
  const problems = expressionProblems(v.value, read.yaml);
  return problems.length > 0 ? { ok: false, problems } : v;
}

export function resolveSources(
  root: string,
  settings: WorkspaceSettings,
  connectorIds: ReadonlySet<string>,
  problems: Problem[],
  presetsDir = PRESETS_DIR,
): { http: HttpSource[]; imported: { source: string; file: string; ticket: ReturnType<typeof importTicketFile>['tickets'][number] }[] } {
  const http: HttpSource[] = [];
  const imported: { source: string; file: string; ticket: ReturnType<typeof importTicketFile>['tickets'][number] }[] = [];
  const seen = new Set<string>();
  settings.sources.forEach((source, i) => {
    const at = `sources[${i}]`;
    if (seen.has(source.id)) {
      problems.push({ file: 'tandem.yaml', line: null, path: `${at}.id`, message: `source id "${source.id}" is used twice`, hint: 'give each source its own id' });
      return;
    }
    seen.add(source.id);
    if (source.type === 'files') return;
    if (source.type === 'import') {
      const target = inside(root, source.path);
      if (!target || !existsSync(target)) {
        problems.push({ file: 'tandem.yaml', line: null, path: `${at}.path`, message: `no file or folder "${source.path}" in the workspace`, hint: 'give the path of a .csv or .json file (or a folder of them) relative to tandem.yaml' });
        return;
      }
      const files = statSync(target).isDirectory()
        ? readdirSync(target).filter((f) => /\.(csv|json)$/i.test(f)).sort().map((f) => join(target, f))
        : [target];
      for (const file of files) {
        const name = relative(root, file).split(sep).join('/');
        const result = importTicketFile(file, name);
        problems.push(...result.problems);
        for (const ticket of result.tickets) imported.push({ source: source.id, file: name, ticket });
      }
      return;
    }
    if (!connectorIds.has(source.connector)) {
      problems.push({ file: 'tandem.yaml', line: null, path: `${at}.connector`, message: `no connector "${source.connector}" in connectors/`, hint: 'add connectors/<id>.yaml or fix the name' });
      return;
    }
    // `type: zendesk` is the older spelling of `type: http, preset: zendesk`.
    const preset = source.type === 'zendesk' ? 'zendesk' : source.preset;
    const definition = source.type === 'http' ? source.definition : undefined;
    if (Boolean(preset) === Boolean(definition)) {
      problems.push({ file: 'tandem.yaml', line: null, path: at, message: 'an http source needs exactly one of `preset` or `definition`', hint: `use a preset (${presetNames(presetsDir).join(', ') || 'none installed'}) or definition: sources/${source.id}.yaml` });
      return;
    }
    if (preset) {
      const file = join(presetsDir, `${preset}.yaml`);
      if (!existsSync(file)) {
        problems.push({ file: 'tandem.yaml', line: null, path: `${at}.preset`, message: `there is no preset "${preset}"`, hint: `presets: ${presetNames(presetsDir).join(', ') || 'none installed'}; or write your own sources/<id>.yaml (docs/ticket-sources.md)` });
        return;
      }
      const read = readSourceDefinition(file, `preset ${preset}`);
      if (!read.ok) problems.push(...read.problems);
      else http.push({ id: source.id, connector: source.connector, definition: read.value, origin: `preset ${preset}` });
      return;
    }
    const file = inside(root, definition!);
    if (!file || !existsSync(file)) {
      problems.push({ file: 'tandem.yaml', line: null, path: `${at}.definition`, message: `no file "${definition}" in the workspace`, hint: `create it (docs/ticket-sources.md has a complete example)` });
      return;
    }
    const name = relative(root, file).split(sep).join('/');
    const read = readSourceDefinition(file, name);
    if (!read.ok) problems.push(...read.problems);
    else http.push({ id: source.id, connector: source.connector, definition: read.value, origin: name });
  });
  return { http, imported };
}

/** A path from tandem.yaml, kept inside the workspace. */
function inside(root: string, path: string): string | null {
  const full = resolve(root, path);
  const rel = relative(resolve(root), full);
  return rel.startsWith('..') || isAbsolute(rel) ? null : full;
}

/** Every expression and {{ }} template in a definition compiles, or is reported where it is written. */
function expressionProblems(def: SourceDefinition, yaml: YamlFile): Problem[] {
  const out: Problem[] = [];
  const expr = (value: string | undefined, path: (string | number)[]) => {
    if (!value) return;
    const e = checkExpression(value);
    if (e) out.push({ file: yaml.file, line: yaml.lineOf(path), path: pathToString(path), message: `is not a valid expression: ${e.message}` });
  };
  const templates = (value: unknown, path: (string | number)[]): void => {
    if (typeof value === 'string') {
      for (const inner of expressionsIn(value)) {
        const e = checkExpression(inner);
        if (e) out.push({ file: yaml.file, line: yaml.lineOf(path), path: pathToString(path), message: `holds an invalid {{ }} expression: ${e.message}` });
      }
    } else if (Array.isArray(value)) value.forEach((v, i) => templates(v, [...path, i]));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) templates(v, [...path, k]);
  };
  const steps = (list: SourceDefinition['each'], base: (string | number)[]) =>
    list.forEach((s, i) => {
      expr(s.when, [...base, i, 'when']);
      for (const [k, v] of Object.entries(s.outputs)) expr(v, [...base, i, 'outputs', k]);
      templates({ path: s.path, query: s.query, headers: s.headers, body: s.body, describe: s.describe, idempotency_key: s.idempotency_key }, [...base, i]);
    });
  templates(def.list.request, ['list', 'request']);
  expr(def.list.items, ['list', 'items']);
  expr(def.list.until, ['list', 'until']);
  expr(def.list.updated_at, ['list', 'updated_at']);
  if (def.list.next && 'link' in def.list.next) expr(def.list.next.link, ['list', 'next', 'link']);
  if (def.list.next && 'query' in def.list.next) for (const [k, v] of Object.entries(def.list.next.query)) expr(v.replace(/^\s*\{\{([\s\S]+)\}\}\s*$/, '$1'), ['list', 'next', 'query', k]);
  steps(def.each, ['each']);
  expr(def.include, ['include']);
  for (const [k, v] of Object.entries(def.ticket)) expr(v, ['ticket', k]);
  for (const [name, op] of Object.entries(def.operations)) {
    if (!op) continue;
    steps(op.steps, ['operations', name, 'steps']);
    for (const [k, v] of Object.entries(op.result)) expr(v, ['operations', name, 'result', k]);
  }
  return out;
}
