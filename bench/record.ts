// The decisioning record at scale (issue 8): appending N decisions (one transaction each, and batched) against a bare
// better-sqlite3 insert loop of the same rows; exporting them to CSV (rows/s, peak memory sampled during the run)
// against a bare write of the same number of bytes; and the dashboard's queries on that log.
// N: BENCH_DECISIONS (default 1,000,000). Each figure is printed beside its baseline measured in the same run.
// BENCH_RECORD_LOG=<file>: time only the dashboard's queries on a log already built there (a copy of a previous run's
// log: building a million rows takes minutes on a loaded machine, and the dashboard is what changes most often).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeStats } from '../src/decisions/stats.ts';
import { computeTimeline } from '../src/decisions/timeline.ts';
import { reviewPage } from '../src/decisions/review.ts';
import type { Decision } from '../src/domain/triage.ts';
import { openDatabase, type Db } from '../src/store/db.ts';
import { createDecisionsRepo } from '../src/store/decisions-repo.ts';

const N = Number(process.env.BENCH_DECISIONS ?? 1_000_000);
const BATCH = 1000;
const YEAR = 365 * 86_400_000;
const T0 = Date.parse('2025-11-01T00:00:00Z');
const MAPS = ['refund_request', 'where_is_my_order', 'damaged_item', 'cancel_subscription', 'update_account_email', 'change_shipping_address', 'other'];
const STEPS = ['find', 'check', 'refund', 'note', 'reply'];
const fmt = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

/** The i-th decision of a year of a team's work: mostly step verdicts, some triage, shadow and escalations. */
function decision(i: number): Decision {
  const r = (i * 2654435761) % 1000; // a fixed spread of kinds and verdicts, the same in every case
  const mapId = MAPS[i % MAPS.length]!;
  const decidedAt = T0 + Math.floor((i / N) * YEAR);
  const base = { id: `d-${i}`, ticketId: `helpdesk:${100000 + (i % 50000)}`, triageId: null, runId: null, stepId: null, mapId: null as string | null, mapVersion: null as number | null, actor: ['ann', 'bo', 'chen', 'dee'][i % 4]!, decidedAt, confidence: 0.5 + (r % 50) / 100, reason: null as string | null, decisionMs: 800 + (r % 400) * 10 };
  if (r < 100) return { ...base, kind: 'triage', triageId: `t-${i}`, suggested: mapId, final: r < 85 ? mapId : mapId === 'other' ? 'refund_request' : 'other', verdict: r < 85 ? 'accepted' : 'overridden', reason: r < 85 ? null : 'customer asked two things' };
  const step = { ...base, runId: `r-${i}`, stepId: STEPS[i % STEPS.length]!, mapId, mapVersion: 3 };
  const suggested = JSON.stringify({ connector: 'payments', method: 'POST', path: '/refunds', body: { order: String(100000 + (i % 50000)), amount: 4500 + (r % 7) * 100, note: 'Refund for a damaged item, "as agreed"' } });
  if (r < 150) return { ...step, kind: 'shadow', actor: 'tandem (shadow)', suggested, final: r < 140 ? suggested : 'null', verdict: r < 140 ? 'accepted' : 'overridden' };
  if (r < 160) return { ...step, kind: 'escalation', actor: 'tandem (auto)', suggested, final: '{"code":"connector_rejected"}', verdict: 'escalated', reason: 'automatic run failed: Payments rejected the refund' };
  if (r < 850) return { ...step, kind: 'step', suggested, final: suggested, verdict: r < 800 ? 'accepted' : 'auto' };
  if (r < 930) return { ...step, kind: 'step', suggested, final: suggested.replace('4500', '4000'), verdict: 'edited', reason: 'partial refund, one item kept' };
  return { ...step, kind: 'step', suggested, final: 'null', verdict: r < 970 ? 'skipped' : 'escalated', reason: r < 970 ? 'customer withdrew' : 'VIP, lead decides' };
}

const INSERT = `INSERT INTO decisions (id, ticket_id, kind, triage_id, run_id, step_id, map_id, map_version, actor, decided_at, suggested, final, verdict, confidence, reason, decision_ms, prev_hash, hash)
  VALUES (@id, @ticketId, @kind, @triageId, @runId, @stepId, @mapId, @mapVersion, @actor, @decidedAt, @suggested, @final, @verdict, @confidence, @reason, @decisionMs, @prevHash, @hash)`;

function fresh(): { db: Db; dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-record-'));
  const db = openDatabase(join(dir, 'tandem.db'));
  return { db, dir, done: () => (db.close(), rmSync(dir, { recursive: true, force: true })) };
}

function time(task: () => void): number {
  const t0 = performance.now();
  task();
  return performance.now() - t0;
}

