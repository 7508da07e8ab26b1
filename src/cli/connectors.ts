// `tandem connectors test`: signs in to every connection of the workspace and prints a table; exit 1 if any fails.
import type { Connection } from '../contract/index.ts';
import { parse, UsageError, write, type CliIo } from './args.ts';
import { locations } from './context.ts';
import { openApp } from './open-app.ts';

export const help = `tandem connectors test [--json] [--workspace DIR]

Tests every connector of the workspace with the credentials in the keychain (a real sign-in) and prints
a table: connector, kind, result, time, and what to do when it failed. Exit 1 if any connection fails.`;

export async function connectorsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (positionals[0] !== 'test' || positionals.length > 1) throw new UsageError('say what to do: tandem connectors test');
  const opened = await openApp(locations(values, io.env), io, { quiet: Boolean(values.json) });
  try {
    const results: Connection[] = [];
    for (const c of opened.app.workspace.connectors) {
      const r = await opened.app.invoke('connections.test', { connectorId: c.id });
      if (!r.ok) throw new Error(r.error.message);
      results.push(r.value as Connection);
    }
    if (values.json) write(io.stdout, JSON.stringify(results.map((c) => ({ id: c.id, type: c.type, address: c.address, ok: c.lastTest?.ok ?? false, ms: c.lastTest?.ms ?? null, message: c.lastTest?.message ?? '', hint: c.lastTest?.error?.hint ?? null }))));
    else {
      const rows = results.map((c) => [c.id, c.type, c.lastTest?.ok ? 'ok' : 'FAILED', `${c.lastTest?.ms ?? 0} ms`, c.lastTest?.ok ? c.address : `${c.lastTest?.message ?? ''}${c.lastTest?.error?.hint ? ` — ${c.lastTest.error.hint}` : ''}`]);
      const head = ['connector', 'kind', 'result', 'time', 'detail'];
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
      write(io.stdout, line(head));
      for (const r of rows) write(io.stdout, line(r));
    }
    return results.every((c) => c.lastTest?.ok) ? 0 : 1;
  } finally {
    await opened.close();
  }
}
