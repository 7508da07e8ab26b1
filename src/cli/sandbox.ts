// `tandem sandbox`: starts the demo operation's six systems on 127.0.0.1 and prints where they are and how to sign in.
import { join } from 'node:path';
import { startStandaloneSandbox } from '../demo/start-demo.ts';
import { loadWorkspace } from '../workspace/load.ts';
import { parse, UsageError, write, type CliIo } from './args.ts';
import { locations } from './context.ts';

export const help = `tandem sandbox [--json]

Starts the demo retailer's back office (helpdesk, orders, payments, CRM, logistics, billing) on 127.0.0.1
and prints, per system, its address and demo credentials. Runs until stopped (Ctrl-C).
Every system answers GET /_audit with the changes it received.`;

export async function sandboxCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (positionals.length > 0) throw new UsageError(`sandbox takes no arguments (got ${positionals.join(' ')})`);
  const workspaceDir = locations(values, io.env).workspaceDir;
  // As `tandem serve` does: the splits the workspace learns from are its history, solved in the helpdesk.
  const sandbox = await startStandaloneSandbox(join(workspaceDir, 'tickets'), undefined, loadWorkspace(workspaceDir).settings.triage.learn_from);
  if (values.json) {
    write(io.stdout, JSON.stringify(Object.fromEntries(Object.entries(sandbox.systems).map(([k, s]) => [k, { title: s.title, kind: s.kind, url: s.url, baseUrl: s.baseUrl, credentials: s.credentials }]))));
  } else {
    for (const s of Object.values(sandbox.systems)) {
      write(io.stdout, `${s.title.padEnd(24)} ${s.url}${s.baseUrl !== s.url ? `  (API ${s.baseUrl})` : ''}`);
      write(io.stdout, `${''.padEnd(24)} ${Object.entries(s.credentials).map(([k, v]) => `${k}: ${v}`).join('  ')}`);
    }
    write(io.stdout, 'Demo credentials only: these systems hold made-up data and run on this machine. Ctrl-C stops them.');
  }
  await io.stopSignal;
  await sandbox.stop();
  return 0;
}
