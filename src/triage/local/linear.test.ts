import { describe, expect, it } from 'vitest';
import { packRows, runSliced, runToEnd, trainSteps, Vectorizer, type SvmOptions } from './linear.ts';

const texts = [
  'card has not arrived', 'still waiting for my card', 'when does my new card come', 'card delivery is late',
  'forgot my pin', 'reset my pin', 'pin blocked after tries', 'change my pin code',
  'exchange rate for euros', 'what rate do you use', 'is the currency rate fair', 'dollar to pound rate today',
];
const labels = Int32Array.from(texts, (_, i) => Math.floor(i / 4));
const vectorizer = new Vectorizer(texts);
const X = packRows(texts.map((t) => vectorizer.vectorize(t)));
const rows = Int32Array.from(texts, (_, i) => i);
const dim = vectorizer.size;
const svm: SvmOptions = { C: 1, maxEpochs: 200, seed: 7, tolerance: 0.001 };
const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('dual coordinate descent', () => {
  it('starts where the warm dual variables leave it: from a fit’s own, one pass gives that fit back', () => {
    const fitted = runToEnd(trainSteps(X, labels, rows, 3, dim, svm));
    const onePass = { ...svm, maxEpochs: 1 };
    const warm = runToEnd(trainSteps(X, labels, rows, 3, dim, onePass, fitted.alpha));
    const cold = runToEnd(trainSteps(X, labels, rows, 3, dim, onePass));
    expect(maxDiff(warm.weights, fitted.weights)).toBeLessThan(1e-3);
    expect(maxDiff(cold.weights, fitted.weights)).toBeGreaterThan(1e-2);
  });

  it('reaches the same optimum with shrinking, from a warm start with new rows at 0', () => {
    const fitted = runToEnd(trainSteps(X, labels, rows, 3, dim, svm));
    const firstNine = runToEnd(trainSteps(X, labels, rows.slice(0, 9), 3, dim, svm)); // rows 9-11 are new below
    const updated = runToEnd(trainSteps(X, labels, rows, 3, dim, { ...svm, shrinking: true }, firstNine.alpha));
    expect(maxDiff(updated.weights, fitted.weights)).toBeLessThan(1e-2);
  });
});

describe('training in slices', () => {
  function* counted(steps: number, seen: { n: number }): Generator<void, string> {
    for (let i = 0; i < steps; i++) {
      seen.n++;
      yield;
    }
    return 'done';
  }

  it('gives the event loop a turn between slices and returns what the steps return', async () => {
    const seen = { n: 0 };
    let turnAt = -1;
    setImmediate(() => (turnAt = seen.n));
    expect(await runSliced(counted(50, seen), { sliceMs: 0 })).toBe('done');
    expect(turnAt).toBeGreaterThanOrEqual(0);
    expect(turnAt).toBeLessThan(50); // the callback ran while steps were still left
  });

  it('stops at the next pause once its signal aborts', async () => {
    const seen = { n: 0 };
    const abort = new AbortController();
    setImmediate(() => abort.abort());
    await expect(runSliced(counted(10_000, seen), { sliceMs: 0, signal: abort.signal })).rejects.toThrow(/abort/i);
    expect(seen.n).toBeLessThan(10_000);
  });
});
