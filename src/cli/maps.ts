// `tandem maps validate [DIR]`: every problem in a workspace as file:line: path: message; exit 1 if there is any.
import { resolve } from 'node:path';
import { formatProblem } from '../domain/workspace.ts';
import { loadWorkspace } from '../workspace/load.ts';
import { parse, UsageError, write, type CliIo } from './args.ts';
import { locations } from './context.ts';

export const help = `tandem maps validate [DIR] [--workspace DIR] [--json]

Checks every map, connector, source and ticket file of the workspace (DIR, or --workspace, or the demo)
and prints each problem as file:line: path: message. Exit 1 when there is any.`;

export async function mapsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {});
  const [sub, dir, ...extra] = positionals;
  if (sub !== 'validate') throw new UsageError(sub ? `unknown maps command "${sub}" (try: validate)` : 'say what to do: tandem maps validate [DIR]');
  if (extra.length > 0) throw new UsageError(`maps validate takes one folder (got ${positionals.slice(1).join(' ')})`);
  const root = dir ? resolve(dir) : locations(values, io.env).workspaceDir;
  const ws = loadWorkspace(root);
  if (values.json) {
    write(io.stdout, JSON.stringify({ workspace: root, maps: ws.maps.map((m) => ({ id: m.id, version: m.version, steps: m.steps.length })), problems: ws.problems }));
  } else {
    for (const p of ws.problems) write(io.stdout, formatProblem(p));
    write(io.stderr, `${ws.maps.length} map${ws.maps.length === 1 ? '' : 's'} valid, ${ws.problems.length} problem${ws.problems.length === 1 ? '' : 's'} in ${root}`);
  }
  return ws.problems.length > 0 ? 1 : 0;
}
