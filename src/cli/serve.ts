// `tandem serve`: the headless host on 127.0.0.1, serving the built UI and the contract until stopped.
import { rendererDir } from '../app/paths.ts';
import { formatProblem } from '../domain/workspace.ts';
import { startHttpHost } from '../server/http-server.ts';
import { parse, UsageError, write, type CliIo } from './args.ts';
import { locations } from './context.ts';
import { openApp } from './open-app.ts';

export const help = `tandem serve [--port N] [--data-dir DIR] [--workspace DIR]

Starts the headless host on 127.0.0.1 and prints its URL. Open it in a browser.
  --port N   listen on port N (default: a free port)`;

export async function serve(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { port: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`serve takes no arguments (got ${positionals.join(' ')})`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535 (got ${values.port})`);
  const where = locations(values, io.env);
  const opened = await openApp(where, io);
  const { app, sandbox } = opened;
  for (const p of app.workspace.problems) write(io.stderr, `workspace: ${formatProblem(p)}`);
  const host = await startHttpHost(app, { port, staticDir: rendererDir() });
  if (values.json) write(io.stdout, JSON.stringify({ url: host.url, dataDir: where.dataDir, workspace: where.workspaceDir, sandbox: sandbox?.systems ?? null }));
  else {
    write(io.stdout, `Tandem listening on ${host.url}`);
    if (sandbox) for (const [name, s] of Object.entries(sandbox.systems)) write(io.stdout, `  demo ${name.padEnd(10)} ${s.url}  (${s.title})`);
  }
  await io.stopSignal;
  await host.close();
  await opened.close();
  return 0;
}
