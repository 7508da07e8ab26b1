// `node bench/export.ts`: only the record's export case of `npm run bench` (bench/record.ts), repeated, each export
// beside a bare write of the same bytes measured right after it (the faster of two, each side after a `sync`: see
// record.ts), with CPU times and the load average. For comparing changes to the export on a shared machine, where
// one run proves little.
// BENCH_EXPORT_LOG=<file>: the log to export, built there first (BENCH_DECISIONS decisions, default 1,000,000, as the
// full bench builds it) when the file does not exist yet; without it a log is built in a temporary folder and removed.
// BENCH_EXPORT_RUNS: how many export + bare-write pairs (default 3).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/store/db.ts';
import { bareWrite, fillLog, flushWrites } from './record.ts';

const RUNS = Number(process.env.BENCH_EXPORT_RUNS ?? 3);
const MB = 1024 * 1024;
const fmt = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-export-'));
const log = process.env.BENCH_EXPORT_LOG ?? join(dir, 'tandem.db');
if (!existsSync(log)) {
  console.log(`building the log in ${log} ...`);
  const db = openDatabase(log);
  fillLog(db);
  db.close();
}

type Child = { rows: number; ms: number; cpuMs: number; rss: number; heap: number; bytes: number };
const child = (args: string[]) => {
  flushWrites();
  return JSON.parse(execFileSync(process.execPath, [join(import.meta.dirname, 'export-child.ts'), ...args], { encoding: 'utf8' })) as Child;
};
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const csv = join(dir, 'export.csv');
try {
  for (let run = 1; run <= RUNS; run++) {
    const before = load();
    const exp = child(['export', log, csv]);
    const bare = bareWrite(child, csv, join(dir, 'bare.csv'), exp.bytes);
    const mbps = (ms: number) => exp.bytes / MB / (ms / 1000);
    console.log(
      `run ${run}: ${fmt(exp.rows, 0)} rows, ${fmt(exp.bytes / MB, 0)} MB in ${fmt(exp.ms / 1000, 2)} s (CPU ${fmt(exp.cpuMs / 1000, 2)} s) = ${fmt((exp.rows / exp.ms) * 1000, 0)} rows/s = ${fmt(mbps(exp.ms), 1)} MB/s; ` +
        `bare write ${fmt(mbps(bare.ms), 0)} MB/s (CPU ${fmt(bare.cpuMs / 1000, 2)} s); ${fmt((mbps(exp.ms) / mbps(bare.ms)) * 100, 1)}% of it; RSS ${fmt(exp.rss / MB, 0)} MB (bare ${fmt(bare.rss / MB, 0)} MB), heap ${fmt(exp.heap / MB, 0)} MB; load ${before} → ${load()}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