/** 64 hex digits that look like a SHA-256 (spread over the whole key space, as hashes are) but cost nothing to make. */
function fakeHash(i: number): string {
  let x = (i + 1) * 0x9e3779b1;
  let out = '';
  for (let k = 0; k < 8; k++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += (x >>> 0).toString(16).padStart(8, '0');
  }
  return out;
}

/**
 * The bare loop: the same rows into the same table (indexes, triggers), no chain lookup and no hashing. Its hash
 * column gets random-looking 64-hex values like the real ones: the unique index on it then costs what it costs Tandem
 * (a sequential key would make the baseline's index appends unrealistically cheap).
 */
function bare(db: Db, n: number, batched: boolean): number {
  const insert = db.prepare(INSERT);
  const one = (i: number) => insert.run({ ...decision(i), prevHash: null, hash: fakeHash(i) });
  if (!batched) return time(() => { for (let i = 0; i < n; i++) one(i); });
  const batch = db.transaction((from: number) => { for (let i = from; i < Math.min(n, from + BATCH); i++) one(i); });
  return time(() => { for (let i = 0; i < n; i += BATCH) batch(i); });
}

function tandem(db: Db, n: number, batched: boolean): number {
  const repo = createDecisionsRepo(db);
  if (!batched) return time(() => { for (let i = 0; i < n; i++) repo.insert(decision(i)); });
  const batch = db.transaction((from: number) => { for (let i = from; i < Math.min(n, from + BATCH); i++) repo.insert(decision(i)); });
  return time(() => { for (let i = 0; i < n; i += BATCH) batch(i); });
}

const MB = 1024 * 1024;

/**
 * Has the OS write out what earlier steps left in its page cache (the log, the previous side's 539 MB), so that each
 * side of the export case starts alike: otherwise whichever side runs second pays for the first one's write-back,
 * which made the bare write look up to twice as slow right after a fast export. Where there is no `sync`, nothing.
 */
export function flushWrites(): void {
  try {
    execFileSync('sync');
  } catch {
    // no sync command (Windows): the figures are then as noisy as they were
  }
}

/**
 * The baseline: the export's bytes written bare, twice, the faster kept. The first write after a large one is at times
 * slowed by what the OS still does about the last (seen: 1.4 s, then 0.2–0.3 s for the same 539 MB), and the
 * baseline is meant as what the disk can take.
 */
export function bareWrite<T extends { ms: number }>(child: (args: string[]) => T, source: string, target: string, bytes: number): T {
  const runs = [0, 1].map(() => {
    rmSync(target, { force: true });
    return child(['bare', source, target, String(bytes)]);
  });
  rmSync(target, { force: true });
  return runs[0]!.ms <= runs[1]!.ms ? runs[0]! : runs[1]!;
}

/** The log the export and the dashboard read: `n` decisions appended by Tandem (batched), checkpointed and analysed. */
export function fillLog(db: Db, n: number = N): void {
  tandem(db, n, true);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
}

