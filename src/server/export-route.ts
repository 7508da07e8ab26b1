// GET /api/export: the decisioning record streamed to the browser as a download (the Export dialog's link), with the
// same filters as `tandem export`. Rows go out as they are read, so a 10-million-row log keeps the server's memory flat.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { App } from '../app/create-app.ts';
import { exportDecisions } from '../decisions/export.ts';
import { RecordVerdictSchema } from '../domain/triage.ts';
import { openReader } from '../store/db.ts';
import { createDecisionsRepo } from '../store/decisions-repo.ts';

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date like 2026-11-01')
  .transform((d) => Date.parse(`${d}T00:00:00Z`));

const QuerySchema = z
  .object({
    format: z.enum(['csv', 'jsonl']),
    since: day.optional(),
    /** Inclusive: the whole of that day. */
    until: day.transform((ms) => ms + 86_400_000).optional(),
    associate: z.string().min(1).optional(),
    map: z.string().min(1).optional(),
    step: z.string().min(1).optional(),
    verdict: RecordVerdictSchema.optional(),
    redact: z.enum(['0', '1']).optional(),
  })
  .strict();

export async function handleExport(app: App, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  // A page on another site may link here, but only Tandem's own page may make the browser download the record.
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('The export is only available from Tandem’s own page.');
    return;
  }
  const parsed = QuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`Export: ${issue.path.join('.') || 'query'}: ${issue.message}`);
    return;
  }
  const q = parsed.data;
  const stamp = new Date().toISOString().slice(0, 10);
  const name = `tandem-decisions-${stamp}${q.redact === '1' ? '-redacted' : ''}.${q.format}`;
  res.writeHead(200, {
    'content-type': q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    'content-disposition': `attachment; filename="${name}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  const reader = openReader(app.db);
  try {
    await exportDecisions(createDecisionsRepo(reader), q.format, { since: q.since, until: q.until, actor: q.associate, mapId: q.map, stepId: q.step, verdict: q.verdict }, res, { redact: q.redact === '1' });
  } catch {
    // The headers are gone: cutting the connection is how the browser learns the download failed (it marks it so).
    res.destroy();
  } finally {
    reader.close();
  }
}
