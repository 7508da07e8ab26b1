// `npm run bench`: Tandem's speed, as ratios against a baseline measured in the same run on the same machine.
// Runner case: a 50-step map of pure set/condition steps, run N times with every state change persisted, against a bare loop
// doing the same SQLite writes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MapSchema } from '../src/maps/schema.ts';
import { createRunner } from '../src/runner/runner.ts';
import { unavailableExecutors } from '../src/runner/executors.ts';
import { openDatabase } from '../src/store/db.ts';
import { createDecisionsRepo } from '../src/store/decisions-repo.ts';
import { createRunsRepo } from '../src/store/runs-repo.ts';
import { createTicketsRepo } from '../src/store/tickets-repo.ts';
import { createServer } from 'node:http';
import { startSandbox } from '../resources/sandbox/index.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 1000);
const STEPS = 50;

const map = MapSchema.parse({
  id: 'bench',
  version: 1,
  intent: { title: 'Bench', description: 'Pure steps', examples: ['bench'] },
  steps: Array.from({ length: STEPS }, (_, i) =>
    i % 2 === 0
      ? { id: `s${i}`, block: 'set', values: { n: i === 0 ? '1' : `steps.s${i - 2}.n + 1` } }
      : { id: `s${i}`, block: 'condition', if: `steps.s${i - 1}.n > 0`, else: { escalate: 'impossible' } },
  ),
});

function freshDb() {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-'));
  const db = openDatabase(join(dir, 'tandem.db'));
  createTicketsRepo(db).upsertMany([{ id: 't', source: 'bench', externalId: 't', subject: 's', body: 'b', requester: { name: 'B', email: 'b@example.com' }, channel: 'email', createdAt: 1, contentHash: 'h' }], 1);
  return { db, cleanup: () => (db.close(), rmSync(dir, { recursive: true, force: true })) };
}

async function runnerCase(count: number): Promise<number> {
  const { db, cleanup } = freshDb();
  const runner = createRunner({ db, runs: createRunsRepo(db), decisions: createDecisionsRepo(db), tickets: createTicketsRepo(db), executors: unavailableExecutors('bench'), now: Date.now });
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const run = await runner.start({ ticketId: 't', map, fields: {}, confidence: 1, threshold: 0.5, actor: 'bench' });
    if (run.state !== 'done') throw new Error(`run ended ${run.state}: ${run.escalation}`);
  }
  const ms = performance.now() - t0;
  cleanup();
  return ms;
}

/** The same rows written and updated by a plain loop: what persisting the state costs with no runner around it. */
function baselineCase(count: number): number {
  const { db, cleanup } = freshDb();
  const runs = createRunsRepo(db);
  const snapshot = map;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const id = `r${i}`;
    runs.create({ id, ticketId: 't', map: snapshot, dryRun: false, fields: {}, confidence: 1, threshold: 0.5, createdBy: 'bench', now: Date.now() });
    runs.setState(id, 'running', null, Date.now());
    for (let s = 0; s < STEPS; s++) runs.updateStep(id, `s${s}`, { state: 'done', outputs: s % 2 === 0 ? { n: s / 2 + 1 } : {} }, Date.now());
    runs.setState(id, 'done', null, Date.now());
  }
  const ms = performance.now() - t0;
  cleanup();
  return ms;
}

const fmt = (n: number, d = 1) => n.toFixed(d);

// Warm up both paths once so the JIT and the file cache do not favour whichever runs second.
await runnerCase(20);
baselineCase(20);

const baseline = baselineCase(RUNS);
const runner = await runnerCase(RUNS);
const steps = RUNS * STEPS;
console.log(`runner: ${RUNS} runs x ${STEPS} pure steps, state persisted in SQLite (WAL)`);
console.log(`  baseline (same writes, bare loop): ${fmt(baseline)} ms  = ${fmt((baseline * 1000) / steps, 2)} µs/step`);
console.log(`  runner:                            ${fmt(runner)} ms  = ${fmt((runner * 1000) / steps, 2)} µs/step`);
console.log(`  runner overhead per step: ${fmt(((runner - baseline) * 1000) / steps, 2)} µs; ratio runner/baseline: ${fmt(runner / baseline, 2)}x`);

