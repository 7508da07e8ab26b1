// `tandem steps list|promote|demote|revert`: each step's mode and graduation evidence, and the same promotion the Insights
// button makes (maps.setMode): the map file is edited in place and the change is a decision with who, why and evidence.
// `revert` marks an automatic run as undone by hand (runs.revert), as the ticket's run panel does.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../app/create-app.ts';
import { DATABASE_FILE } from '../app/paths.ts';
import type { CommandOutput, Stats } from '../contract/index.ts';
import { TandemError } from '../domain/errors.ts';
import { parse, UsageError, write, type CliIo } from './args.ts';
import { locations, packageVersion } from './context.ts';

export const help = `tandem steps list [--json]
tandem steps promote <map> <step> --reason TEXT [--to shadow|auto]
tandem steps demote <map> <step> --reason TEXT [--to suggest|manual]
tandem steps revert <run> <step> --reason TEXT [--json]

list      every step of every map: its mode, and whether the record recommends it for auto (and why)
promote   moves a step up (default: to auto; --to shadow to collect shadow samples first)
demote    moves a step down (default: to suggest)
revert    marks a step Tandem ran automatically in that run as reverted: it was wrong, and you undid its effect by
          hand in the target system (Tandem undoes nothing itself). Recorded as a decision with your reason; counts
          toward the step's automatic demotion as a failed run does, and may put the step back to suggest.
The map file is edited in place (comments and layout kept, version bumped) and the change is recorded as a decision
by you, with your reason and the evidence of the record. Modes, lowest first: manual, suggest, shadow, auto.`;

const ORDER = ['manual', 'suggest', 'shadow', 'auto'] as const;
type Mode = (typeof ORDER)[number];

export async function stepsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { reason: { type: 'string' }, to: { type: 'string' } });
  const [action, mapId, stepId, ...extra] = positionals;
  if (action !== 'list' && action !== 'promote' && action !== 'demote' && action !== 'revert') throw new UsageError(`say list, promote, demote or revert (got ${action ?? 'nothing'})`);
  const where = locations(values, io.env);
  if (action === 'revert') return revert(mapId, stepId, extra, values, where, io);
  if (action === 'list') {
    if (mapId) throw new UsageError('steps list takes no arguments');
  } else {
    if (!mapId || !stepId) throw new UsageError(`name the map and the step: tandem steps ${action} <map> <step> --reason TEXT`);
    if (extra.length > 0) throw new UsageError(`one map and one step (got ${positionals.slice(1).join(' ')})`);
    if (!values.reason?.trim()) throw new UsageError(`say why with --reason TEXT: the ${action === 'promote' ? 'promotion' : 'demotion'} is recorded with it`);
  }
  const to = (values.to ?? (action === 'promote' ? 'auto' : 'suggest')) as Mode;
  if (!ORDER.includes(to)) throw new UsageError(`--to takes ${ORDER.join(', ')} (got ${values.to})`);
  if (action !== 'list' && !existsSync(join(where.dataDir, DATABASE_FILE))) {
    throw new TandemError('not_found', `There is no Tandem database in ${where.dataDir}.`, { hint: 'Pass the --data-dir Tandem runs with: the change is recorded in its decisioning record.' });
  }
  // The app without the demo systems: a mode change touches only the map file and the record.
  const app = createApp({ dataDir: where.dataDir, workspaceDir: where.workspaceDir, host: 'headless', version: packageVersion() });
  try {
    const stats = await app.invoke('stats.get', {});
    if (!stats.ok) throw new TandemError(stats.error.code as 'internal', stats.error.message);
    const evidence = new Map((stats.value as Stats).steps.map((s) => [`${s.mapId}/${s.stepId}`, s]));
    if (action === 'list') {
      const rows = app.workspace.maps.flatMap((m) =>
        m.steps.map((s) => {
          const e = evidence.get(`${m.id}/${s.id}`);
          return { mapId: m.id, stepId: s.id, mode: s.mode, recommended: e?.graduation.recommended ?? false, why: e ? `${e.graduation.source}: ${e.graduation.why}` : 'no verdicts yet' };
        }),
      );
      if (values.json) write(io.stdout, JSON.stringify(rows));
      else for (const r of rows) write(io.stdout, `${`${r.mapId} / ${r.stepId}`.padEnd(40)} ${r.mode.padEnd(8)} ${r.recommended ? 'RECOMMENDED for auto — ' : ''}${r.why}`);
      return 0;
    }
    const map = app.workspace.maps.find((m) => m.id === mapId);
    const step = map?.steps.find((s) => s.id === stepId);
    if (!map) throw new TandemError('not_found', `There is no map "${mapId}" in ${where.workspaceDir}.`, { hint: `Maps: ${app.workspace.maps.map((m) => m.id).join(', ')}` });
    if (!step) throw new TandemError('not_found', `Map ${mapId} has no step "${stepId}".`, { hint: `Steps: ${map.steps.map((s) => s.id).join(', ')}` });
    const from = step.mode as Mode;
    const up = ORDER.indexOf(to) > ORDER.indexOf(from);
    if (to === from) throw new TandemError('bad_input', `${mapId} / ${stepId} is already ${from}.`);
    if (action === 'promote' && !up) throw new TandemError('bad_input', `${mapId} / ${stepId} is ${from}; ${to} would be a demotion.`, { hint: `Use tandem steps demote ${mapId} ${stepId} --to ${to}.` });
    if (action === 'demote' && up) throw new TandemError('bad_input', `${mapId} / ${stepId} is ${from}; ${to} would be a promotion.`, { hint: `Use tandem steps promote ${mapId} ${stepId} --to ${to}.` });
    const result = await app.invoke('maps.setMode', { mapId, stepId, mode: to, reason: values.reason! });
    if (!result.ok) throw new TandemError(result.error.code as 'internal', result.error.message, result.error.hint ? { hint: result.error.hint } : {});
    const changed = result.value as CommandOutput<'maps.setMode'>;
    const e = evidence.get(`${mapId}/${stepId}`);
    if (values.json) write(io.stdout, JSON.stringify({ ...changed, evidence: e?.graduation ?? null }));
    else {
      write(io.stdout, `${mapId} / ${stepId}: ${changed.previous} → ${changed.mode} (map version ${changed.version}), recorded.`);
      write(io.stdout, `  evidence: ${e ? `${e.graduation.source}: ${e.graduation.why}` : 'no verdicts on this step yet'}`);
      if (to === 'auto' && e && !e.graduation.recommended) write(io.stderr, 'note: the record does not recommend this step for auto yet; it was promoted on your judgement.');
    }
    return 0;
  } finally {
    await app.settle();
    app.close();
  }
}

