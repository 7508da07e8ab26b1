// The decisioning record written to a file whole or not at all: beside the target first, renamed when complete.
// Used by `tandem export --out` and by the desktop app's Export dialog (a path the associate chose in a save dialog).
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { DecisionsRepo } from '../store/decisions-repo.ts';
import { exportDecisions, type ExportFormat } from './export.ts';

export async function exportToFile(repo: DecisionsRepo, format: ExportFormat, filter: Parameters<typeof exportDecisions>[2], path: string, options: { redact?: boolean } = {}): Promise<number> {
  const tmp = `${path}.partial-${process.pid}`;
  const out = createWriteStream(tmp);
  try {
    const n = await exportDecisions(repo, format, filter, out, options);
    await finished(out);
    renameSync(tmp, path);
    return n;
  } catch (err) {
    out.destroy();
    rmSync(tmp, { force: true });
    throw err;
  }
}
