// `tandem run <map> --ticket <id>`: runs a map on a ticket from the command line, accepting each suggestion as the CLI user
// (or, with --auto, only what may run alone), and prints every step.
import { randomUUID } from 'node:crypto';
import type { Run } from '../domain/run.ts';
import { TandemError } from '../domain/errors.ts';
import { parse, UsageError, write, type CliIo } from './args.ts';
import { locations } from './context.ts';
import { openApp } from './open-app.ts';

export const help = `tandem run <map> --ticket <id> [--dry-run] [--auto] [--json]

Runs the map <map> (its id, e.g. refund_request) on the ticket <id> (e.g. helpdesk:1001 or 1001).
  --dry-run   simulate every step that changes something; lookups run for real
  --auto      act as the automation: only steps in auto mode run; the run stops at the first step that needs a person
Without --auto every suggested step is accepted as suggested and recorded as decided by you.
Exit 0 when the run is done or waits for a person, 1 when it escalated or failed.`;

export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { ticket: { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, auto: { type: 'boolean', default: false } });
  const [mapId, ...extra] = positionals;
  if (!mapId) throw new UsageError('name the map to run: tandem run <map> --ticket <id>');
  if (extra.length > 0) throw new UsageError(`run takes one map (got ${positionals.join(' ')})`);
  if (!values.ticket) throw new UsageError('say which ticket: --ticket <id>');
  const opened = await openApp(locations(values, io.env), io, { quiet: Boolean(values.json) });
  try {
    const { app } = opened;
    const ticketId = resolveTicket(app, values.ticket);
    let run = unwrap(await app.invoke('runs.start', { ticketId, mapId, dryRun: values['dry-run'] })) as Run;
    if (!values['dry-run'] && !values.auto) {
      // Accept each suggestion as the CLI user until the run ends or needs someone else (a lead, or a person for an uncertain step).
      for (let guard = 0; guard < 500; guard++) {
        const step = run.steps.find((s) => s.state === 'awaiting_verdict');
        if (run.state !== 'waiting' || !step) break;
        run = unwrap(await app.invoke('runs.decide', { runId: run.id, stepId: step.stepId, decisionId: randomUUID(), verdict: 'accepted' })) as Run;
      }
    }
    if (values.json) write(io.stdout, JSON.stringify(run));
    else printRun(run, io);
    return run.state === 'escalated' || run.state === 'failed' ? 1 : 0;
  } finally {
    await opened.close();
  }
}

function resolveTicket(app: Awaited<ReturnType<typeof openApp>>['app'], id: string): string {
  const all = app.db.prepare('SELECT id FROM tickets WHERE id = ? OR external_id = ?').pluck().all(id, id) as string[];
  if (all.length === 1) return all[0]!;
  if (all.length === 0) throw new TandemError('not_found', `No ticket ${id} in this workspace.`, { hint: 'Use the id the inbox shows (source:id, e.g. helpdesk:1001) or the source’s own id (1001).' });
  throw new TandemError('bad_input', `${id} names ${all.length} tickets (${all.join(', ')}).`, { hint: 'Use the full id, source:id.' });
}

function unwrap(result: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string; hint?: string | undefined } }): unknown {
  if (result.ok) return result.value;
  throw new TandemError(result.error.code as 'internal', result.error.message, result.error.hint ? { hint: result.error.hint } : {});
}

export function printRun(run: Run, io: CliIo): void {
  write(io.stdout, `${run.dryRun ? 'Dry run' : 'Run'} ${run.id} · ${run.mapId} v${run.mapVersion} on ${run.ticketId}: ${run.state}${run.escalation ? ` — ${run.escalation}` : ''}`);
  for (const s of run.steps) {
    write(io.stdout, `  ${s.state.padEnd(17)} ${s.stepId}${s.note ? `  (${s.note})` : ''}`);
    if (s.error) write(io.stdout, `  ${''.padEnd(17)} error: ${s.error.message}${s.error.hint ? ` — ${s.error.hint}` : ''}`);
    const shown = s.inputs ?? s.suggested;
    if (shown && s.sideEffect) write(io.stdout, `  ${''.padEnd(17)} ${s.state === 'done' && !s.simulated ? 'sent' : 'would send'}: ${JSON.stringify(shown)}`);
    if (s.outputs && Object.keys(s.outputs as object).length > 0) write(io.stdout, `  ${''.padEnd(17)} got: ${JSON.stringify(s.outputs)}`);
  }
}
