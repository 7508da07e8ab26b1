// Graduation: may a step run on its own? The evidence over its most recent samples, and — when it is not there yet —
// exactly how many more samples taken as suggested it needs, so a lead knows how far off it is.
import type { Rate } from './stats.ts';
import { wilsonLower } from './wilson.ts';

export interface GraduationPolicy {
  /** The lower bound a step's as-suggested rate must clear (default 95%). */
  threshold: number;
  /** How many of the most recent verdicts count. */
  window: number;
  /** Fewer than this many and no recommendation is made, whatever the rate. */
  minSamples: number;
}

export const DEFAULT_GRADUATION: GraduationPolicy = { threshold: 0.95, window: 100, minSamples: 30 };

/** The workspace's graduation settings (tandem.yaml `graduation:`) as a policy. */
export function graduationPolicy(settings: { threshold: number; window: number; min_samples: number } | undefined): GraduationPolicy {
  return settings ? { threshold: settings.threshold, window: settings.window, minSamples: settings.min_samples } : DEFAULT_GRADUATION;
}

/** `good` of `n` samples make a recommendation: enough of them, and the lower bound at or above the threshold. */
export function clears(good: number, n: number, policy: GraduationPolicy): boolean {
  return n >= policy.minSamples && wilsonLower(good, n) >= policy.threshold;
}

/**
 * How many more samples a step needs, every one of them taken as suggested, before it is recommended: 0 when it
 * already is; null when no number will do (the window is too small to show the threshold). `recent` is the step's
 * samples, oldest first, true for each taken as suggested; only the last `window` count, so an old miss stops counting
 * once enough newer samples have pushed it out of the window. Counted the way the recommendation itself is decided
 * (`clears`), so the two never disagree.
 */
export function verdictsNeeded(recent: readonly boolean[], policy: GraduationPolicy): number | null {
  const list = recent.slice(-policy.window);
  // goodFrom[i]: how many of list[i..] were taken as suggested
  const goodFrom = new Array<number>(list.length + 1).fill(0);
  for (let i = list.length - 1; i >= 0; i--) goodFrom[i] = goodFrom[i + 1]! + (list[i] ? 1 : 0);
  // After `window` more, the window holds only new samples: if that does not clear, nothing ever will.
  for (let more = 0; more <= policy.window; more++) {
    const n = Math.min(list.length + more, policy.window);
    const dropped = list.length + more - n; // the oldest samples pushed out of the window
    const good = goodFrom[Math.min(dropped, list.length)]! + more;
    if (clears(good, n, policy)) return more;
  }
  return null;
}

/**
 * The smallest window in which a step can be recommended at all (every sample taken as suggested); null when none
 * is (a threshold of 100%, which no finite record shows).
 */
export function windowNeeded(policy: GraduationPolicy): number | null {
  if (policy.threshold >= 1) return null;
  // n of n has the lower bound n / (n + z²), which clears t from n = t·z² / (1 − t); started just below that and
  // checked with wilsonLower itself, as the recommendation is.
  const z2 = 1.96 * 1.96;
  let n = Math.max(1, policy.minSamples, Math.floor((policy.threshold * z2) / (1 - policy.threshold)) - 1);
  while (!clears(n, n, policy)) n++;
  return n;
}

/** How the evidence of one kind is worded: live verdicts, or shadow samples. */
export interface EvidenceWords {
  /** "taken as suggested 80 of the last 80 times" */
  what: string;
  /** plural and singular: "verdicts", "verdict" */
  noun: string;
  one: string;
  /** what each further sample must be: "taken as suggested" */
  good: string;
}

export const LIVE_WORDS: EvidenceWords = { what: 'taken as suggested', noun: 'verdicts', one: 'verdict', good: 'taken as suggested' };
export const SHADOW_WORDS: EvidenceWords = { what: 'what Tandem would have sent matched', noun: 'shadow samples', one: 'shadow sample', good: 'that match' };

export interface Evidence {
  window: number;
  asSuggested: Rate;
  recommended: boolean;
  /** More samples, all taken as suggested, before it is recommended (0: it is); null when it runs automatically already or no number will do. */
  needed: number | null;
  why: string;
}

const percent = (x: number) => `${Number((x * 100).toFixed(1))}%`;

/**
 * Graduation evidence over the most recent samples of one kind (oldest first, true for each taken as suggested). A
 * step that runs automatically already is never recommended again: its evidence is shown, not offered.
 */
export function graduationEvidence(list: readonly boolean[], policy: GraduationPolicy, words: EvidenceWords, mode?: string | null): Evidence {
  const recent = list.slice(-policy.window);
  const good = recent.filter(Boolean).length;
  const r: Rate = { rate: recent.length === 0 ? 0 : good / recent.length, lower: wilsonLower(good, recent.length) };
  const head = recent.length === 0 ? `no ${words.noun} yet` : `${words.what} ${good} of the last ${recent.length} times: at least ${(r.lower * 100).toFixed(1)}% at 95%`;
  const base = { window: recent.length, asSuggested: r };
  if (mode === 'auto') return { ...base, recommended: false, needed: null, why: head };
  const threshold = percent(policy.threshold);
  const needed = verdictsNeeded(recent, policy);
  if (needed === 0) return { ...base, recommended: true, needed, why: `${head}, above ${threshold}` };
  if (needed !== null) {
    const more = needed === 1 ? `1 more ${words.one} ${words.good}` : `${needed} more ${words.noun} ${words.good}, in a row,`;
    return { ...base, recommended: false, needed, why: `${head}; needs ${more} to clear ${threshold}` };
  }
  const smallest = windowNeeded(policy);
  const fix =
    smallest === null
      ? `no number of ${words.noun} can show ${threshold}: lower graduation.threshold in tandem.yaml`
      : policy.minSamples > policy.window
        ? `no step can be recommended while graduation.min_samples (${policy.minSamples}) is more than graduation.window (${policy.window}): set the window to at least ${smallest} in tandem.yaml`
        : `a window of the last ${policy.window} ${words.noun} is too small to show ${threshold}: set graduation.window to at least ${smallest} in tandem.yaml`;
  return { ...base, recommended: false, needed: null, why: `${head}; ${fix}` };
}
