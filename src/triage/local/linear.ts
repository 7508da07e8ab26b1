// The numeric core of the local model: sparse TF-IDF vectors and one-vs-rest linear SVMs trained by dual coordinate
// descent (the liblinear L2-loss solver), with a seeded shuffle so the same examples always give the same model.
import { modelTerms } from '../text.ts';

/** A sparse vector: parallel arrays of feature indices and values. */
export interface SparseVector {
  idx: Int32Array;
  val: Float64Array;
}

/** Rows of sparse vectors packed into one block of memory (compressed sparse rows). */
export interface SparseRows {
  ptr: Int32Array;
  idx: Int32Array;
  val: Float64Array;
  length: number;
}

/** Deterministic 32-bit generator (mulberry32): a fixed seed gives the same shuffles on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffleInPlace(a: Int32Array, random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}

/** A fitted vectorizer as plain data (see `Vectorizer.state`). */
export interface VectorizerState {
  /** Every term, word (`w…`) or character n-gram (`c…`), at its feature's index. */
  terms: string[];
  idf: Float64Array;
  charWeight: number;
}

/**
 * Word and character TF-IDF with sublinear term frequency; each block is L2-normalised and the two are joined with
 * equal weight, so the whole vector has length 1. Terms never seen in training are dropped.
 */
export class Vectorizer {
  readonly #vocab = new Map<string, number>();
  #idf: Float64Array = new Float64Array(0);

  readonly #charWeight: number;

