// Runs one export (or the bare write of the same bytes) in a process of its own, so its peak memory is its own and not
// the benchmark's: prints {rows, ms, cpuMs, rss, heap, bytes} as JSON (cpuMs: the process's CPU time, all threads, which
// a machine shared with other work inflates less than the wall-clock ms). Used by bench/record.ts.
import { closeSync, createWriteStream, openSync, readSync, statSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { exportDecisions } from '../src/decisions/export.ts';
import { openDatabase } from '../src/store/db.ts';
import { createDecisionsRepo } from '../src/store/decisions-repo.ts';

const [mode, source, target, size] = process.argv.slice(2) as ['export' | 'bare', string, string, string | undefined];
let rss = process.memoryUsage().rss;
let heap = process.memoryUsage().heapUsed;
const sample = () => {
  const m = process.memoryUsage();
  rss = Math.max(rss, m.rss);
  heap = Math.max(heap, m.heapUsed);
};
const timer = setInterval(sample, 20);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
let rows = 0;
if (mode === 'export') {
  const db = openDatabase(source);
  const out = createWriteStream(target);
  rows = await exportDecisions(createDecisionsRepo(db), 'csv', {}, out);
  await finished(out);
  db.close();
} else {
  // The same number of bytes, taken from the export itself in 64 KiB chunks, through the same kind of stream.
  const bytes = Number(size);
  const chunk = Buffer.alloc(64 * 1024);
  const fd = openSync(source, 'r');
  readSync(fd, chunk, 0, chunk.length, 0);
  closeSync(fd);
  const out = createWriteStream(target);
  for (let left = bytes; left > 0; left -= chunk.length) {
    if (!out.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  out.end();
  await finished(out);
}
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
sample();
clearInterval(timer);
console.log(JSON.stringify({ rows, ms, cpuMs: (cpu.user + cpu.system) / 1000, rss, heap, bytes: statSync(target).size }));
