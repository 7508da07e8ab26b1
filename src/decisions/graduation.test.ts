import { describe, expect, it } from 'vitest';
import { clears, DEFAULT_GRADUATION, graduationEvidence, LIVE_WORDS, SHADOW_WORDS, verdictsNeeded, windowNeeded, type GraduationPolicy } from './graduation.ts';
import { wilsonLower } from './wilson.ts';

// The figures below are worked out by hand, not by the code under test. With every sample taken as suggested, the
// Wilson lower bound of n of n is n / (n + z²), z² = 1.96² = 3.8416, so it clears t from n = t·z² / (1 − t) up.
// With one miss among n, the lower bound clears t when (n(1 − t) − 1)² ≥ z²·t(1 − t)·n: at 95%, n² − 112.99n + 400 ≥ 0,
// so n ≥ 109.33 — a single miss needs 110 samples in all, more than the default window of 100 holds.
const P = DEFAULT_GRADUATION; // 95%, the last 100, at least 30
const yes = (n: number) => Array<boolean>(n).fill(true);

describe('verdictsNeeded', () => {
  it('from nothing: 73 at 95% (72.99 rounded up), 35 at 90% (34.57), and never fewer than the minimum of samples', () => {
    expect(verdictsNeeded([], P)).toBe(73);
    expect(wilsonLower(72, 72)).toBeLessThan(0.95); // 72 / 75.84 = 0.9493
    expect(wilsonLower(73, 73)).toBeGreaterThanOrEqual(0.95); // 73 / 76.84 = 0.9500
    expect(verdictsNeeded([], { ...P, threshold: 0.9 })).toBe(35);
    expect(verdictsNeeded([], { ...P, threshold: 0.8 })).toBe(30); // 16 would clear 80%, but 30 are needed
  });

  it('counts what is already there: 72 of 72 needs one more; 73 of 73 none', () => {
    expect(verdictsNeeded(yes(72), P)).toBe(1);
    expect(verdictsNeeded(yes(73), P)).toBe(0);
    expect(verdictsNeeded([true, true], { threshold: 0.5, window: 10, minSamples: 5 })).toBe(3); // 4 of 4 clears 50% (0.51) but 5 are needed
  });

  it('a miss counts until newer samples push it out of the window', () => {
    // At 95% a miss cannot be outweighed within 100 samples (it takes 110): the next 100 push it out.
    expect(verdictsNeeded([false], P)).toBe(100);
    // In a window of 200 it can: 109 more make 109 of 110.
    expect(verdictsNeeded([false], { ...P, window: 200 })).toBe(109);
    // A full window of 80 with one miss (79 of 80: at least 93.3%): a miss at the old end leaves after one more…
    expect(verdictsNeeded([false, ...yes(79)], { ...P, window: 80 })).toBe(1);
    // …a miss that just happened after all 80 (80 of 80 is at least 95.4%).
    expect(verdictsNeeded([...yes(79), false], { ...P, window: 80 })).toBe(80);
  });

  it('is null when no number will do: the window is too small for the threshold, or for the minimum of samples', () => {
    expect(verdictsNeeded([], { ...P, window: 50 })).toBeNull(); // 50 of 50 is at least 92.9%
    expect(verdictsNeeded(yes(72), { ...P, window: 72 })).toBeNull();
    expect(verdictsNeeded([], { ...P, minSamples: 120 })).toBeNull();
    expect(verdictsNeeded([], { ...P, threshold: 1 })).toBeNull();
  });

  it('agrees with the recommendation on every short history', () => {
    const policy: GraduationPolicy = { threshold: 0.6, window: 6, minSamples: 3 };
    for (let bits = 0; bits < 1 << 8; bits++) {
      for (let len = 0; len <= 8; len++) {
        const list = Array.from({ length: len }, (_, i) => ((bits >> i) & 1) === 1);
        const needed = verdictsNeeded(list, policy);
        const windowOf = (l: boolean[]) => l.slice(-policy.window);
        const ok = (l: boolean[]) => clears(windowOf(l).filter(Boolean).length, windowOf(l).length, policy);
        expect(needed === 0).toBe(ok(list));
        if (needed !== null) {
          expect(ok([...list, ...yes(needed)])).toBe(true);
          if (needed > 0) expect(ok([...list, ...yes(needed - 1)])).toBe(false);
        }
      }
    }
  });
});

describe('windowNeeded', () => {
  it('is the smallest window that can show the threshold', () => {
    expect(windowNeeded(P)).toBe(73);
    expect(windowNeeded({ ...P, threshold: 0.99 })).toBe(381); // 0.99 · 3.8416 / 0.01 = 380.3
    expect(windowNeeded({ ...P, minSamples: 120 })).toBe(120);
    expect(windowNeeded({ ...P, threshold: 1 })).toBeNull();
  });
});

describe('graduationEvidence', () => {
  it('says how many more verdicts a step needs, in plain words', () => {
    expect(graduationEvidence([], P, LIVE_WORDS)).toMatchObject({ window: 0, recommended: false, needed: 73, why: 'no verdicts yet; needs 73 more verdicts taken as suggested, in a row, to clear 95%' });
    expect(graduationEvidence([...yes(11), false], P, LIVE_WORDS).why).toBe('taken as suggested 11 of the last 12 times: at least 64.6% at 95%; needs 100 more verdicts taken as suggested, in a row, to clear 95%');
    expect(graduationEvidence([...yes(11), false], P, SHADOW_WORDS).why).toBe('what Tandem would have sent matched 11 of the last 12 times: at least 64.6% at 95%; needs 100 more shadow samples that match, in a row, to clear 95%');
    expect(graduationEvidence(yes(72), P, LIVE_WORDS)).toMatchObject({ needed: 1, why: 'taken as suggested 72 of the last 72 times: at least 94.9% at 95%; needs 1 more verdict taken as suggested to clear 95%' });
  });

  it('recommends once the lower bound clears the threshold', () => {
    expect(graduationEvidence(yes(80), P, LIVE_WORDS)).toMatchObject({ window: 80, recommended: true, needed: 0, why: 'taken as suggested 80 of the last 80 times: at least 95.4% at 95%, above 95%' });
    expect(graduationEvidence(yes(80), { ...P, threshold: 0.925 }, LIVE_WORDS).why).toMatch(/, above 92\.5%$/);
  });

  it('never recommends a step that runs automatically already: its evidence is shown, nothing is offered', () => {
    const e = graduationEvidence(yes(80), P, LIVE_WORDS, 'auto');
    expect(e).toMatchObject({ recommended: false, needed: null, why: 'taken as suggested 80 of the last 80 times: at least 95.4% at 95%' });
    expect(graduationEvidence(yes(80), P, LIVE_WORDS, 'shadow').recommended).toBe(true);
  });

  it('names the setting to change when no number of verdicts will do', () => {
    expect(graduationEvidence(yes(10), { ...P, window: 50 }, LIVE_WORDS)).toMatchObject({
      needed: null,
      why: 'taken as suggested 10 of the last 10 times: at least 72.2% at 95%; a window of the last 50 verdicts is too small to show 95%: set graduation.window to at least 73 in tandem.yaml',
    });
    expect(graduationEvidence(yes(10), { ...P, minSamples: 120 }, LIVE_WORDS).why).toMatch(/no step can be recommended while graduation.min_samples \(120\) is more than graduation.window \(100\): set the window to at least 120 in tandem.yaml$/);
    expect(graduationEvidence(yes(10), { ...P, threshold: 1 }, LIVE_WORDS).why).toMatch(/no number of verdicts can show 100%: lower graduation.threshold in tandem.yaml$/);
  });
});
