// `tandem log verify`: walks the decisioning record's hash chain and names the first broken link; exit 1 if there is one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_FILE } from '../app/paths.ts';
import { TandemError } from '../domain/errors.ts';
import { openDatabase } from '../store/db.ts';
import { createDecisionsRepo } from '../store/decisions-repo.ts';
import { parse, UsageError, write, type CliIo } from './args.ts';
import { locations } from './context.ts';

export const help = `tandem log verify [--json] [--data-dir DIR]

Checks that no decision was changed, removed or reordered since it was written: each row's hash covers its
content and the row before it. Prints the first broken link; exit 1 if there is one.`;

export async function logCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (positionals[0] !== 'verify' || positionals.length > 1) throw new UsageError('say what to do: tandem log verify');
  const { dataDir } = locations(values, io.env);
  const file = join(dataDir, DATABASE_FILE);
  if (!existsSync(file)) throw new TandemError('not_found', `There is no Tandem database in ${dataDir}.`, { hint: 'Pass the --data-dir Tandem runs with.' });
  const db = openDatabase(file);
  try {
    const result = createDecisionsRepo(db).verify();
    if (values.json) write(io.stdout, JSON.stringify(result));
    else if (result.broken) write(io.stdout, `BROKEN at decision ${result.broken.seq} (${result.broken.id}): it ${result.broken.why}. ${result.chained} rows before it check out.`);
    else write(io.stdout, `OK: ${result.rows} decisions, ${result.chained} in the hash chain, none changed, removed or reordered.`);
    return result.broken ? 1 : 0;
  } finally {
    db.close();
  }
}
