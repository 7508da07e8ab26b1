import { describe, expect, it } from 'vitest';
import { evidenceLine, promotable, type StepRow } from './selectors.ts';

const step = (mode: string | null, recommended: boolean, source: 'live' | 'shadow' = 'live'): StepRow => ({
  mapId: 'refund_request',
  stepId: 'tell',
  n: 80,
  verdicts: { accepted: 80 },
  asSuggested: { rate: 1, lower: 0.954 },
  edited: { rate: 0, lower: 0 },
  topEditedFields: [],
  overrideReasons: [],
  autoRuns: 0,
  autoFailures: 0,
  autoReverts: 0,
  autoReverted: { rate: 0, lower: 0 },
  medianDecisionMs: null,
  mode,
  graduation: { window: 80, asSuggested: { rate: 1, lower: 0.954 }, recommended, needed: recommended ? 0 : null, why: 'taken as suggested 80 of the last 80 times: at least 95.4% at 95%, above 95%', source },
  shadow: { n: 0, matched: 0, asSuggested: { rate: 0, lower: 0 } },
});

describe('promotable', () => {
  it('offers Promote for a recommended step, never for one that runs automatically already', () => {
    expect(promotable(step('suggest', true))).toBe(true);
    expect(promotable(step('shadow', true))).toBe(true);
    expect(promotable(step('auto', true))).toBe(false); // even if an older reading still said recommended
    expect(promotable(step('suggest', false))).toBe(false);
  });
});

describe('evidenceLine', () => {
  it('says what the evidence rests on, with the reason once', () => {
    expect(evidenceLine(step('suggest', true))).toBe('From verdicts: taken as suggested 80 of the last 80 times: at least 95.4% at 95%, above 95%');
    expect(evidenceLine(step('shadow', true, 'shadow'))).toMatch(/^From shadow samples: /);
  });
});
