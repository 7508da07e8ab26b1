// Retraining the local model after verdicts, on a decision log of ~10,000 decided tickets (BANKING77's training rows
// as tickets, in a real SQLite log): the old full retrain on the core's thread against the trainer's full refit and its
// incremental updates for +1 and +50 new decisions, each run in slices. For each: the time it takes and the longest the
// event loop waited meanwhile (perf_hooks.monitorEventLoopDelay), both as ratios to the old full retrain in this run.
// Data: ../shared/data/banking77 (or BENCH_BANKING77=<dir>); skipped when absent.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openDatabase } from '../src/store/db.ts';
import { createDecisionsRepo } from '../src/store/decisions-repo.ts';
import { createTicketsRepo, toTicket } from '../src/store/tickets-repo.ts';
import { readTextCategoryCsv } from '../src/triage/eval.ts';
import { experienceFromDecisions } from '../src/triage/local/experience.ts';
import { createModelTrainer } from '../src/triage/local/trainer.ts';
import { createLocalTriager, ticketText } from '../src/triage/local-triage.ts';

export async function retrainBench(): Promise<void> {
  const dataDir = process.env.BENCH_BANKING77 ?? join(import.meta.dirname, '../../shared/data/banking77');
  if (!existsSync(join(dataDir, 'train.csv'))) {
    console.log(`retrain: skipped (no BANKING77 data at ${dataDir}; set BENCH_BANKING77)`);
    return;
  }
  const fmt = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const train = readTextCategoryCsv(join(dataDir, 'train.csv'));
  const fresh = readTextCategoryCsv(join(dataDir, 'test.csv')).slice(0, 51); // tickets decided after the log was read
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-retrain-'));
  const db = openDatabase(join(dir, 'tandem.db'));
  try {
    const tickets = createTicketsRepo(db);
    const decisions = createDecisionsRepo(db);
    let n = 0;
    const decide = (cases: typeof train) => {
      const rows = cases.map((c) => ({ id: `bench:${++n}`, source: 'bench', externalId: String(n), subject: 'Question', body: c.body, requester: { name: 'B', email: 'b@example.com' }, channel: 'email' as const, createdAt: n, contentHash: String(n), intent: c.intents[0]! }));
      db.transaction(() => {
        tickets.upsertMany(rows, 0);
        for (const r of rows) {
          decisions.insert({ id: `d-${r.id}`, ticketId: r.id, kind: 'triage', triageId: `t-${r.id}`, runId: null, stepId: null, mapId: null, mapVersion: null, actor: 'ann', decidedAt: r.createdAt, suggested: r.intent, final: r.intent, verdict: 'accepted', confidence: 0.9, reason: null, decisionMs: 1000 });
        }
      })();
    };
    decide(train);
    const textOf = (id: string) => {
      const row = tickets.get(id);
      return row && ticketText(toTicket(row));
    };
    const deps = { base: () => ({ maps: [], mapsVersion: 'bench', learned: [] }), verdictsAfter: (seq: number) => decisions.triageVerdictsAfter(seq), textOf };

    /** The time a task takes and the longest the event loop waited while it ran (a 1 ms timer keeps the loop busy). */
    async function measure(task: () => unknown): Promise<{ ms: number; stallMs: number }> {
      const h = monitorEventLoopDelay({ resolution: 1 });
      const tick = setInterval(() => {}, 1);
      h.enable();
      await new Promise((resolve) => setTimeout(resolve, 20)); // the monitor's first samples set its baseline
      const t0 = performance.now();
      await task();
      const ms = performance.now() - t0;
      await new Promise((resolve) => setTimeout(resolve, 10)); // the timer that notices a block fires after it
      h.disable();
      clearInterval(tick);
      return { ms, stallMs: h.max / 1e6 };
    }

    // Before: every verdict re-read the whole log and refitted on the core's thread. Measured first and last, the
    // faster of the two kept: on a shared machine one run can take twice the other.
    const before = () => measure(() => createLocalTriager([], 'bench', 'other', { experience: experienceFromDecisions(decisions.iterate({}), textOf) }));
    const firstOld = await before();
    const trainer = createModelTrainer(deps);
    const size = trainer.current.classifier.size;
    const refitter = createModelTrainer({ ...deps, refitGrowth: 0 }); // every change calls for a full fit
    decide(fresh.slice(0, 1));
    const refit = await measure(() => refitter.retrain());
    const plus1 = await measure(() => trainer.retrain());
    decide(fresh.slice(1, 51));
    const plus50 = await measure(() => trainer.retrain());
    if (trainer.current.classifier.updates !== 2) throw new Error('the bench expected two incremental updates');
    const lastOld = await before();
    const old = firstOld.ms <= lastOld.ms ? firstOld : lastOld;

    console.log(`retrain: local model on a log of ${size.toLocaleString('en-US')} decided tickets (BANKING77 training rows), then +1 and +50 verdicts`);
    const line = (label: string, r: { ms: number; stallMs: number }) =>
      console.log(`  ${label.padEnd(44)} ${fmt(r.ms, 0).padStart(7)} ms (${fmt(r.ms / old.ms, 3)}x); longest stall ${fmt(r.stallMs, 0).padStart(6)} ms (${fmt(r.stallMs / old.ms, 3)}x)`);
    line(`baseline: full retrain on the thread (before)`, old);
    console.log(`  (the baseline's two runs: ${fmt(firstOld.ms, 0)} and ${fmt(lastOld.ms, 0)} ms)`);
    line('full refit in slices (new intent, +20%, maps)', refit);
    line('incremental update, +1 verdict', plus1);
    line('incremental update, +50 verdicts', plus50);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) await retrainBench();
