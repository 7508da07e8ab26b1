// The local triage model: TF-IDF nearest examples per intent, scaled into a confidence; no network, no key.
import { features } from './text.ts';

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

type Vector = Map<string, number>;

export const LOCAL_MODEL_ID = 'local-tfidf@1';

/** Below this similarity to every example, the ticket is unlike anything the maps describe. */
const MIN_SIMILARITY = 0.05;
/** Sharpness of the softmax over similarities: higher means a clear winner takes more of the confidence. */
const TEMPERATURE = 0.07;

export class LocalClassifier {
  readonly #idf = new Map<string, number>();
  readonly #examples: { intent: string; text: string; vector: Vector }[] = [];
  readonly #intents: string[];

  constructor(examples: readonly Example[]) {
    const docs = examples.map((e) => ({ ...e, terms: features(e.text) }));
    const df = new Map<string, number>();
    for (const d of docs) for (const t of new Set(d.terms)) df.set(t, (df.get(t) ?? 0) + 1);
    for (const [t, n] of df) this.#idf.set(t, Math.log((1 + docs.length) / (1 + n)) + 1);
    for (const d of docs) this.#examples.push({ intent: d.intent, text: d.text, vector: this.#vectorize(d.terms) });
    this.#intents = [...new Set(examples.map((e) => e.intent))];
  }

  get intents(): readonly string[] {
    return this.#intents;
  }

  predict(text: string, fallbackIntent?: string): Prediction {
    const v = this.#vectorize(features(text));
    const best = new Map<string, { similarity: number; text: string }>();
    for (const ex of this.#examples) {
      const s = cosine(v, ex.vector);
      const cur = best.get(ex.intent);
      if (!cur || s > cur.similarity) best.set(ex.intent, { similarity: s, text: ex.text });
    }
    const sims = this.#intents.map((intent) => ({ intent, sim: best.get(intent)?.similarity ?? 0 }));
    const max = Math.max(0, ...sims.map((s) => s.sim));
    const exps = sims.map((s) => Math.exp((s.sim - max) / TEMPERATURE));
    const total = exps.reduce((a, b) => a + b, 0) || 1;
    // A ticket unlike every example gets a low confidence, however the softmax splits it.
    const familiarity = Math.min(1, max / 0.25);
    const ranking = sims
      .map((s, i) => ({ intent: s.intent, score: (exps[i]! / total) * familiarity }))
      .sort((a, b) => b.score - a.score);
    const top = ranking[0];
    if (!top || max < MIN_SIMILARITY) {
      return { intent: fallbackIntent ?? top?.intent ?? 'other', confidence: 0, ranking, nearest: null, sharedTerms: [] };
    }
    const nearest = best.get(top.intent) ?? null;
    const nearestVector = this.#examples.find((e) => e.intent === top.intent && e.text === nearest?.text)?.vector;
    const sharedTerms = nearestVector
      ? [...v.keys()].filter((t) => t.startsWith('w:') && nearestVector.has(t)).map((t) => t.slice(2)).slice(0, 6)
      : [];
    return {
      intent: top.intent,
      confidence: round(top.score),
      ranking: ranking.map((r) => ({ intent: r.intent, score: round(r.score) })),
      nearest: nearest && { text: nearest.text, similarity: round(nearest.similarity) },
      sharedTerms,
    };
  }

  #vectorize(terms: readonly string[]): Vector {
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    const v: Vector = new Map();
    let norm = 0;
    for (const [t, n] of tf) {
      const idf = this.#idf.get(t);
      if (idf === undefined) continue; // a term no example has cannot point at any intent
      const w = (1 + Math.log(n)) * idf;
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of v) v.set(t, w / norm);
    return v;
  }
}

function cosine(a: Vector, b: Vector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, w] of small) dot += w * (large.get(t) ?? 0);
  return dot;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