  /** `charWeight` is the character block's share of the vector's length (the word block has the rest). */
  constructor(texts: readonly string[], charWeight = Math.SQRT1_2) {
    this.#charWeight = charWeight;
    runToEnd(this.#learn(texts));
  }

  /** The same vectorizer as `new Vectorizer(texts)`, built in steps (see `runSliced`). */
  static *fitSteps(texts: readonly string[], charWeight = Math.SQRT1_2): Generator<void, Vectorizer> {
    const v = new Vectorizer([], charWeight);
    yield* v.#learn(texts);
    return v;
  }

  *#learn(texts: readonly string[]): Generator<void, void> {
    this.#vocab.clear();
    const df: number[] = [];
    for (let t = 0; t < texts.length; t++) {
      if (t % 256 === 255) yield;
      const { words, chars } = modelTerms(texts[t]!);
      const seen = new Set<number>();
      for (const w of words) seen.add(this.#id(`w${w}`));
      for (const c of chars) seen.add(this.#id(`c${c}`));
      for (const id of seen) df[id] = (df[id] ?? 0) + 1;
    }
    const n = texts.length;
    this.#idf = new Float64Array(this.#vocab.size);
    for (let i = 0; i < this.#idf.length; i++) this.#idf[i] = Math.log((1 + n) / (1 + (df[i] ?? 0))) + 1;
  }

  /** What the vectorizer learned, to save: its terms in feature order, their IDF, and the character block's share. */
  get state(): VectorizerState {
    return { terms: [...this.#vocab.keys()], idf: this.#idf, charWeight: this.#charWeight };
  }

  /** The vectorizer a saved state describes: it vectorizes every text exactly as the one that was saved. */
  static fromState(state: VectorizerState): Vectorizer {
    const v = new Vectorizer([], state.charWeight);
    for (const term of state.terms) v.#id(term);
    if (v.size !== state.terms.length) throw new Error('the vocabulary names a term twice');
    if (state.idf.length !== v.size) throw new Error(`the vocabulary has ${v.size} terms but ${state.idf.length} IDF weights`);
    v.#idf = state.idf;
    return v;
  }

  /** Number of features, not counting the bias the classifier adds. */
  get size(): number {
    return this.#vocab.size;
  }

  #id(term: string): number {
    let id = this.#vocab.get(term);
    if (id === undefined) {
      id = this.#vocab.size;
      this.#vocab.set(term, id);
    }
    return id;
  }

  vectorize(text: string): SparseVector {
    const { words, chars } = modelTerms(text);
    const a = this.#block(words, 'w');
    const b = this.#block(chars, 'c');
    const idx = new Int32Array(a.length + b.length);
    const val = new Float64Array(a.length + b.length);
    const both = a.length > 0 && b.length > 0;
    const scales = [both ? Math.sqrt(1 - this.#charWeight ** 2) : 1, both ? this.#charWeight : 1];
    let k = 0;
    for (const [bi, block] of [a, b].entries()) {
      const scale = scales[bi]!;
      let norm = 0;
      for (const [, w] of block) norm += w * w;
      norm = Math.sqrt(norm) || 1;
      for (const [id, w] of block) {
        idx[k] = id;
        val[k++] = (w / norm) * scale;
      }
    }
    return { idx, val };
  }

  #block(terms: readonly string[], prefix: string): [number, number][] {
    const tf = new Map<number, number>();
    for (const t of terms) {
      const id = this.#vocab.get(prefix + t);
      if (id !== undefined) tf.set(id, (tf.get(id) ?? 0) + 1);
    }
    return [...tf].map(([id, n]) => [id, (1 + Math.log(n)) * this.#idf[id]!]);
  }
}

export function packRows(vectors: readonly SparseVector[]): SparseRows {
  return runToEnd(packSteps(vectors));
}

/** packRows in steps of a few thousand rows (see `runSliced`). */
export function* packSteps(vectors: readonly SparseVector[]): Generator<void, SparseRows> {
  const ptr = new Int32Array(vectors.length + 1);
  let nnz = 0;
  for (let i = 0; i < vectors.length; i++) {
    nnz += vectors[i]!.idx.length;
    ptr[i + 1] = nnz;
  }
  const idx = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  for (let i = 0; i < vectors.length; i++) {
    if (i % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    idx.set(vectors[i]!.idx, ptr[i]!);
    val.set(vectors[i]!.val, ptr[i]!);
  }
  return { ptr, idx, val, length: vectors.length };
}

export interface SvmOptions {
  /** Inverse regularisation strength. */
  C: number;
  maxEpochs: number;
  seed: number;
  /** Stop when the projected gradient's spread falls under this (liblinear's eps). */
  tolerance: number;
  /**
   * liblinear's shrinking: rows at 0 far outside the margin leave the pass until the end, when one pass over every
   * row confirms the stopping rule. Same optimum, far fewer row visits once most rows are settled (a warm start).
   */
  shrinking?: boolean;
}

/**
 * Trains one L2-regularised, L2-loss linear SVM per class (one-vs-rest) by dual coordinate descent.
 * `rows` picks which rows of X take part (the others are held out). Returns weights laid out feature-major,
 * `weights[f * classes + k]`, with the bias at feature `dim`, so scoring a sparse vector walks memory in order.
 */
export function trainOneVsRest(X: SparseRows, labels: Int32Array, rows: Int32Array, classes: number, dim: number, options: SvmOptions): Float32Array {
  return runToEnd(trainSteps(X, labels, rows, classes, dim, options)).weights;
}

/** What training leaves: the weights, and the dual variables that let a later update start where this one ended. */
export interface TrainedSvms {
  weights: Float32Array;
  /** One dual variable per (row, class), `alpha[r * classes + k]` for `rows[r]`. */
  alpha: Float64Array;
}

/** Rows between two pauses (a pass, packing), so one pass over a large set never holds the thread for long. */
const ROWS_PER_STEP = 512;

/**
 * trainOneVsRest as steps: yields every few thousand rows so a caller can give the thread back (see `runSliced`).
 * `warm` holds a starting dual variable per (row, class) laid out like `TrainedSvms.alpha` for the first rows (the
 * rows after them are new and start at 0): dual
 * coordinate descent then starts from the previous optimum instead of from zero, and the same stopping rule applies.
 */
export function* trainSteps(X: SparseRows, labels: Int32Array, rows: Int32Array, classes: number, dim: number, options: SvmOptions, warm?: Float64Array): Generator<void, TrainedSvms> {
  const weights = new Float32Array((dim + 1) * classes);
  const all = new Float64Array(rows.length * classes);
  if (warm) all.set(warm.subarray(0, all.length));
  /** Rows from here on are new to a warm start. */
  const warmRows = warm ? Math.floor(warm.length / classes) : 0;
  const w = new Float64Array(dim + 1);
  const alpha = new Float64Array(rows.length);
  const order = new Int32Array(rows.length);
  const diag = 1 / (2 * options.C);
  const qd = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    if (r % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    const i = rows[r]!;
    let s = 1; // the bias feature
    for (let p = X.ptr[i]!; p < X.ptr[i + 1]!; p++) s += X.val[p]! * X.val[p]!;
    qd[r] = s + diag;
  }
  for (let k = 0; k < classes; k++) {
    w.fill(0);
    for (let r = 0; r < rows.length; r++) {
      const a = all[r * classes + k]!;
      alpha[r] = a;
      order[r] = r;
      if (r % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
      if (a === 0) continue;
      // w = sum of alpha * y * x: the primal weights the warm dual variables stand for.
      const i = rows[r]!;
      const d = labels[i] === k ? a : -a;
      for (let p = X.ptr[i]!; p < X.ptr[i + 1]!; p++) w[X.idx[p]!]! += d * X.val[p]!;
      w[dim]! += d;
    }
    const random = rng(options.seed + k);
    let active = rows.length;
    let pgMaxOld = Infinity;
    if (options.shrinking && warm) {
      // Near the old optimum, only the old support vectors and the new rows are likely to move: the passes start
      // with them, and the closing pass over every row checks the rest.
      active = 0;
      for (let p = 0; p < rows.length; p++) {
        const r = order[p]!;
        if (alpha[r]! > 0 || r >= warmRows) {
          order[p] = order[active]!;
          order[active++] = r;
        }
      }
      pgMaxOld = 0;
    }
    let visited = 0;
    for (let epoch = 0; epoch < options.maxEpochs; epoch++) {
      const view = order.subarray(0, active);
      shuffleInPlace(view, random);
      let pgMax = -Infinity;
      let pgMin = Infinity;
      for (let o = 0; o < active; o++) {
        if (++visited % ROWS_PER_STEP === 0) yield;
        const r = order[o]!;
        const i = rows[r]!;
        const y = labels[i] === k ? 1 : -1;
        const start = X.ptr[i]!;
        const end = X.ptr[i + 1]!;
        let dot = w[dim]!;
        for (let p = start; p < end; p++) dot += w[X.idx[p]!]! * X.val[p]!;
        const a = alpha[r]!;
        const g = y * dot - 1 + diag * a;
        if (options.shrinking && a === 0 && g > pgMaxOld) {
          // At its bound and pushing outwards harder than anything moved last pass: leave it out until the check.
          active--;
          order[o] = order[active]!;
          order[active] = r;
          o--;
          continue;
        }
        const pg = a === 0 ? Math.min(g, 0) : g;
        if (pg > pgMax) pgMax = pg;
        if (pg < pgMin) pgMin = pg;
        if (Math.abs(pg) > 1e-12) {
          const next = Math.max(a - g / qd[r]!, 0);
          const d = (next - a) * y;
          alpha[r] = next;
          for (let p = start; p < end; p++) w[X.idx[p]!]! += d * X.val[p]!;
          w[dim]! += d;
        }
      }
      yield;
      if (pgMax - pgMin < options.tolerance) {
        if (active === rows.length) break;
        // Converged on the active rows: one more pass over all of them decides.
        active = rows.length;
        pgMaxOld = Infinity;
        continue;
      }
      if (options.shrinking) {
        pgMaxOld = pgMax <= 0 ? Infinity : pgMax; // (no upper bound to shrink at with the L2 loss)
      }
    }
    for (let f = 0; f <= dim; f++) weights[f * classes + k] = w[f]!;
    for (let r = 0; r < rows.length; r++) all[r * classes + k] = alpha[r]!;
  }
  return { weights, alpha: all };
}

/** Runs steps to the end on this thread, without pausing (the CLI, eval, and a model built at start-up). */
export function runToEnd<T>(steps: Generator<void, T>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * Runs steps in slices of about `sliceMs`, giving the event loop a turn between slices, so commands and readings are
 * answered while a model trains. An aborted signal stops it at the next pause with the signal's reason.
 */
export async function runSliced<T>(steps: Generator<void, T>, options: { signal?: AbortSignal | undefined; sliceMs?: number } = {}): Promise<T> {
  const sliceMs = options.sliceMs ?? 8;
  let sliceStart = performance.now();
  for (;;) {
    options.signal?.throwIfAborted();
    const next = steps.next();
    if (next.done) return next.value;
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}

/** Every class's score for one vector: the SVM margins, bias included. */
export function scores(weights: Float32Array, classes: number, dim: number, x: SparseVector, out = new Float64Array(classes)): Float64Array {
  const bias = dim * classes;
  for (let k = 0; k < classes; k++) out[k] = weights[bias + k]!;
  for (let p = 0; p < x.idx.length; p++) {
    const base = x.idx[p]! * classes;
    const v = x.val[p]!;
    for (let k = 0; k < classes; k++) out[k]! += v * weights[base + k]!;
  }
  return out;
}

/** Softmax of scores divided by a temperature, in place-safe form. */
export function softmax(s: Float64Array, temperature: number): Float64Array {
  let max = -Infinity;
  for (const v of s) if (v > max) max = v;
  const out = new Float64Array(s.length);
  let total = 0;
  for (let k = 0; k < s.length; k++) {
    out[k] = Math.exp((s[k]! - max) / temperature);
    total += out[k]!;
  }
  for (let k = 0; k < s.length; k++) out[k]! /= total;
  return out;
}

/**
 * The temperature that makes softmax(score / T) most likely to give the true classes (held-out scores only):
 * temperature scaling, fitted by golden-section search on log T.
 */
export function fitTemperature(heldOut: { scores: Float64Array; label: number }[]): number {
  return runToEnd(fitTemperatureSteps(heldOut));
}

/** fitTemperature in steps, one pass over the held-out scores each (see `runSliced`). */
export function* fitTemperatureSteps(heldOut: { scores: Float64Array; label: number }[]): Generator<void, number> {
  if (heldOut.length === 0) return 1;
  const nll = (logT: number) => {
    const t = Math.exp(logT);
    let sum = 0;
    for (const h of heldOut) sum -= Math.log(Math.max(softmax(h.scores, t)[h.label]!, 1e-12));
    return sum;
  };
  let lo = Math.log(0.01);
  let hi = Math.log(10);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = nll(a);
  let fb = nll(b);
  for (let i = 0; i < 40; i++) {
    yield;
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = nll(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = nll(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}

export function cosine(a: SparseVector, b: SparseVector): number {
  // Both vectors are short; a small map of one of them is cheaper than sorting.
  const m = new Map<number, number>();
  for (let p = 0; p < a.idx.length; p++) m.set(a.idx[p]!, a.val[p]!);
  let dot = 0;
  for (let p = 0; p < b.idx.length; p++) dot += (m.get(b.idx[p]!) ?? 0) * b.val[p]!;
  return dot;
}
