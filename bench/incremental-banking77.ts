// Incremental updates against a full fit on BANKING77: a full model on 9,000 training rows, the rest added in batches
// of 50 by warm-started updates, then test accuracy of both and how often they disagree. A script, not part of
// `npm run bench` (it trains for about a minute): node bench/incremental-banking77.ts [DATA_DIR]
import { join } from 'node:path';
import { readTextCategoryCsv } from '../src/triage/eval.ts';
import { LocalClassifier, type Example } from '../src/triage/local-classifier.ts';
import { rng, runToEnd, shuffleInPlace } from '../src/triage/local/linear.ts';

const dir = process.argv[2] ?? join(import.meta.dirname, '../../shared/data/banking77');
const FIRST = 9000;
const BATCH = 50;

const train = readTextCategoryCsv(join(dir, 'train.csv'));
const test = readTextCategoryCsv(join(dir, 'test.csv'));
// The file is grouped by category; a seeded shuffle makes the later rows a sample of every category, as verdicts are.
const order = Int32Array.from(train, (_, i) => i);
shuffleInPlace(order, rng(77));
const examples: Example[] = Array.from(order, (i, n) => ({ intent: train[i]!.intents[0]!, text: train[i]!.body, key: `row${n}` }));

function accuracy(model: LocalClassifier): { accuracy: number; predictions: string[] } {
  const predictions = test.map((c) => model.predict(c.body).intent);
  const right = predictions.filter((p, i) => p === test[i]!.intents[0]).length;
  return { accuracy: right / test.length, predictions };
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
/** CPU milliseconds of this process: on a shared, loaded machine a fairer measure than the wall clock. */
const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
let t0 = performance.now();
let c0 = process.cpuUsage();
const full = new LocalClassifier(examples);
const fullMs = performance.now() - t0;
const fullCpu = cpuMs(c0);
const fullResult = accuracy(full);
console.log(`full fit on all ${examples.length} rows: ${(fullMs / 1000).toFixed(1)} s (${(fullCpu / 1000).toFixed(1)} s CPU), test accuracy ${pct(fullResult.accuracy)}`);

t0 = performance.now();
let model = new LocalClassifier(examples.slice(0, FIRST));
const firstMs = performance.now() - t0;
const firstResult = accuracy(model);
console.log(`full fit on the first ${FIRST} rows: ${(firstMs / 1000).toFixed(1)} s, test accuracy ${pct(firstResult.accuracy)}`);
const batchMs: number[] = [];
c0 = process.cpuUsage();
for (let start = FIRST; start < examples.length; start += BATCH) {
  const s = performance.now();
  model = runToEnd(model.updateSteps({ added: examples.slice(start, start + BATCH), removed: [] }));
  batchMs.push(performance.now() - s);
}
const updatesCpu = cpuMs(c0);
const inc = accuracy(model);
const disagree = inc.predictions.filter((p, i) => p !== fullResult.predictions[i]).length;
const total = batchMs.reduce((a, b) => a + b, 0);
console.log(`then ${batchMs.length} updates of ≤ ${BATCH} rows (${examples.length - FIRST} rows): ${(total / 1000).toFixed(1)} s in all, ` +
  `mean ${(total / batchMs.length).toFixed(0)} ms, max ${Math.max(...batchMs).toFixed(0)} ms per update (${((total / batchMs.length / fullMs) * 100).toFixed(1)}% of the full fit); ` +
  `CPU ${(updatesCpu / batchMs.length).toFixed(0)} ms per update (${((updatesCpu / batchMs.length / fullCpu) * 100).toFixed(1)}% of the full fit's CPU)`);
console.log(`incrementally updated model: test accuracy ${pct(inc.accuracy)} (full fit ${pct(fullResult.accuracy)}); ` +
  `the two disagree on ${disagree} of ${test.length} test rows (${pct(disagree / test.length)})`);
console.log(`model sizes: ${model.size} examples, vocabulary of the first ${model.fullFitSize}, ${model.updates} updates`);
