// Loads a workspace folder: every file validated, every problem reported with file, line and path, the valid rest kept.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { TandemError } from '../domain/errors.ts';
import type { Problem } from '../domain/workspace.ts';
import {
  ConnectorSchema,
  MapSchema,
  SettingsSchema,
  TicketFileEntrySchema,
  type ConnectorFile,
  type ProcessMapFile,
  type TicketFileEntry,
  type WorkspaceSettings,
} from './schema.ts';
import { pathToString, readYamlFile, validate } from './yaml-file.ts';
import { validateMap } from '../maps/validate.ts';
import { resolveSources, type HttpSource } from './sources.ts';
import { readWorkspaceSplit, type LabelledCase } from './labelled.ts';

export interface WorkspaceTicket extends TicketFileEntry {
  file: string;
  /** The id of the files source it came from. */
  source: string;
}

export interface Workspace {
  root: string;
  settings: WorkspaceSettings;
  maps: ProcessMapFile[];
  connectors: ConnectorFile[];
  tickets: WorkspaceTicket[];
  problems: Problem[];
  /** Changes whenever what triage reads of the maps changes (intents, examples, fields): part of the triage cache key. */
  mapsVersion: string;
  /** The file each map was read from, to write changes back to. */
  mapFiles: Record<string, string>;
  /** Helpdesks read through a declarative source definition (a preset or sources/*.yaml). */
  httpSources: HttpSource[];
  /** The labelled tickets of `triage.learn_from`: the local model's experience before the record has any. */
  learned: LabelledCase[];
}

const DEFAULT_SETTINGS: WorkspaceSettings = { name: 'Untitled workspace', triage: { escalate_below: 0.5, learn_from: [] }, graduation: { threshold: 0.95, window: 100, min_samples: 30 }, approvals: { four_eyes: true }, sources: [{ id: 'files', type: 'files', path: 'tickets' }] };