export async function recordBench(): Promise<void> {
  const prebuilt = process.env.BENCH_RECORD_LOG;
  if (prebuilt) {
    const db = openDatabase(prebuilt);
    db.exec('ANALYZE');
    const n = db.prepare('SELECT count(*) FROM decisions').pluck().get() as number;
    console.log(`\ndecisioning record: the dashboard only, on ${fmt(n, 0)} decisions already in ${prebuilt} (BENCH_RECORD_LOG)`);
    dashboard(db, n);
    db.close();
    return;
  }
  console.log(`\ndecisioning record: ${fmt(N, 0)} decisions (BENCH_DECISIONS), batches of ${BATCH}`);
  // Appends. Warm-up first so neither side pays the JIT; single-transaction appends are timed on a tenth of N (at
  // one fsync-free WAL commit each they measure the commit, not the record), batched ones on all N.
  const single = Math.max(1000, Math.floor(N / 10));
  for (const batched of [false, true]) {
    const count = batched ? N : single;
    const w1 = fresh(); bare(w1.db, 2000, batched); w1.done();
    const w2 = fresh(); tandem(w2.db, 2000, batched); w2.done();
    const a = fresh(); const bareMs = bare(a.db, count, batched); a.done();
    const b = fresh(); const tandemMs = tandem(b.db, count, batched); b.done();
    const rate = (ms: number) => (count / ms) * 1000;
    console.log(`  append ${batched ? 'batched' : 'one transaction each'} (${fmt(count, 0)} rows)`);
    console.log(`    baseline (bare insert loop, same rows): ${fmt(rate(bareMs), 0)} rows/s`);
    console.log(`    Tandem (chained, hashed):              ${fmt(rate(tandemMs), 0)} rows/s = ${fmt((rate(tandemMs) / rate(bareMs)) * 100, 0)}% of the bare rate (goal ≥ 50%)`);
  }

  // The log the export and the dashboard read: N decisions appended by Tandem (batched).
  const log = fresh();
  fillLog(log.db, N);

  // The export and its baseline each run in a process of their own, so the peak memory measured is the export's alone.
  const csv = join(log.dir, 'export.csv');
  const child = (args: string[]) => {
    flushWrites();
    return JSON.parse(execFileSync(process.execPath, [join(import.meta.dirname, 'export-child.ts'), ...args], { encoding: 'utf8' })) as { rows: number; ms: number; cpuMs: number; rss: number; heap: number; bytes: number };
  };
  const exp = child(['export', join(log.dir, 'tandem.db'), csv]);
  const bytes = exp.bytes;
  const baseline = bareWrite(child, csv, join(log.dir, 'bare.csv'), bytes);
  const mbps = (ms: number) => bytes / MB / (ms / 1000);
  console.log(`  export to CSV: ${fmt(exp.rows, 0)} rows, ${fmt(bytes / MB, 0)} MB (each side in a process of its own)`);
  console.log(`    baseline (bare write of the same bytes): ${fmt(mbps(baseline.ms), 0)} MB/s`);
  console.log(`    Tandem: ${fmt((exp.rows / exp.ms) * 1000, 0)} rows/s = ${fmt(mbps(exp.ms), 1)} MB/s = ${fmt((mbps(exp.ms) / mbps(baseline.ms)) * 100, 1)}% of the bare rate (goal ≥ 50%)`);
  console.log(`    time: ${fmt(exp.ms / 1000, 2)} s, CPU ${fmt(exp.cpuMs / 1000, 2)} s (the bare write: ${fmt(baseline.ms / 1000, 2)} s, CPU ${fmt(baseline.cpuMs / 1000, 2)} s; load ${loadavg()[0]!.toFixed(1)})`);
  console.log(`    peak memory of the exporting process: RSS ${fmt(exp.rss / MB, 0)} MB, heap ${fmt(exp.heap / MB, 0)} MB (goal < 200 MB; the bare writer's: RSS ${fmt(baseline.rss / MB, 0)} MB)`);

  dashboard(log.db, N);
  log.done();
}

/**
 * The dashboard's queries, each the median of 5 runs after one warm-up; the warm-up's own time is printed too (the
 * first call after the process starts, or after decisions landed, pays for what later calls find cached).
 */
function dashboard(db: Db, n: number): void {
  const lastMonth = T0 + YEAR - 30 * 86_400_000;
  const queries: [string, () => unknown][] = [
    ['stats.get, all time', () => computeStats(db)],
    ['stats.get, last 30 days', () => computeStats(db, { since: lastMonth })],
    ['stats.timeline per week, all time', () => computeTimeline(db, { bucket: 'week' })],
    ['stats.timeline per day, last 30 days', () => computeTimeline(db, { bucket: 'day', since: lastMonth })],
    ['stats.timeline per week, one step', () => computeTimeline(db, { bucket: 'week', mapId: 'refund_request', stepId: 'refund' })],
    ['review.list, first page', () => reviewPage(db, { offset: 0, limit: 20 })],
    ['review.list, page 100, edits only', () => reviewPage(db, { offset: 2000, limit: 20, verdict: 'edited' })],
    ['review.list, first page, one map', () => reviewPage(db, { offset: 0, limit: 20, mapId: 'refund_request' })],
  ];
  console.log(`  dashboard queries on ${fmt(n, 0)} decisions (median of 5; goal < 100 ms each; first call in brackets)`);
  for (const [name, q] of queries) {
    const first = time(() => q());
    const times = Array.from({ length: 5 }, () => time(() => q())).sort((a, b) => a - b);
    console.log(`    ${name.padEnd(40)} ${fmt(times[2]!, 1).padStart(9)} ms   (first ${fmt(first, 1)} ms)`);
  }
  // The dashboard in use: a step verdict lands, then the lead looks again (5 times; this adds 5 decisions to the log).
  const repo = createDecisionsRepo(db);
  const stamp = Date.now();
  const landed: number[] = [];
  for (let i = n, k = 0; k < 5; i++) {
    const d = decision(i);
    if (d.kind !== 'step') continue;
    repo.insert({ ...d, id: `bench-${stamp}-${k}`, runId: `bench-${stamp}-${k}` });
    landed.push(time(() => computeStats(db)));
    k++;
  }
  console.log(`    ${'stats.get, all time, after a new verdict'.padEnd(40)} ${fmt(landed.sort((a, b) => a - b)[2]!, 1).padStart(9)} ms`);
}
