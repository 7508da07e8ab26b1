// Start-up with a large decision log: the time from createApp() to the first triage on a log of ~10,000 decided
// tickets (BANKING77's training rows as tickets, read and decided, in a real SQLite log; 77 maps, one per category),
// with no saved model (cold) and with the model the previous run kept in the data folder (warm), in the same run.
// Before each start, 20 new tickets arrive undecided: the start triages them. For each start: when the first of them
// had a reading, when the full model's readings were in place (app.settle()), and the longest the event loop waited
// (perf_hooks.monitorEventLoopDelay). The baseline is the code before the model was kept: a full fit on the thread
// at every start. Data: ../shared/data/banking77 (or BENCH_BANKING77=<dir>); skipped when absent.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { createApp, type AppOptions } from '../src/app/create-app.ts';
import { DATABASE_FILE } from '../src/app/paths.ts';
import { openDatabase } from '../src/store/db.ts';
import { createDecisionsRepo } from '../src/store/decisions-repo.ts';
import { createTicketsRepo } from '../src/store/tickets-repo.ts';
import { createTriageRepo } from '../src/store/triage-repo.ts';
import { readTextCategoryCsv, type LabelledCase } from '../src/triage/eval.ts';
import { LocalClassifier, LOCAL_MODEL_ID } from '../src/triage/local-classifier.ts';
import { createModelFile, MODEL_FILE } from '../src/triage/local/model-file.ts';
import { writeFiles } from '../src/testing/temp-dirs.ts';