export function loadWorkspace(root: string): Workspace {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new TandemError('workspace_missing', `The workspace folder ${root} does not exist.`, {
      hint: 'Pass --workspace with a folder that holds tandem.yaml, or leave it out to use the demo workspace.',
    });
  }
  const problems: Problem[] = [];
  const rel = (file: string) => relative(root, file) || basename(file);

  let settings = DEFAULT_SETTINGS;
  let settingsLine: (path: (string | number)[]) => number | null = () => null;
  const settingsFile = join(root, 'tandem.yaml');
  if (!existsSync(settingsFile)) {
    problems.push({ file: 'tandem.yaml', line: null, path: '', message: 'is missing', hint: 'create tandem.yaml with at least `name: My team`' });
  } else {
    const read = readYamlFile(settingsFile, 'tandem.yaml');
    if ('problems' in read) problems.push(...read.problems);
    else {
      const v = validate(read.yaml, SettingsSchema, [], read.yaml.value ?? {});
      if (v.ok) settings = v.value;
      else problems.push(...v.problems);
      settingsLine = (path) => read.yaml.lineOf(path);
    }
  }

  const connectors = loadEach(join(root, 'connectors'), rel, problems, (yaml) => validate(yaml, ConnectorSchema));
  const connectorInfo = connectors.map((c) => ({ id: c.value.id, type: c.value.type }));
  // A map runs only when it is whole: shape first, then meaning (connectors, expressions, references).
  const maps = loadEach(join(root, 'maps'), rel, problems, (yaml) => {
    const v = validate(yaml, MapSchema);
    if (!v.ok) return v;
    const issues = validateMap(v.value, connectorInfo);
    if (issues.length === 0) return v;
    return {
      ok: false as const,
      problems: issues.map((i) => ({ file: yaml.file, line: yaml.lineOf(i.path), path: pathToString(i.path), message: i.message, ...(i.hint ? { hint: i.hint } : {}) })),
    };
  });
  const seenMaps = new Map<string, string>();
  const uniqueMaps = maps.filter(({ value, file }) => {
    const first = seenMaps.get(value.id);
    if (first) {
      problems.push({ file, line: 1, path: 'id', message: `map id "${value.id}" is already used by ${first}`, hint: 'give each map its own id' });
      return false;
    }
    seenMaps.set(value.id, file);
    return true;
  });


  const tickets: WorkspaceTicket[] = [];
  const seenTickets = new Set<string>();
  const connectorIds = new Set(connectors.map((c) => c.value.id));
  settings.sources.forEach((source) => {
    if (source.type !== 'files') return;
    for (const file of yamlFiles(join(root, source.path))) {
      readTicketFile(file, rel(file), source.id, tickets, seenTickets, problems);
    }
  });
  // Helpdesks described in YAML, and CSV/JSON imports: see sources.ts.
  const resolved = resolveSources(root, settings, connectorIds, problems);
  for (const { source, file, ticket } of resolved.imported) {
    const { line, ...entry } = ticket;
    if (seenTickets.has(`${source}:${entry.id}`)) {
      problems.push({ file, line, path: 'id', message: `ticket id "${entry.id}" is already in source ${source}` });
      continue;
    }
    seenTickets.add(`${source}:${entry.id}`);
    tickets.push({ ...entry, file, source });
  }

  // What the team decided before Tandem: labelled tickets the local model learns from. A split that cannot be read is
  // a problem of tandem.yaml; triage goes on without it.
  const learned: LabelledCase[] = [];
  settings.triage.learn_from.forEach((split, i) => {
    try {
      learned.push(...readWorkspaceSplit(root, split).filter((c) => seenMaps.has(c.intents[0]!)));
    } catch (err) {
      const e = err as TandemError;
      problems.push({ file: 'tandem.yaml', line: settingsLine(['triage', 'learn_from', i]), path: `triage.learn_from[${i}]`, message: e.message, ...(e.hint ? { hint: e.hint } : {}) });
    }
  });

  const mapsVersion = createHash('sha256')
    // Not the version: promoting a step bumps it, and that must not re-read every ticket.
    .update(JSON.stringify(uniqueMaps.map((m) => [m.value.id, m.value.intent, m.value.fields])))
    .digest('hex')
    .slice(0, 16);

  return {
    root,
    settings,
    maps: uniqueMaps.map((m) => m.value),
    connectors: connectors.map((c) => c.value),
    tickets,
    problems,
    mapsVersion,
    mapFiles: Object.fromEntries(uniqueMaps.map((m) => [m.value.id, join(root, m.file)])),
    httpSources: resolved.http,
    learned,
  };
}

function readTicketFile(file: string, name: string, source: string, tickets: WorkspaceTicket[], seen: Set<string>, problems: Problem[]): void {
  const read = readYamlFile(file, name);
  if ('problems' in read) {
    problems.push(...read.problems);
    return;
  }
  const list = (read.yaml.value as { tickets?: unknown } | null)?.tickets;
  if (!Array.isArray(list)) {
    problems.push({ file: name, line: 1, path: 'tickets', message: 'expected a list of tickets under `tickets:`' });
    return;
  }
  // One bad ticket must not hide the other ninety-nine in its file.
  list.forEach((entry, i) => {
    const v = validate(read.yaml, TicketFileEntrySchema, ['tickets', i], entry);
    if (!v.ok) problems.push(...v.problems);
    else if (seen.has(`${source}:${v.value.id}`)) problems.push({ file: name, line: read.yaml.lineOf(['tickets', i, 'id']), path: `tickets[${i}].id`, message: `ticket id "${v.value.id}" appears twice` });
    else {
      seen.add(`${source}:${v.value.id}`);
      tickets.push({ ...v.value, file: name, source });
    }
  });
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(dir, e.name))
    .sort();
}

function loadEach<T>(
  dir: string,
  rel: (file: string) => string,
  problems: Problem[],
  check: (yaml: Parameters<typeof validate>[0]) => { ok: true; value: T } | { ok: false; problems: Problem[] },
): { file: string; value: T }[] {
  const out: { file: string; value: T }[] = [];
  for (const file of yamlFiles(dir)) {
    const read = readYamlFile(file, rel(file));
    if ('problems' in read) {
      problems.push(...read.problems);
      continue;
    }
    const v = check(read.yaml);
    if (v.ok) out.push({ file: rel(file), value: v.value });
    else problems.push(...v.problems);
  }
  return out;
}
