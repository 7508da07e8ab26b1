// The Insights store against a scripted bridge (window.tandem): the renderer cannot reach the core in a unit test,
// so each command answers when the test says, which is how a late answer is made to arrive late.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CommandName, Result, Stats, TandemApi } from '../../../src/contract/index.ts';

type Pending = { name: CommandName; input: unknown; answer(r: Result<unknown>): void };
const pending: Pending[] = [];
const bridge = {
  invoke: (name: CommandName, input: unknown) => new Promise<Result<unknown>>((answer) => pending.push({ name, input, answer })),
  on: () => () => undefined,
} as unknown as TandemApi;

let store: typeof import('./store.ts');
beforeAll(async () => {
  (globalThis as { window?: unknown }).window = { tandem: bridge };
  store = await import('./store.ts');
});

const take = (name: CommandName): Pending => {
  const i = pending.findIndex((p) => p.name === name);
  if (i < 0) throw new Error(`nothing asked ${name} (asked: ${pending.map((p) => p.name).join(', ')})`);
  return pending.splice(i, 1)[0]!;
};
const settle = () => new Promise((r) => setTimeout(r, 0));

const stats = (mode: string, recommended: boolean): Stats => ({
  triage: { n: 0, accepted: 0, overridden: 0, asSuggested: { rate: 0, lower: 0 }, confusions: [] },
  steps: [
    {
      mapId: 'refund_request', stepId: 'tell', n: 80, verdicts: { accepted: 80 }, asSuggested: { rate: 1, lower: 0.954 }, edited: { rate: 0, lower: 0 }, topEditedFields: [], overrideReasons: [],
      autoRuns: 0, autoFailures: 0, autoReverts: 0, autoReverted: { rate: 0, lower: 0 }, medianDecisionMs: null, mode,
      graduation: { window: 80, asSuggested: { rate: 1, lower: 0.954 }, recommended, needed: recommended ? 0 : null, why: 'taken as suggested 80 of the last 80 times', source: 'live' },
      shadow: { n: 0, matched: 0, asSuggested: { rate: 0, lower: 0 } },
    },
  ],
  modeChanges: [],
});
const tell = () => store.useInsights.getState().stats!.steps[0]!;

describe('promoting from Insights', () => {
  beforeEach(async () => {
    pending.length = 0;
    store.useInsights.setState({ stats: stats('suggest', true), promoting: null, promoteError: null, notice: null });
  });

  it('shows the new mode as soon as the promotion is written, and a reading older than it does not bring Promote back', async () => {
    // A reload already on its way (a verdict landed elsewhere) before the lead promotes…
    const early = store.useInsights.getState().load();
    const promoted = store.useInsights.getState().promote('refund_request', 'tell', ' 80 of 80 ');
    expect(store.useInsights.getState().promoting).toBe('refund_request/tell');
    const setMode = take('maps.setMode');
    expect(setMode.input).toEqual({ mapId: 'refund_request', stepId: 'tell', mode: 'auto', reason: '80 of 80' });
    setMode.answer({ ok: true, value: { mapId: 'refund_request', stepId: 'tell', mode: 'auto', previous: 'suggest', version: 2 } });
    await settle();
    // …at once, before any reload answers:
    expect(tell()).toMatchObject({ mode: 'auto', graduation: { recommended: false, needed: null } });
    expect(store.useInsights.getState()).toMatchObject({ promoting: null, notice: 'refund_request · tell now runs automatically (map version 2); the promotion is in the record.' });
    // The early reload answers late, with the step as it was: it is ignored.
    take('stats.get').answer({ ok: true, value: stats('suggest', true) });
    await early;
    expect(tell().mode).toBe('auto');
    // The reload after the promotion is the one that counts.
    take('stats.get').answer({ ok: true, value: stats('auto', false) });
    expect(await promoted).toBe(true);
    expect(tell()).toMatchObject({ mode: 'auto', graduation: { recommended: false } });
  });

  it('keeps a refusal beside the step it concerns, and changes nothing', async () => {
    const promoted = store.useInsights.getState().promote('refund_request', 'tell', 'again');
    // A second submit while the first is written is not sent.
    expect(await store.useInsights.getState().promote('refund_request', 'tell', 'again')).toBe(false);
    take('maps.setMode').answer({ ok: false, error: { code: 'bad_input', message: 'refund_request · tell already runs automatically.', hint: 'Nothing was changed: the map and the record stay as they were.' } });
    expect(await promoted).toBe(false);
    expect(pending).toEqual([]);
    expect(store.useInsights.getState()).toMatchObject({
      promoting: null,
      error: null,
      promoteError: { key: 'refund_request/tell', message: 'refund_request · tell already runs automatically.', hint: 'Nothing was changed: the map and the record stay as they were.' },
    });
    expect(tell().mode).toBe('suggest');
  });
});
