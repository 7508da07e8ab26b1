// The local triage model: word + character TF-IDF fed to one-vs-rest linear SVMs, with a confidence calibrated on
// held-out examples (temperature scaling) and damped for text unlike anything it was trained on. No network, no key,
// no pretrained weights: everything it knows comes from the examples it is given.
import { createHash } from 'node:crypto';
import { contentStems } from './text.ts';
import { cosine, fitTemperature, packRows, rng, scores, shuffleInPlace, softmax, trainOneVsRest, Vectorizer, type SparseVector } from './local/linear.ts';

export interface Example {
  intent: string;
  text: string;
}

export interface Prediction {
  intent: string;
  confidence: number;
  /** Every intent, best first, with its share of the confidence. */
  ranking: { intent: string; score: number }[];
  nearest: { text: string; similarity: number } | null;
  sharedTerms: string[];
}

export const LOCAL_MODEL_ID = 'local-svm@2';

export interface ClassifierOptions {
  /** Inverse regularisation strength of the SVMs. */
  C?: number;
  maxEpochs?: number;
  seed?: number;
  /** Hold-out folds used to fit the temperature: 0 picks 5 for small sets and one 10% slice for large ones. */
  calibrationFolds?: number;
  /** The character n-grams' share of each vector's length; the words have the rest. */
  charWeight?: number;
}

const DEFAULTS = { C: 1, maxEpochs: 25, seed: 7, tolerance: 0.1, charWeight: Math.SQRT1_2 };
/** Below this share of its content words seen in training, a ticket's confidence is scaled down towards 0. */
const FAMILIAR_COVERAGE = 0.5;

export class LocalClassifier {
  readonly #intents: string[];
  readonly #vectorizer: Vectorizer;
  readonly #weights: Float32Array;
  readonly #temperature: number;
  readonly #examples: { intent: number; text: string; vector: SparseVector }[];
  readonly #knownStems: Set<string>;
  readonly fingerprint: string;
  /** Milliseconds the training took, calibration included. */
  readonly trainMs: number;

  constructor(examples: readonly Example[], options: ClassifierOptions = {}) {
    const t0 = performance.now();
    const o = { ...DEFAULTS, ...options };
    this.fingerprint = fingerprint(examples, o);
    this.#intents = [...new Set(examples.map((e) => e.intent))];
    const classOf = new Map(this.#intents.map((intent, k) => [intent, k]));
    const labels = Int32Array.from(examples, (e) => classOf.get(e.intent)!);
    this.#knownStems = new Set(examples.flatMap((e) => contentStems(e.text)));
    this.#vectorizer = new Vectorizer(examples.map((e) => e.text), o.charWeight);
    const vectors = examples.map((e) => this.#vectorizer.vectorize(e.text));
    this.#examples = examples.map((e, i) => ({ intent: labels[i]!, text: e.text, vector: vectors[i]! }));
    const X = packRows(vectors);
    const dim = this.#vectorizer.size;
    const K = this.#intents.length;
    const svm = { C: o.C, maxEpochs: o.maxEpochs, seed: o.seed, tolerance: o.tolerance };
    const all = Int32Array.from(examples, (_, i) => i);

    // Calibration: scores for examples the model did not train on, then the temperature that fits them best.
    const heldOut: { scores: Float64Array; label: number }[] = [];
    if (K > 1 && examples.length >= 10) {
      const order = all.slice();
      shuffleInPlace(order, rng(o.seed ^ 0x5eed));
      const folds = o.calibrationFolds || (examples.length < 2000 ? 5 : 10);
      const rounds = o.calibrationFolds || examples.length < 2000 ? folds : 1; // large sets: one 10% slice is enough
      for (let f = 0; f < rounds; f++) {
        const test = order.filter((_, i) => i % folds === f);
        const train = order.filter((_, i) => i % folds !== f);
        const w = trainOneVsRest(X, labels, train, K, dim, svm);
        for (const i of test) heldOut.push({ scores: scores(w, K, dim, vectors[i]!), label: labels[i]! });
      }
    }
    this.#temperature = fitTemperature(heldOut);
    this.#weights = trainOneVsRest(X, labels, all, K, dim, svm);
    this.trainMs = performance.now() - t0;
  }

  get intents(): readonly string[] {
    return this.#intents;
  }

  get temperature(): number {
    return this.#temperature;
  }

  predict(text: string, fallbackIntent?: string): Prediction {
    const K = this.#intents.length;
    const stems = contentStems(text);
    const known = stems.filter((s) => this.#knownStems.has(s)).length;
    // A ticket whose words the model has never seen is unlike every example, however the scores split.
    const coverage = stems.length === 0 ? 0 : known / stems.length;
    const familiarity = Math.min(1, coverage / FAMILIAR_COVERAGE);
    if (K === 0 || known === 0) {
      return { intent: fallbackIntent ?? this.#intents[0] ?? 'other', confidence: 0, ranking: this.#intents.map((intent) => ({ intent, score: 0 })), nearest: null, sharedTerms: [] };
    }
    const x = this.#vectorizer.vectorize(text);
    const p = K === 1 ? Float64Array.of(1) : softmax(scores(this.#weights, K, this.#vectorizer.size, x), this.#temperature);
    const ranking = this.#intents.map((intent, k) => ({ intent, score: p[k]! * familiarity })).sort((a, b) => b.score - a.score);
    const top = ranking[0]!;
    const k = this.#intents.indexOf(top.intent);
    let nearest: { text: string; similarity: number } | null = null;
    for (const ex of this.#examples) {
      if (ex.intent !== k) continue;
      const s = cosine(x, ex.vector);
      if (!nearest || s > nearest.similarity) nearest = { text: ex.text, similarity: s };
    }
    const nearestStems = new Set(nearest ? contentStems(nearest.text) : []);
    const sharedTerms = [...new Set(stems.filter((s) => nearestStems.has(s)))].slice(0, 6);
    return {
      intent: top.intent,
      confidence: round(top.score),
      ranking: ranking.map((r) => ({ intent: r.intent, score: round(r.score) })),
      nearest: nearest && { text: nearest.text, similarity: round(nearest.similarity) },
      sharedTerms,
    };
  }
}

/** Changes whenever the examples or the training settings change, so cached readings from another model are redone. */
function fingerprint(examples: readonly Example[], options: object): string {
  const h = createHash('sha256').update(LOCAL_MODEL_ID).update(JSON.stringify(options));
  for (const e of examples) h.update('\0').update(e.intent).update('\u0001').update(e.text);
  return h.digest('hex').slice(0, 16);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