/** `tandem steps revert <run> <step> --reason TEXT`: the same runs.revert the ticket's "Mark as reverted…" makes. */
async function revert(runId: string | undefined, stepId: string | undefined, extra: string[], values: { reason?: string | undefined; json?: boolean | undefined; to?: string | undefined }, where: ReturnType<typeof locations>, io: CliIo): Promise<number> {
  if (!runId || !stepId) throw new UsageError('name the run and the step: tandem steps revert <run> <step> --reason TEXT');
  if (extra.length > 0) throw new UsageError(`one run and one step (got ${[runId, stepId, ...extra].join(' ')})`);
  if (values.to !== undefined) throw new UsageError('--to is for promote and demote; revert takes --reason');
  if (!values.reason?.trim()) throw new UsageError('say why with --reason TEXT: what was wrong, and what you undid by hand. The revert is recorded with it');
  if (!existsSync(join(where.dataDir, DATABASE_FILE))) {
    throw new TandemError('not_found', `There is no Tandem database in ${where.dataDir}.`, { hint: 'Pass the --data-dir Tandem runs with: the revert is recorded in its decisioning record.' });
  }
  const demoted: string[] = [];
  const app = createApp({ dataDir: where.dataDir, workspaceDir: where.workspaceDir, host: 'headless', version: packageVersion() });
  try {
    app.events.on('step.demoted', (e) => demoted.push(e.error ? `${e.mapId} / ${e.stepId} should go back to suggest but its map could not be written: ${e.error.message}` : `${e.mapId} / ${e.stepId}: ${e.from} → ${e.to} by Tandem — ${e.reason}`));
    const decisionId = randomUUID();
    const result = await app.invoke('runs.revert', { runId, stepId, decisionId, reason: values.reason });
    if (!result.ok) throw new TandemError(result.error.code as 'internal', result.error.message, result.error.hint ? { hint: result.error.hint } : {});
    const run = result.value as CommandOutput<'runs.revert'>;
    if (values.json) write(io.stdout, JSON.stringify({ runId: run.id, stepId, decisionId, ticketId: run.ticketId, mapId: run.mapId, reason: values.reason.trim(), demoted }));
    else {
      write(io.stdout, `${run.mapId} / ${stepId} in run ${run.id} (ticket ${run.ticketId}): marked as reverted, recorded.`);
      for (const d of demoted) write(io.stdout, `DEMOTED ${d}`);
    }
    return 0;
  } finally {
    await app.settle();
    app.close();
  }
}