// Sandbox case: starting the six demo systems with their data, against starting six empty HTTP servers.
const SANDBOX_STARTS = 10;
async function sandboxCase(): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < SANDBOX_STARTS; i++) await (await startSandbox({ slowMs: 0 })).stop();
  return (performance.now() - t0) / SANDBOX_STARTS;
}
async function emptyServersCase(): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < SANDBOX_STARTS; i++) {
    const servers = await Promise.all(Array.from({ length: 6 }, () => new Promise<ReturnType<typeof createServer>>((r) => { const s = createServer(() => undefined); s.listen(0, '127.0.0.1', () => r(s)); })));
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
  return (performance.now() - t0) / SANDBOX_STARTS;
}
await sandboxCase();
const empty = await emptyServersCase();
const sandboxMs = await sandboxCase();
console.log(`sandbox: start + stop of the six demo systems, mean of ${SANDBOX_STARTS}`);
console.log(`  baseline (six empty HTTP servers): ${fmt(empty, 2)} ms`);
console.log(`  sandbox with its data:             ${fmt(sandboxMs, 1)} ms; ratio ${fmt(sandboxMs / empty, 1)}x`);

// Local triage case: retraining the demo model from experience (the maps' phrases plus 100 decided tickets), against
// reading those 100 tickets once with the trained model — what a debounced retrain after a verdict costs, in reads.
{
  const { loadWorkspace } = await import('../src/workspace/load.ts');
  const { demoWorkspaceDir } = await import('../src/app/paths.ts');
  const { readWorkspaceSplit } = await import('../src/triage/eval.ts');
  const { createLocalTriager, ticketText } = await import('../src/triage/local-triage.ts');
  const ws = loadWorkspace(demoWorkspaceDir());
  const cases = readWorkspaceSplit(demoWorkspaceDir(), 'train');
  const experience = cases.map((c) => ({ intent: c.intents[0]!, text: ticketText(c) }));
  const tickets = cases.map((c) => ({ id: c.id, source: 'bench', externalId: c.id, subject: c.subject, body: c.body, requester: { name: 'B', email: 'b@example.com' }, channel: 'email' as const, createdAt: 0, state: 'new' as const }));
  const REPEAT = 5;
  const retrain = () => createLocalTriager(ws.maps, ws.mapsVersion, 'other', { experience });
  let triager = retrain(); // warm-up
  for (const t of tickets) triager.triage(t, 0);
  let t0 = performance.now();
  for (let i = 0; i < REPEAT; i++) triager = retrain();
  const trainMs = (performance.now() - t0) / REPEAT;
  t0 = performance.now();
  for (let i = 0; i < REPEAT; i++) for (const t of tickets) triager.triage(t, 0);
  const readMs = (performance.now() - t0) / REPEAT;
  console.log(`local triage: demo model, ${experience.length} decided tickets + the maps' phrases, mean of ${REPEAT}`);
  console.log(`  baseline (reading the ${tickets.length} tickets once): ${fmt(readMs, 1)} ms = ${fmt(readMs / tickets.length, 2)} ms/ticket`);
  console.log(`  full retrain with calibration:        ${fmt(trainMs, 1)} ms; ratio ${fmt(trainMs / readMs, 1)}x`);
}
// Retraining after verdicts on a log of ~10,000 decided tickets: full refit vs incremental updates, and how long the
// event loop waits during each (bench/retrain.ts).
{
  const { retrainBench } = await import('./retrain.ts');
  await retrainBench();
}
// Start-up to the first triage on a log of ~10,000 decided tickets: with no saved model (cold) and with the model kept
// in the data folder by the previous run (warm), against the full fit at every start that came before (bench/startup.ts).
{
  const { startupBench } = await import('./startup.ts');
  await startupBench();
}
// The LLM path: what Tandem adds to a chat completion, and the queue's concurrency (bench/llm-triage.ts, a script).
await import('./llm-triage.ts');
// The decisioning record: appends, export and dashboard queries at scale (bench/record.ts).
const { recordBench } = await import('./record.ts');
await recordBench();
