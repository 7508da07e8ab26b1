// `tandem runs [resume]`: the runs and where each stands; resume picks up what a stopped process left.
import type { Run } from '../domain/run.ts';
import { parse, UsageError, write, type CliIo } from './args.ts';
import { locations } from './context.ts';
import { openApp } from './open-app.ts';

export const help = `tandem runs [--json]        list runs, newest first, with their state
tandem runs resume [--json] resume every unfinished run (also done at every start of any host)`;

export async function runsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { limit: { type: 'string', default: '50' } });
  const [sub, ...extra] = positionals;
  if ((sub !== undefined && sub !== 'resume') || extra.length > 0) throw new UsageError(`unknown runs command "${positionals.join(' ')}" (try: tandem runs, tandem runs resume)`);
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit must be a whole number from 1 to 500');
  // Opening the app resumes unfinished runs, which is exactly what `resume` asks for.
  const opened = await openApp(locations(values, io.env), io, { quiet: Boolean(values.json) });
  try {
    const result = await opened.app.invoke('runs.list', { limit });
    if (!result.ok) throw new Error(result.error.message);
    const runs = result.value as Run[];
    if (values.json) write(io.stdout, JSON.stringify(runs));
    else {
      if (runs.length === 0) write(io.stderr, 'No runs yet.');
      for (const r of runs) {
        const at = r.steps.find((s) => !['done', 'skipped'].includes(s.state));
        write(io.stdout, `${r.id}  ${r.state.padEnd(9)} ${r.mapId} v${r.mapVersion}  ${r.ticketId}${at ? `  at ${at.stepId} (${at.state})` : ''}${r.escalation ? `  — ${r.escalation}` : ''}`);
      }
    }
    return 0;
  } finally {
    await opened.close();
  }
}
