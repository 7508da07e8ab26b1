// `tandem export`: the decisioning record as CSV or JSONL, to stdout or a file, streamed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from '../app/paths.ts';
import { TandemError } from '../domain/errors.ts';
import { exportDecisions, type ExportFormat } from '../decisions/export.ts';
import { exportToFile } from '../decisions/export-file.ts';
import { openDatabase } from '../store/db.ts';
import { createDecisionsRepo } from '../store/decisions-repo.ts';
import { parse, UsageError, write, type CliIo } from './args.ts';
import { locations } from './context.ts';
import { parseDate } from './dates.ts';

export const help = `tandem export --format csv|jsonl [--since DATE] [--until DATE] [--out FILE] [--data-dir DIR]

Writes every recorded decision, oldest first, to stdout or FILE.
  --format csv|jsonl   output format (default csv)
  --since DATE         only decisions at or after DATE (2026-11-01 or an ISO time)
  --until DATE         only decisions before DATE; a plain date includes that whole day
  --associate NAME     only decisions by NAME
  --map ID             only decisions on runs of map ID
  --step ID            only decisions on step ID
  --verdict V          only this verdict (accepted, overridden, edited, skipped, manual, escalated, auto, reverted, ...)
  --redact             replace customer data (emails, phone and card numbers, names of requesters) with placeholders
  --out FILE           write to FILE (written whole or not at all) instead of stdout`;

export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: 'string', default: 'csv' },
    since: { type: 'string' },
    until: { type: 'string' },
    out: { type: 'string' },
    associate: { type: 'string' },
    map: { type: 'string' },
    step: { type: 'string' },
    verdict: { type: 'string' },
    redact: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UsageError(`export takes no arguments (got ${positionals.join(' ')})`);
  const format = values.format;
  if (format !== 'csv' && format !== 'jsonl') throw new UsageError(`--format must be csv or jsonl (got ${format})`);
  const since = values.since === undefined ? undefined : parseDate('--since', values.since, false);
  const until = values.until === undefined ? undefined : parseDate('--until', values.until, true);
  const filter = { since, until, actor: values.associate, mapId: values.map, stepId: values.step, verdict: values.verdict };
  const options = { redact: values.redact };

  const { dataDir } = locations(values, io.env);
  const dbFile = join(dataDir, DATABASE_FILE);
  if (!existsSync(dbFile)) {
    throw new TandemError('not_found', `There is no Tandem database in ${dataDir}.`, { hint: 'Pass the --data-dir Tandem runs with, or start Tandem once to create it.' });
  }
  const db = openDatabase(dbFile);
  try {
    const repo = createDecisionsRepo(db);
    if (!values.out) {
      const n = await exportDecisions(repo, format as ExportFormat, filter, io.stdout, options);
      if (values.json) write(io.stderr, JSON.stringify({ rows: n }));
      return 0;
    }
    // Written beside the target and renamed, so a failed export never leaves half a file under the real name.
    const n = await exportToFile(repo, format as ExportFormat, filter, values.out, options);
    write(values.json ? io.stdout : io.stderr, values.json ? JSON.stringify({ rows: n, out: values.out }) : `Exported ${n} decisions to ${values.out}`);
    return 0;
  } finally {
    db.close();
  }
}
