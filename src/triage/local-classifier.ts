// The local triage model: word + character TF-IDF fed to one-vs-rest linear SVMs, with a confidence calibrated on
// held-out examples (temperature scaling) and damped for text unlike anything it was trained on. No network, no key,
// no pretrained weights: everything it knows comes from the examples it is given.
import { createHash } from 'node:crypto';
import { TandemError } from '../domain/errors.ts';
import { contentStems, stem, words } from './text.ts';
import { cosine, fitTemperatureSteps, packSteps, rng, runToEnd, scores, shuffleInPlace, softmax, trainSteps, Vectorizer, type SparseRows, type SparseVector, type VectorizerState } from './local/linear.ts';

export interface Example {
  intent: string;
  text: string;
  /** Names the example so a later update can replace or remove it (a decided ticket's id); phrases need none. */
  key?: string | undefined;
}

/** What an incremental update changes: examples removed by key, then examples added (new, or replacing a removed one). */
export interface ExampleChanges {
  added: readonly Example[];
  removed: readonly string[];
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
type Settings = typeof DEFAULTS & ClassifierOptions;
/** The cap on an update's passes over its examples (shrunk passes are cheap). */
const UPDATE_MAX_EPOCHS = 100;
/** Below this share of its content words seen in training, a ticket's confidence is scaled down towards 0. */
const FAMILIAR_COVERAGE = 0.5;

interface StoredExample {
  intent: number;
  text: string;
  key: string | null;
  vector: SparseVector;
}

/** Everything a trained model is. An update makes a new one and leaves the old one as it was. */
interface Fitted {
  settings: Settings;
  intents: string[];
  vectorizer: Vectorizer;
  weights: Float32Array;
  /** The SVMs' dual variables, `alpha[row * intents + k]`: where an update's training starts. */
  alpha: Float64Array;
  temperature: number;
  examples: StoredExample[];
  knownStems: Set<string>;
  fingerprint: string;
  trainMs: number;
  /** How many examples the last full fit (vocabulary, IDF, temperature) saw. */
  fullFitSize: number;
  /** Incremental updates since the last full fit. */
  updates: number;
}

/**
 * A trained model as plain data, to keep between runs (`src/triage/local/model-file.ts` writes it): what it predicts
 * with, and what an update starts from. `LocalClassifier.fromState` gives a model that answers exactly as this one.
 */
export interface ClassifierState {
  settings: Record<string, number>;
  intents: string[];
  vectorizer: VectorizerState;
  weights: Float32Array;
  alpha: Float64Array;
  temperature: number;
  /** Each example's class (index into `intents`), text and key, and its vector as a row of `vectors`. */
  examples: { intent: Int32Array; text: string[]; key: (string | null)[]; vectors: SparseRows };
  knownStems: string[];
  fingerprint: string;
  trainMs: number;
  fullFitSize: number;
  updates: number;
}

/** Marks a constructor argument as an already trained model (from fitSteps / updateSteps), not examples. */
const FITTED = Symbol('fitted');
type FittedToken = { readonly [FITTED]: Fitted };

export class LocalClassifier {
  readonly #m: Fitted;
  readonly fingerprint: string;
  /** Milliseconds the training took: a full fit with calibration, or an update. */
  readonly trainMs: number;

  /** Trains on the examples now, on this thread (the CLI, eval). `fitSteps` trains without holding the thread. */
  constructor(examples: readonly Example[] | FittedToken, options: ClassifierOptions = {}) {
    this.#m = FITTED in examples ? examples[FITTED] : runToEnd(fitSteps(examples, options));
    this.fingerprint = this.#m.fingerprint;
    this.trainMs = this.#m.trainMs;
  }

  /** The constructor's full fit as steps: drive it with `runSliced` to keep the event loop answering. */
  static *fitSteps(examples: readonly Example[], options: ClassifierOptions = {}): Generator<void, LocalClassifier> {
    return new LocalClassifier({ [FITTED]: yield* fitSteps(examples, options) });
  }

