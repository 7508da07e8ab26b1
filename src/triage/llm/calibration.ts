// Calibrating a language model's own confidence on the record: a model that says 95% and is right 70% of the time
// gets 70%. Platt scaling — p = σ(a·logit(c) + b) — fitted on the associates' verdicts on its earlier readings
// (accepted: it was right; overridden: it was wrong), pulled towards "as it said" (a = 1, b = 0) so a few verdicts
// cannot swing it far. Below `minSamples` verdicts the model's own figure stands, and the reading says so.

export interface CalibrationPoint {
  /** What the model said. */
  confidence: number;
  /** Whether a person accepted the reading as it was. */
  correct: boolean;
}

export interface Calibration {
  /** How many verdicts it was fitted on. */
  samples: number;
  /** How often the model was right on them. */
  accuracy: number;
  a: number;
  b: number;
  apply(raw: number): number;
}

const EPS = 1e-3;
const logit = (p: number) => {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
};
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * The calibration that fits the points best (log-loss, Newton's method) with a Gaussian prior of weight `prior` on
 * (a − 1, b); null below `minSamples` points.
 */
export function fitCalibration(points: readonly CalibrationPoint[], minSamples = 30, prior = 2): Calibration | null {
  if (points.length < minSamples) return null;
  const xs = points.map((p) => logit(p.confidence));
  const ys: number[] = points.map((p) => (p.correct ? 1 : 0));
  // The penalised negative log-likelihood: convex, so Newton steps, halved until they lower it, reach its minimum.
  const loss = (a: number, b: number) => {
    let l = (prior / 2) * ((a - 1) ** 2 + b ** 2);
    for (let i = 0; i < xs.length; i++) {
      const z = a * xs[i]! + b;
      // log(1 + e^z) − y·z, computed without overflow
      l += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - ys[i]! * z;
    }
    return l;
  };
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = prior * (a - 1);
    let gb = prior * b;
    let haa = prior;
    let hab = 0;
    let hbb = prior;
    for (let i = 0; i < xs.length; i++) {
      const p = sigmoid(a * xs[i]! + b);
      const r = p - ys[i]!;
      const w = p * (1 - p);
      ga += r * xs[i]!;
      gb += r;
      haa += w * xs[i]! * xs[i]!;
      hab += w * xs[i]!;
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 1e-12)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    let next = loss(a - da, b - db);
    while (next > current && step > 1e-6) {
      step /= 2;
      next = loss(a - step * da, b - step * db);
    }
    if (next > current) break;
    a -= step * da;
    b -= step * db;
    const moved = current - next;
    current = next;
    if (moved < 1e-12) break;
  }
  const accuracy = ys.reduce((s, y) => s + y, 0) / ys.length;
  return { samples: points.length, accuracy, a, b, apply: (raw) => sigmoid(a * logit(raw) + b) };
}
