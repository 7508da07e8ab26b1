// Reverts (a person marked an automatic run as undone by hand) across the record: the dashboard's figures, the lead's
// review, the export's verdict filter, and an export imported elsewhere once, chain intact.
import { createWriteStream, readFileSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/db.ts';
import { createDecisionsRepo, type DecisionsRepo } from '../store/decisions-repo.ts';
import { tempDir } from '../testing/temp-dirs.ts';
import { autoRun, failRun, promote, revertRun } from '../testing/reverts.ts';
import { demotionEvidence } from './demotion.ts';
import { exportDecisions, type ExportFormat } from './export.ts';
import { importDecisions } from './import.ts';
import { reviewPage } from './review.ts';
import { computeStats, wilsonLower } from './stats.ts';

describe('reverts in the record', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  let repo: DecisionsRepo;
  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(`${dir.path}/ann.db`);
    db.prepare("INSERT INTO tickets (id, source, external_id, subject, body, requester_name, requester_email, channel, created_at, content_hash, imported_at) VALUES ('w:1', 'w', '1', 'Refund please', 'b', 'Zoë', 'zoe@x.org', 'email', 1, 'h', 2)").run();
    repo = createDecisionsRepo(db);
    // The script: promoted to auto, 8 automatic runs; r1 failed, r3 and r6 reverted by hand.
    promote(repo);
    for (let i = 0; i < 8; i++) autoRun(repo, i);
    failRun(repo, 1);
  });
  afterEach(() => {
    db.close();
    dir.cleanup();
  });
  const refund = () => computeStats(db).steps.find((s) => s.mapId === 'refund' && s.stepId === 'refund')!;

  it('shows reverted automatic runs beside automatic runs and failures, with the Wilson lower bound, as they land', () => {
    const before = refund(); // fills the stats cache: the reverts below must be added to it
    expect(before).toMatchObject({ autoRuns: 8, autoFailures: 1, autoReverts: 0, autoReverted: { rate: 0, lower: 0 } });
    expect(before.graduation.asSuggested.rate).toBe(7 / 8);
    revertRun(repo, 3);
    revertRun(repo, 6, 'wrong amount: refunded the whole order; reversed in Payments');
    const s = refund();
    expect(s).toMatchObject({ n: 8, verdicts: { auto: 8 }, autoRuns: 8, autoFailures: 1, autoReverts: 2 });
    expect(s.autoReverted.rate).toBe(2 / 8);
    expect(s.autoReverted.lower).toBe(wilsonLower(2, 8));
    expect(s.autoReverted.lower).toBeCloseTo(0.0715, 4); // hand-computed: Wilson, 2 of 8, z = 1.96
    // The as-suggested rate counts verdicts (8 auto), as it does with failures; graduation's window counts a reverted
    // run as one that went wrong: 8 − 1 failed − 2 reverted = 5 good.
    expect(s.asSuggested.rate).toBe(1);
    expect(s.graduation.asSuggested.rate).toBe(5 / 8);
    // A revert alone does not make a step appear (as an escalation alone does not).
    expect(computeStats(db).steps).toHaveLength(1);
  });

  it('lists reverts in the review with their reason, and filters them by verdict', () => {
    revertRun(repo, 3, 'refunded twice; reversed in Payments');
    const page = reviewPage(db, { offset: 0, limit: 10 });
    expect(page.total).toBe(2); // the failed automatic run, and the revert
    expect(page.items[0]).toMatchObject({ kind: 'revert', verdict: 'reverted', actor: 'lee', mapId: 'refund', stepId: 'refund', runId: 'r3', final: 'null', reason: 'refunded twice; reversed in Payments', ticket: { id: 'w:1', subject: 'Refund please' } });
    expect(JSON.parse(page.items[0]!.suggested)).toMatchObject({ path: '/refunds' });
    const reverted = reviewPage(db, { offset: 0, limit: 10, verdict: 'reverted', mapId: 'refund' });
    expect(reverted.total).toBe(1);
    expect(reverted.items.map((i) => i.decisionId)).toEqual(['revert-3']);
  });

  async function exportTo(from: Db, name: string, format: ExportFormat, filter = {}) {
    const file = `${dir.path}/${name}`;
    const out = createWriteStream(file);
    const rows = await exportDecisions(createDecisionsRepo(from), format, filter, out);
    await finished(out);
    return { file, rows };
  }

  it('exports reverts alone with --verdict reverted, and imports them elsewhere once, chained and still counted', async () => {
    revertRun(repo, 3);
    revertRun(repo, 6);
    const only = await exportTo(db, 'reverted.jsonl', 'jsonl', { verdict: 'reverted' });
    expect(only.rows).toBe(2);
    expect(readFileSync(only.file, 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: string; kind: string }).id)).toEqual(['revert-3', 'revert-6']);

    const csv = await exportTo(db, 'ann.csv', 'csv');
    const lead = openDatabase(`${dir.path}/lead.db`);
    try {
      expect(await importDecisions(lead, [csv.file])).toMatchObject({ imported: 12, duplicates: 0 });
      // Again, and the JSONL of the reverts alone: the same decisions, known by their hash, so nothing is added.
      expect(await importDecisions(lead, [csv.file, only.file])).toMatchObject({ imported: 0, duplicates: 14 });
      expect(lead.prepare("SELECT id, verdict, reason, origin FROM decisions WHERE kind = 'revert' ORDER BY seq").all()).toEqual([
        { id: 'revert-3', verdict: 'reverted', reason: 'refunded twice; reversed in Payments', origin: 'ann.csv' },
        { id: 'revert-6', verdict: 'reverted', reason: 'refunded twice; reversed in Payments', origin: 'ann.csv' },
      ]);
      expect(createDecisionsRepo(lead).verify()).toEqual({ rows: 12, chained: 12, broken: null });
      // The lead's record demotes on the same evidence: 3 of 8 went wrong (1 failed, 2 reverted).
      expect(demotionEvidence(lead, 'refund', 'refund')).toMatchObject({ runs: 8, failures: 1, reverted: 2, bad: 3, demote: true });
      expect(computeStats(lead).steps[0]).toMatchObject({ autoRuns: 8, autoFailures: 1, autoReverts: 2 });
    } finally {
      lead.close();
    }
    expect(repo.verify()).toEqual({ rows: 12, chained: 12, broken: null });
  });
});
