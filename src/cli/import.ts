// `tandem import <exports…>`: merges associates' exports into this database's record (see decisions/import.ts).
import { resolve } from 'node:path';
import { join } from 'node:path';
import { DATABASE_FILE } from '../app/paths.ts';
import { importDecisions } from '../decisions/import.ts';
import { openDatabase } from '../store/db.ts';
import { parse, UsageError, write, type CliIo } from './args.ts';
import { locations } from './context.ts';

export const help = `tandem import <export.csv|export.jsonl>… [--json] [--data-dir DIR]

Merges decisions exported by other associates (tandem export, CSV or JSONL, not --redact) into this database, so
stats, the dashboard and exports cover the whole team.
- Decisions already here (same id and hash) are skipped: importing a file twice changes nothing, and says so.
- Every row is checked against its hash: a file changed after export is refused, naming the file and line.
- Imported rows are chained into this record (tandem log verify still checks one chain); their original hash and
  file are kept with them.
- Decisions about tickets this database does not have are kept, and counted.
One transaction for all files: any bad line and nothing is written.`;

export async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {});
  if (positionals.length === 0) throw new UsageError('name the exports to import: tandem import <file>…');
  const { dataDir } = locations(values, io.env);
  const db = openDatabase(join(dataDir, DATABASE_FILE));
  try {
    const report = await importDecisions(db, positionals.map((f) => resolve(f)));
    if (values.json) {
      write(io.stdout, JSON.stringify(report));
      return 0;
    }
    for (const f of report.files) {
      const parts = [`${f.imported} imported`, `${f.duplicates} already here`];
      if (f.unknownTickets > 0) parts.push(`${f.unknownTickets} about tickets not in this database (kept)`);
      write(io.stdout, `${f.file}: ${f.rows} decisions — ${parts.join(', ')}`);
    }
    write(io.stdout, report.imported === 0 ? `Nothing new: all ${report.duplicates} decisions were already in the record.` : `Imported ${report.imported} decisions; ${report.duplicates} were already here. tandem log verify checks the merged chain.`);
    return 0;
  } finally {
    db.close();
  }
}
