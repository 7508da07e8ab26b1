import { describe, expect, it } from 'vitest';
import type { Example } from '../local-classifier.ts';
import type { VerdictRow } from './experience.ts';
import { createModelTrainer, type ModelBase, type TrainerDeps } from './trainer.ts';

// A plain labelled set (no maps, so every intent counts) standing in for a workspace's learned tickets.
const learned: Example[] = [
  ...['card has not arrived', 'still waiting for my card', 'when does my new card come', 'card delivery is late', 'my card never came in the post', 'how long until the card arrives'].map((text) => ({ intent: 'card', text })),
  ...['forgot my pin', 'reset my pin', 'pin blocked after tries', 'change my pin code', 'where do i see my pin', 'my pin does not work'].map((text) => ({ intent: 'pin', text })),
  ...['exchange rate for euros', 'what rate do you use', 'is the currency rate fair', 'dollar to pound rate today', 'why is the exchange rate bad', 'rate applied to my transfer'].map((text) => ({ intent: 'rate', text })),
];
const base: ModelBase = { maps: [], mapsVersion: 'v1', learned };

/** A decision log in memory that records what the trainer asked of it. */
function log() {
  const rows: VerdictRow[] = [];
  const texts = new Map<string, string>();
  const asked: { after: number; got: number }[] = [];
  return {
    rows,
    asked,
    texts,
    decide(ticketId: string, final: string, text: string, verdict = 'accepted') {
      texts.set(ticketId, text);
      rows.push({ seq: rows.length + 1, kind: 'triage', ticket_id: ticketId, final, verdict });
    },
    deps(extra: Partial<TrainerDeps> = {}): TrainerDeps {
      return {
        base: () => base,
        verdictsAfter: (seq) => {
          const after = rows.filter((r) => r.seq > seq);
          asked.push({ after: seq, got: after.length });
          return after;
        },
        textOf: (id) => texts.get(id),
        refitBelow: 0, // these models are tiny: make retrains updates unless a rule below asks for a full fit
        sliceMs: 0,
        ...extra,
      };
    },
  };
}

