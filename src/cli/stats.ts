// `tandem stats`: per map and step, how often suggestions were taken as they were, with Wilson lower bounds.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from '../app/paths.ts';
import { computeStats, DEFAULT_GRADUATION, graduationPolicy, type GraduationPolicy, type StepBlocks, type StepModes } from '../decisions/stats.ts';
import { loadWorkspace } from '../workspace/load.ts';
import { TandemError } from '../domain/errors.ts';
import { openDatabase } from '../store/db.ts';
import { parse, UsageError, write, type CliIo } from './args.ts';
import { locations } from './context.ts';
import { parseDate } from './dates.ts';

export const help = `tandem stats [--since DATE] [--until DATE] [--json] [--data-dir DIR]

Triage and every map step: how many verdicts, taken as suggested (rate and the lower bound of its 95%
Wilson interval), edited, the fields most edited, the reasons given, automatic runs with their failures
and the runs a person marked as reverted (tandem steps revert), and the median time to decide.`;

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export async function statsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, { since: { type: 'string' }, until: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`stats takes no arguments (got ${positionals.join(' ')})`);
  const { dataDir, workspaceDir } = locations(values, io.env);
  const file = join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) throw new TandemError('not_found', `There is no Tandem database in ${dataDir}.`, { hint: 'Pass the --data-dir Tandem runs with.' });
  const db = openDatabase(file);
  try {
    const stats = computeStats(
      db,
      {
        since: values.since === undefined ? undefined : parseDate('--since', values.since, false),
        until: values.until === undefined ? undefined : parseDate('--until', values.until, true),
      },
      ...workspaceGraduation(workspaceDir),
    );
    if (values.json) {
      write(io.stdout, JSON.stringify(stats));
      return 0;
    }
    const t = stats.triage;
    write(io.stdout, `Triage: ${t.n} verdicts, ${pct(t.asSuggested.rate)} accepted as suggested (at least ${pct(t.asSuggested.lower)} at 95%), ${t.overridden} overridden`);
    for (const c of t.confusions) write(io.stdout, `  ${c.suggested} → ${c.final}: ${c.count}`);
    write(io.stdout, '');
    write(io.stdout, `${'map / step'.padEnd(36)} ${'n'.padStart(5)}  ${'as suggested'.padEnd(12)} ${'≥ (95%)'.padEnd(8)} ${'edited'.padEnd(7)} auto/failed/reverted  median decision  most edited`);
    for (const s of stats.steps) {
      write(
        io.stdout,
        `${`${s.mapId} / ${s.stepId}`.padEnd(36)} ${String(s.n).padStart(5)}  ${pct(s.asSuggested.rate).padEnd(12)} ${pct(s.asSuggested.lower).padEnd(8)} ${pct(s.edited.rate).padEnd(7)} ${`${s.autoRuns}/${s.autoFailures}/${s.autoReverts}`.padEnd(21)} ${(s.medianDecisionMs === null ? '-' : `${(s.medianDecisionMs / 1000).toFixed(1)} s`).padEnd(16)} ${s.topEditedFields.map((f) => `${f.field} (${f.count})`).join(', ')}`,
      );
    }
    if (stats.steps.length === 0) write(io.stdout, '(no step verdicts yet)');
    const shadowed = stats.steps.filter((s) => s.shadow.n > 0);
    if (shadowed.length > 0) {
      write(io.stdout, '\nShadow samples (what Tandem would have sent on its own, against what was sent):');
      for (const s of shadowed) write(io.stdout, `  ${`${s.mapId} / ${s.stepId}`.padEnd(34)} ${s.shadow.matched}/${s.shadow.n} matched: ${pct(s.shadow.asSuggested.rate)} (at least ${pct(s.shadow.asSuggested.lower)} at 95%)`);
    }
    const reverted = stats.steps.filter((s) => s.autoReverts > 0);
    if (reverted.length > 0) {
      write(io.stdout, '\nReverted automatic runs (undone by hand):');
      for (const s of reverted) write(io.stdout, `  ${`${s.mapId} / ${s.stepId}`.padEnd(34)} ${s.autoReverts} of ${s.autoRuns} automatic runs: ${pct(s.autoReverted.rate)} (at least ${pct(s.autoReverted.lower)} at 95%)`);
    }
    const recommended = stats.steps.filter((s) => s.graduation.recommended);
    if (recommended.length > 0) {
      write(io.stdout, '\nRecommended for auto (tandem steps promote <map> <step> --reason TEXT):');
      for (const s of recommended) write(io.stdout, `  ${s.mapId} / ${s.stepId} — ${s.graduation.source}: ${s.graduation.why}`);
    }
    for (const c of stats.modeChanges.filter((m) => m.verdict === 'demoted' && m.actor === 'tandem')) {
      write(io.stdout, `\nDEMOTED by Tandem ${new Date(c.at).toISOString()}: ${c.mapId} / ${c.stepId} ${c.from} → ${c.to} — ${c.reason ?? ''}`);
    }
    return 0;
  } finally {
    db.close();
  }
}

/**
 * The workspace's graduation threshold and its steps' modes, as the app uses them (a step in auto is not recommended
 * again); the default threshold and no modes when the workspace cannot be read.
 */
function workspaceGraduation(dir: string): [GraduationPolicy, StepModes, StepBlocks] {
  try {
    const ws = loadWorkspace(dir);
    const stepOf = (mapId: string, stepId: string) => ws.maps.find((m) => m.id === mapId)?.steps.find((st) => st.id === stepId);
    return [graduationPolicy(ws.settings.graduation), (mapId, stepId) => stepOf(mapId, stepId)?.mode, (mapId, stepId) => stepOf(mapId, stepId)?.block];
  } catch {
    return [DEFAULT_GRADUATION, () => undefined, () => undefined];
  }
}