  /**
   * This model with changes, in steps. The vocabulary, IDF and calibration temperature stay those of the last full fit;
   * the SVMs start from this model's dual variables (kept for the examples that stay, 0 for new ones), so an update
   * costs a fraction of a full fit and converges to the same optimum within the solver's tolerance. This model is
   * left as it was. Throws when an added example's intent is not one the model knows: that needs a full fit.
   */
  *updateSteps(changes: ExampleChanges): Generator<void, LocalClassifier> {
    return new LocalClassifier({ [FITTED]: yield* updateSteps(this.#m, changes) });
  }

  /** This model as plain data, in steps (the examples' vectors are packed into one block). */
  *stateSteps(): Generator<void, ClassifierState> {
    const m = this.#m;
    const vectors = yield* packSteps(m.examples.map((e) => e.vector));
    return {
      settings: Object.fromEntries(Object.entries(m.settings).filter(([, v]) => v !== undefined)) as Record<string, number>,
      intents: [...m.intents],
      vectorizer: m.vectorizer.state,
      weights: m.weights,
      alpha: m.alpha,
      temperature: m.temperature,
      examples: { intent: Int32Array.from(m.examples, (e) => e.intent), text: m.examples.map((e) => e.text), key: m.examples.map((e) => e.key), vectors },
      knownStems: [...m.knownStems],
      fingerprint: m.fingerprint,
      trainMs: m.trainMs,
      fullFitSize: m.fullFitSize,
      updates: m.updates,
    };
  }

  /**
   * The model a saved state describes: the same predictions, confidences and fingerprint, and updates that start
   * where the saved one's would have. Throws when the state does not hold together (a damaged file).
   */
  static fromState(state: ClassifierState): LocalClassifier {
    return new LocalClassifier({ [FITTED]: restore(state) });
  }

  get intents(): readonly string[] {
    return this.#m.intents;
  }

  get temperature(): number {
    return this.#m.temperature;
  }

  /** How many examples the model learned from. */
  get size(): number {
    return this.#m.examples.length;
  }

  /** How many examples the last full fit saw (its vocabulary, IDF and temperature are still in use). */
  get fullFitSize(): number {
    return this.#m.fullFitSize;
  }

  /** Incremental updates since the last full fit (0: this is a full fit). */
  get updates(): number {
    return this.#m.updates;
  }

  predict(text: string, fallbackIntent?: string): Prediction {
    const m = this.#m;
    const K = m.intents.length;
    const ticketWords = words(text);
    const stems = ticketWords.map(stem); // contentStems(text), with each stem's word beside it
    const known = stems.filter((s) => m.knownStems.has(s)).length;
    // A ticket whose words the model has never seen is unlike every example, however the scores split.
    const coverage = stems.length === 0 ? 0 : known / stems.length;
    const familiarity = Math.min(1, coverage / FAMILIAR_COVERAGE);
    if (K === 0 || known === 0) {
      return { intent: fallbackIntent ?? m.intents[0] ?? 'other', confidence: 0, ranking: m.intents.map((intent) => ({ intent, score: 0 })), nearest: null, sharedTerms: [] };
    }
    const x = m.vectorizer.vectorize(text);
    const p = K === 1 ? Float64Array.of(1) : softmax(scores(m.weights, K, m.vectorizer.size, x), m.temperature);
    const ranking = m.intents.map((intent, k) => ({ intent, score: p[k]! * familiarity })).sort((a, b) => b.score - a.score);
    const top = ranking[0]!;
    const k = m.intents.indexOf(top.intent);
    let nearest: { text: string; similarity: number } | null = null;
    for (const ex of m.examples) {
      if (ex.intent !== k) continue;
      const s = cosine(x, ex.vector);
      if (!nearest || s > nearest.similarity) nearest = { text: ex.text, similarity: s };
    }
    const nearestStems = new Set(nearest ? contentStems(nearest.text) : []);
    // Shown to the associate: the ticket's own words ("status", "planned"), not the model's stems ("statu", "plann").
    const sharedStems = new Set<string>();
    const sharedTerms: string[] = [];
    stems.forEach((s, i) => {
      if (sharedTerms.length < 6 && nearestStems.has(s) && !sharedStems.has(s)) {
        sharedStems.add(s);
        sharedTerms.push(ticketWords[i]!);
      }
    });
    return {
      intent: top.intent,
      confidence: round(top.score),
      ranking: ranking.map((r) => ({ intent: r.intent, score: round(r.score) })),
      nearest: nearest && { text: nearest.text, similarity: round(nearest.similarity) },
      sharedTerms,
    };
  }
}

function svmSettings(o: Settings) {
  return { C: o.C, maxEpochs: o.maxEpochs, seed: o.seed, tolerance: o.tolerance };
}

function* fitSteps(examples: readonly Example[], options: ClassifierOptions): Generator<void, Fitted> {
  const t0 = performance.now();
  const o: Settings = { ...DEFAULTS, ...options };
  const fp = fingerprint(examples, o);
  const intents = [...new Set(examples.map((e) => e.intent))];
  const classOf = new Map(intents.map((intent, k) => [intent, k]));
  const labels = Int32Array.from(examples, (e) => classOf.get(e.intent)!);
  const knownStems = new Set<string>();
  for (let i = 0; i < examples.length; i++) {
    if (i % 512 === 511) yield;
    for (const s of contentStems(examples[i]!.text)) knownStems.add(s);
  }
  const vectorizer = yield* Vectorizer.fitSteps(examples.map((e) => e.text), o.charWeight);
  const vectors: SparseVector[] = [];
  for (let i = 0; i < examples.length; i++) {
    if (i % 256 === 255) yield;
    vectors.push(vectorizer.vectorize(examples[i]!.text));
  }
  const X = yield* packSteps(vectors);
  const dim = vectorizer.size;
  const K = intents.length;
  const svm = svmSettings(o);
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
      const { weights: w } = yield* trainSteps(X, labels, train, K, dim, svm);
      for (const i of test) heldOut.push({ scores: scores(w, K, dim, vectors[i]!), label: labels[i]! });
    }
  }
  yield;
  const temperature = yield* fitTemperatureSteps(heldOut);
  const { weights, alpha } = yield* trainSteps(X, labels, all, K, dim, svm);
  return {
    settings: o,
    intents,
    vectorizer,
    weights,
    alpha,
    temperature,
    examples: examples.map((e, i) => ({ intent: labels[i]!, text: e.text, key: e.key ?? null, vector: vectors[i]! })),
    knownStems,
    fingerprint: fp,
    trainMs: performance.now() - t0,
    fullFitSize: examples.length,
    updates: 0,
  };
}

function* updateSteps(m: Fitted, changes: ExampleChanges): Generator<void, Fitted> {
  const t0 = performance.now();
  const K = m.intents.length;
  const classOf = new Map(m.intents.map((intent, k) => [intent, k]));
  const unknown = changes.added.find((e) => !classOf.has(e.intent));
  if (unknown) {
    throw new TandemError('internal', `An update cannot add the intent "${unknown.intent}", which the model has not seen.`, { hint: 'Fit the model again (a full fit) to add an intent.' });
  }
  const removed = new Set(changes.removed);
  const examples: StoredExample[] = [];
  // The kept rows' dual variables, in their new places; the added rows after them start at 0.
  const warm = new Float64Array(m.examples.length * K);
  for (let r = 0; r < m.examples.length; r++) {
    if (r % 2048 === 2047) yield;
    const e = m.examples[r]!;
    if (e.key !== null && removed.has(e.key)) continue;
    warm.set(m.alpha.subarray(r * K, (r + 1) * K), examples.length * K);
    examples.push(e);
  }
  const kept = examples.length;
  for (let i = 0; i < changes.added.length; i++) {
    if (i % 256 === 255) yield;
    const e = changes.added[i]!;
    examples.push({ intent: classOf.get(e.intent)!, text: e.text, key: e.key ?? null, vector: m.vectorizer.vectorize(e.text) });
  }
  yield;
  const X = yield* packSteps(examples.map((e) => e.vector));
  const labels = Int32Array.from(examples, (e) => e.intent);
  const rows = Int32Array.from(examples, (_, i) => i);
  // Shrinking: most rows sit where the last fit left them, so passes visit the few that move (the stopping rule
  // still checks every row). With passes that cheap the cap on them can be higher than a cold fit's.
  const svm = { ...svmSettings(m.settings), shrinking: true, maxEpochs: Math.max(m.settings.maxEpochs, UPDATE_MAX_EPOCHS) };
  const trained = yield* trainSteps(X, labels, rows, K, m.vectorizer.size, svm, warm.subarray(0, kept * K));
  return {
    ...m,
    weights: trained.weights,
    alpha: trained.alpha,
    examples,
    fingerprint: updatedFingerprint(m.fingerprint, changes),
    trainMs: performance.now() - t0,
    updates: m.updates + 1,
  };
}

function restore(s: ClassifierState): Fitted {
  const bad = (what: string) => new TandemError('bad_input', `The saved local model does not hold together: ${what}.`, { hint: 'Tandem fits the model again from the maps and the decision log.' });
  const count = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  for (const [name, value] of Object.entries(s.settings)) if (typeof value !== 'number' || !Number.isFinite(value)) throw bad(`setting ${name} is not a number`);
  const settings = { ...DEFAULTS, ...s.settings } as Settings;
  const K = s.intents.length;
  if (new Set(s.intents).size !== K || s.intents.some((i) => typeof i !== 'string')) throw bad('its intents repeat or are not names');
  let vectorizer: Vectorizer;
  try {
    vectorizer = Vectorizer.fromState(s.vectorizer);
  } catch (err) {
    throw bad((err as Error).message);
  }
  const dim = vectorizer.size;
  if (s.weights.length !== (dim + 1) * K) throw bad(`${s.weights.length} weights for ${dim} features and ${K} intents`);
  const { intent, text, key, vectors: X } = s.examples;
  const n = intent.length;
  if (text.length !== n || key.length !== n || X.length !== n || X.ptr.length !== n + 1) throw bad(`its ${n} examples have ${text.length} texts, ${key.length} keys and ${X.length} vectors`);
  if (s.alpha.length !== n * K) throw bad(`${s.alpha.length} dual variables for ${n} examples and ${K} intents`);
  if (X.ptr[0] !== 0 || X.ptr[n] !== X.idx.length || X.idx.length !== X.val.length) throw bad('the example vectors are cut short');
  const examples: StoredExample[] = [];
  for (let i = 0; i < n; i++) {
    const from = X.ptr[i]!;
    const to = X.ptr[i + 1]!;
    if (to < from) throw bad(`example ${i}'s vector ends before it starts`);
    if (intent[i]! < 0 || intent[i]! >= K) throw bad(`example ${i} has no intent`);
    if (typeof text[i] !== 'string' || (key[i] !== null && typeof key[i] !== 'string')) throw bad(`example ${i} has no text`);
    examples.push({ intent: intent[i]!, text: text[i]!, key: key[i]!, vector: { idx: X.idx.subarray(from, to), val: X.val.subarray(from, to) } });
  }
  for (let p = 0; p < X.idx.length; p++) if (X.idx[p]! < 0 || X.idx[p]! >= dim) throw bad('an example vector names a feature the vocabulary lacks');
  if (!(s.temperature > 0) || !Number.isFinite(s.temperature)) throw bad(`its temperature is ${s.temperature}`);
  if (!count(s.fullFitSize) || !count(s.updates) || typeof s.fingerprint !== 'string' || typeof s.trainMs !== 'number') throw bad('its bookkeeping is missing');
  return {
    settings,
    intents: s.intents,
    vectorizer,
    weights: s.weights,
    alpha: s.alpha,
    temperature: s.temperature,
    examples,
    knownStems: new Set(s.knownStems),
    fingerprint: s.fingerprint,
    trainMs: s.trainMs,
    fullFitSize: s.fullFitSize,
    updates: s.updates,
  };
}

/** Changes whenever the examples or the training settings change, so cached readings from another model are redone. */
function fingerprint(examples: readonly Example[], options: object): string {
  const h = createHash('sha256').update(LOCAL_MODEL_ID).update(JSON.stringify(options));
  for (const e of examples) h.update('\0').update(e.intent).update('\u0001').update(e.text);
  return h.digest('hex').slice(0, 16);
}

/** An updated model's fingerprint: the model it started from and what changed, so every update gives a new one. */
function updatedFingerprint(previous: string, changes: ExampleChanges): string {
  const h = createHash('sha256').update(LOCAL_MODEL_ID).update('\0update\0').update(previous);
  for (const key of changes.removed) h.update('\0-').update(key);
  for (const e of changes.added) h.update('\0+').update(e.key ?? '').update('\u0001').update(e.intent).update('\u0001').update(e.text);
  return h.digest('hex').slice(0, 16);
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