describe('the local model trainer', () => {
  it('reads only the decisions after the last one it learned from, and updates the model from there', async () => {
    const l = log();
    l.decide('t1', 'card', 'my card is lost in the post');
    const trainer = createModelTrainer(l.deps());
    expect(l.asked).toEqual([{ after: 0, got: 1 }]); // the first fit reads the whole log
    const first = trainer.current.classifier;

    l.decide('t2', 'pin', 'the pin code was blocked');
    l.decide('t3', 'rate', 'bad rate on my euro transfer');
    const outcome = await trainer.retrain();
    expect(outcome.kind).toBe('updated');
    expect(l.asked.at(-1)).toEqual({ after: 1, got: 2 });
    const second = trainer.current.classifier;
    expect(second.size).toBe(first.size + 2);
    expect(second.updates).toBe(1);
    expect(second.fullFitSize).toBe(first.fullFitSize);
    expect(second.fingerprint).not.toBe(first.fingerprint);

    // Nothing new: nothing read but the cursor's tail, the model (and its fingerprint) unchanged.
    expect((await trainer.retrain()).kind).toBe('unchanged');
    expect(l.asked.at(-1)).toEqual({ after: 3, got: 0 });
    expect(trainer.current.classifier).toBe(second);
  });

  it('replaces the example of a ticket whose verdict changed, and ignores the same verdict again', async () => {
    const l = log();
    l.decide('t1', 'card', 'where is the thing i ordered');
    const trainer = createModelTrainer(l.deps());
    const size = trainer.current.classifier.size;
    l.decide('t1', 'card', 'where is the thing i ordered');
    expect((await trainer.retrain()).kind).toBe('unchanged');
    l.decide('t1', 'rate', 'where is the thing i ordered', 'overridden');
    const outcome = await trainer.retrain();
    expect(outcome).toMatchObject({ kind: 'updated', why: '1 added, 1 replaced or removed' });
    expect(trainer.current.classifier.size).toBe(size);
    expect(trainer.current.experience.intents.get('t1')).toBe('rate');
  });

  it('fits in full when a new intent appears, when the examples grew past the share, or when the workspace changed', async () => {
    const l = log();
    let current = base;
    const trainer = createModelTrainer({ ...l.deps({ refitGrowth: 0.2 }), base: () => current });
    l.decide('t1', 'refund', 'i want my money back for the broken card');
    expect(await trainer.retrain()).toMatchObject({ kind: 'refitted', why: 'a new intent (refund)' });
    expect(trainer.current.classifier.intents).toContain('refund');
    expect(trainer.current.classifier.updates).toBe(0);
    expect(trainer.current.classifier.predict('money back for my broken card please').intent).toBe('refund');

    const fitted = trainer.current.classifier.fullFitSize; // 19
    l.decide('t2', 'pin', 'pin forgotten again');
    expect((await trainer.retrain()).kind).toBe('updated');
    for (let i = 3; i <= 6; i++) l.decide(`t${i}`, 'card', `card number ${i} not delivered`);
    expect(await trainer.retrain()).toMatchObject({ kind: 'refitted', why: `the examples grew from ${fitted} to ${fitted + 5} since the last full fit` });

    current = { ...base, mapsVersion: 'v2' };
    l.decide('t7', 'pin', 'pin locked');
    expect(await trainer.retrain()).toMatchObject({ kind: 'refitted', why: 'the maps or labelled tickets changed' });
    expect(trainer.current.classifier.size).toBe(learned.length + 7);
  });

  it('fits small models in full by default', async () => {
    const l = log();
    const trainer = createModelTrainer({ ...l.deps(), refitBelow: undefined });
    l.decide('t1', 'pin', 'pin locked');
    expect(await trainer.retrain()).toMatchObject({ kind: 'refitted', why: 'a small model (19 examples) is fitted in full' });
  });

  it('keeps the model it had when a retrain throws, and learns the same decisions at the next one', async () => {
    const l = log();
    let broken = false;
    const deps = l.deps();
    const trainer = createModelTrainer({ ...deps, textOf: (id) => (broken ? (() => { throw new Error('disk on fire'); })() : deps.textOf(id)) });
    const before = trainer.current;
    broken = true;
    l.decide('t1', 'pin', 'pin locked');
    await expect(trainer.retrain()).rejects.toThrow('disk on fire');
    expect(trainer.current).toBe(before);
    expect(trainer.current.classifier.predict('my pin is locked').intent).toBe('pin'); // still answers
    broken = false;
    expect((await trainer.retrain()).kind).toBe('updated');
    expect(trainer.current.experience.intents.get('t1')).toBe('pin');
  });

  it('stops a retrain when its signal aborts, keeping the model it had', async () => {
    const l = log();
    const trainer = createModelTrainer(l.deps({ refitBelow: 1_000_000 })); // a full fit: many slices
    const before = trainer.current;
    l.decide('t1', 'pin', 'pin locked');
    const abort = new AbortController();
    const running = trainer.retrain(abort.signal);
    await new Promise((resolve) => setImmediate(resolve)); // one slice ran
    abort.abort();
    await expect(running).rejects.toThrow(/abort/i);
    expect(trainer.current).toBe(before);
  });

  it('drops a retrain overtaken by a workspace change, whose full fit already learned the same decisions', async () => {
    const l = log();
    let current = base;
    const trainer = createModelTrainer({ ...l.deps(), base: () => current });
    l.decide('t1', 'pin', 'pin locked');
    const running = trainer.retrain();
    current = { ...base, mapsVersion: 'v2' };
    const refitted = trainer.forWorkspace();
    expect(await running).toEqual({ kind: 'superseded' });
    expect(trainer.current).toBe(refitted);
    expect(refitted.experience.intents.get('t1')).toBe('pin');
  });
});