export async function startupBench(): Promise<void> {
  const dataDir = process.env.BENCH_BANKING77 ?? join(import.meta.dirname, '../../shared/data/banking77');
  if (!existsSync(join(dataDir, 'train.csv'))) {
    console.log(`startup: skipped (no BANKING77 data at ${dataDir}; set BENCH_BANKING77)`);
    return;
  }
  const fmt = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const train = readTextCategoryCsv(join(dataDir, 'train.csv'));
  const arriving = readTextCategoryCsv(join(dataDir, 'test.csv'));
  const root = mkdtempSync(join(tmpdir(), 'tandem-bench-startup-'));
  const ws = join(root, 'workspace');
  const data = join(root, 'data');
  try {
    // One map per category, its name as its one example phrase ("card arrival"); two names are not ids as they are.
    const idOf = (c: LabelledCase) => c.intents[0]!.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/_+$/, '');
    const categories = [...new Set(train.map(idOf))];
    writeFiles(ws, {
      'tandem.yaml': stringify({ name: 'Bench bank', triage: { escalate_below: 0.5 } }),
      ...Object.fromEntries(categories.map((c) => [`maps/${c}.yaml`, stringify({ id: c, version: 1, intent: { title: c.replaceAll('_', ' '), description: c.replaceAll('_', ' '), examples: [c.replaceAll('_', ' ')] } })])),
    });

    // The log: every training row a ticket, read by the model and accepted by an associate.
    let n = 0;
    const row = (c: LabelledCase) => ({ id: `bench:${++n}`, source: 'bench', externalId: String(n), subject: 'Question', body: c.body, requester: { name: 'B', email: 'b@example.com' }, channel: 'email' as const, createdAt: n, contentHash: String(n) });
    const db = openDatabase(join(data, DATABASE_FILE));
    const tickets = createTicketsRepo(db);
    const triage = createTriageRepo(db);
    const decisions = createDecisionsRepo(db);
    db.transaction(() => {
      for (const c of train) {
        const t = row(c);
        const intent = idOf(c);
        tickets.upsertMany([t], 0);
        triage.insert({ id: `r-${t.id}`, ticketId: t.id, intent, confidence: 0.9, rationale: 'bench', alternatives: [], fields: {}, model: LOCAL_MODEL_ID, createdAt: t.createdAt }, `old-${t.id}`);
        decisions.insert({ id: `d-${t.id}`, ticketId: t.id, kind: 'triage', triageId: `r-${t.id}`, runId: null, stepId: null, mapId: null, mapVersion: null, actor: 'ann', decidedAt: t.createdAt, suggested: intent, final: intent, verdict: 'accepted', confidence: 0.9, reason: null, decisionMs: 1000 });
      }
    })();
    const verdicts = decisions.triageCount();
    db.close();

    /** New tickets arrive while Tandem is closed; the start triages them. */
    let next = 0;
    function arrive(count: number): string[] {
      const d = openDatabase(join(data, DATABASE_FILE));
      const rows = arriving.slice(next, next + count).map(row);
      next += count;
      createTicketsRepo(d).upsertMany(rows, 0);
      d.close();
      return rows.map((r) => r.id);
    }
    const readingsOf = (app: ReturnType<typeof createApp>, ids: string[]) => ids.map((id) => app.db.prepare('SELECT count(*) FROM triage WHERE ticket_id = ?').pluck().get(id) as number);

    async function start(retrain: AppOptions['retrain']) {
      const ids = arrive(20);
      const h = monitorEventLoopDelay({ resolution: 1 });
      const tick = setInterval(() => {}, 1);
      h.enable();
      await new Promise((resolve) => setTimeout(resolve, 20)); // the monitor's first samples set its baseline
      const t0 = performance.now();
      const app = createApp({ dataDir: data, workspaceDir: ws, host: 'headless', version: 'bench', user: 'ann', watchWorkspace: false, retrain });
      const first = await app.invoke('tickets.get', { id: ids[0] });
      const firstMs = performance.now() - t0;
      if (!first.ok) throw new Error(first.error.message);
      await app.settle();
      const readyMs = performance.now() - t0;
      await new Promise((resolve) => setTimeout(resolve, 10)); // the timer that notices a block fires after it
      h.disable();
      clearInterval(tick);
      return { app, ids, firstMs, readyMs, stallMs: h.max / 1e6 };
    }

    // Before: the model fitted in full on the thread at every start (nothing kept).
    const before = await start({ keep: false, fitInSlicesAbove: Infinity });
    before.app.close();
    // Cold: no saved model yet. A stand-in of the maps' phrases reads the new tickets while the full fit runs in slices.
    const cold = await start({});
    cold.app.close(); // the full model is saved by now (at the latest as the app closes)
    const bytes = statSync(join(data, MODEL_FILE)).size;
    // Warm: the saved model is loaded, then catches up on the log (nothing new here). Twice, the faster kept.
    const warmRuns = [];
    for (let i = 0; i < 2; i++) {
      const warm = await start({});
      // The cold run's tickets keep their readings: the loaded model is the one that read them (same fingerprint).
      if (readingsOf(warm.app, cold.ids).some((count) => count !== 2)) throw new Error('the warm start read the cold start\'s tickets again: the loaded model is not the one saved');
      warm.app.close();
      warmRuns.push(warm);
    }
    const warm = warmRuns[0]!.readyMs <= warmRuns[1]!.readyMs ? warmRuns[0]! : warmRuns[1]!;
    // The load alone: read, check, decode and rebuild the saved model (the median of 3).
    const loads: number[] = [];
    let model: LocalClassifier | undefined;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const read = createModelFile(join(data, MODEL_FILE)).read();
      if (!('saved' in read)) throw new Error(read.why);
      model = LocalClassifier.fromState(read.saved.classifier);
      loads.push(performance.now() - t0);
    }
    const loadMs = loads.sort((a, b) => a - b)[1]!;

    console.log(`startup: createApp() to the first triage, on a log of ${verdicts.toLocaleString('en-US')} decided tickets (BANKING77 training rows, ${categories.length} maps), 20 new tickets per start`);
    const line = (label: string, r: { firstMs: number; readyMs: number; stallMs: number }, first: string) =>
      console.log(`  ${label.padEnd(40)} first triage ${fmt(r.firstMs, 0).padStart(6)} ms (${first}); full model's readings ${fmt(r.readyMs, 0).padStart(6)} ms; longest stall ${fmt(r.stallMs, 0).padStart(6)} ms`);
    line('baseline: full fit at start (before)', before, 'full model');
    line('cold: no saved model', cold, 'stand-in of the maps');
    line('warm: saved model', warm, 'full model');
    console.log(`  (warm runs: ${warmRuns.map((r) => fmt(r.readyMs, 0)).join(' and ')} ms; the saved model: ${fmt(bytes / 1e6, 1)} MB, ${model!.size.toLocaleString('en-US')} examples, loaded in ${fmt(loadMs, 0)} ms)`);
    console.log(`  cold / warm, to the full model's readings: ${fmt(cold.readyMs / warm.readyMs, 1)}x; before / warm, to the first triage: ${fmt(before.firstMs / warm.firstMs, 1)}x`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.main) await startupBench();
