import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/temp-dirs.ts';
import type { Example } from '../local-classifier.ts';
import type { VerdictRow } from './experience.ts';
import { createModelFile, MODEL_FILE, type ModelStore } from './model-file.ts';
import { createModelTrainer, type ModelBase, type TrainerDeps } from './trainer.ts';

// A plain labelled set (no maps, so every intent counts) standing in for a workspace's learned tickets.
const learned: Example[] = [
  ...['card has not arrived', 'still waiting for my card', 'when does my new card come', 'card delivery is late', 'my card never came in the post', 'how long until the card arrives'].map((text) => ({ intent: 'card', text })),
  ...['forgot my pin', 'reset my pin', 'pin blocked after tries', 'change my pin code', 'where do i see my pin', 'my pin does not work'].map((text) => ({ intent: 'pin', text })),
  ...['exchange rate for euros', 'what rate do you use', 'is the currency rate fair', 'dollar to pound rate today', 'why is the exchange rate bad', 'rate applied to my transfer'].map((text) => ({ intent: 'rate', text })),
];
const base: ModelBase = { maps: [], learned };

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
        logMark: (seq) => {
          const r = rows[seq - 1];
          return r && `${r.seq}:${r.ticket_id}:${r.final}`;
        },
        verdictCount: () => rows.length,
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

    current = { ...base, learned: [...learned, { intent: 'pin', text: 'the machine kept my card after a wrong pin' }] };
    l.decide('t7', 'pin', 'pin locked');
    expect(await trainer.retrain()).toMatchObject({ kind: 'refitted', why: 'the maps or labelled tickets changed' });
    expect(trainer.current.classifier.size).toBe(learned.length + 1 + 7);
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
    current = { ...base, learned: learned.slice(1) };
    const refitted = trainer.forWorkspace();
    expect(await running).toEqual({ kind: 'superseded' });
    expect(trainer.current).toBe(refitted);
    expect(refitted.experience.intents.get('t1')).toBe('pin');
  });
});

describe('the local model kept between runs', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.cleanup();
  });
  function store(): ModelStore {
    const d = tempDir();
    dirs.push(d);
    return createModelFile(join(d.path, MODEL_FILE));
  }
  const probes = ['my card still has not come', 'the pin is blocked', 'what rate did you use for euros', 'hello there', 'card pin rate'];
  const answers = (t: { current: { classifier: { predict(text: string): unknown } } }) => probes.map((p) => t.current.classifier.predict(p));

  it('loads at start, answering exactly as the saved model, without reading the log again', async () => {
    const l = log();
    const file = store();
    l.decide('t1', 'card', 'my card is lost in the post');
    l.decide('t2', 'pin', 'the pin code was blocked');
    const first = createModelTrainer(l.deps({ store: file }));
    expect(first.startup).toMatchObject({ kind: 'fitted', why: 'there is no saved model yet' });
    expect(first.unsaved).toBe(true);
    expect(await first.save()).toBe(true);
    expect(first.unsaved).toBe(false);
    expect(await first.save()).toBe(false); // nothing new to save

    const reads = l.asked.length;
    const second = createModelTrainer(l.deps({ store: file }));
    expect(second.startup).toMatchObject({ kind: 'loaded', cursor: 2 });
    expect(l.asked.length).toBe(reads);
    expect(second.unsaved).toBe(false);
    expect(second.current.classifier.fingerprint).toBe(first.current.classifier.fingerprint);
    expect(second.current.experience).toEqual(first.current.experience);
    expect(answers(second)).toEqual(answers(first));
  });

  it('catches up from its place in the log on verdicts recorded while the app was closed', async () => {
    const l = log();
    const file = store();
    l.decide('t1', 'card', 'my card is lost in the post');
    const running = createModelTrainer(l.deps({ store: file }));
    running.saveSync();
    // The app closes; verdicts are recorded after (another process, or before a retrain had run).
    l.decide('t2', 'pin', 'the pin code was blocked');
    l.decide('t1', 'rate', 'my card is lost in the post', 'overridden');
    const restarted = createModelTrainer(l.deps({ store: file }));
    expect(restarted.startup.kind).toBe('loaded');
    expect(await restarted.retrain()).toMatchObject({ kind: 'updated', why: '2 added, 1 replaced or removed' });
    expect(l.asked.at(-1)).toEqual({ after: 1, got: 2 });
    // The same as a model that never stopped.
    expect(await running.retrain()).toMatchObject({ kind: 'updated' });
    expect(restarted.current.classifier.fingerprint).toBe(running.current.classifier.fingerprint);
    expect(answers(restarted)).toEqual(answers(running));
    expect(restarted.current.experience.intents.get('t1')).toBe('rate');
    expect(restarted.unsaved).toBe(true);
  });

  it('fits in full when the labelled tickets, the settings or the model code changed since it was saved', async () => {
    const l = log();
    const file = store();
    l.decide('t1', 'card', 'my card is lost in the post');
    createModelTrainer(l.deps({ store: file })).saveSync();

    const relabelled = createModelTrainer({ ...l.deps({ store: file }), base: () => ({ ...base, learned: learned.slice(1) }) });
    expect(relabelled.startup).toMatchObject({ kind: 'fitted', why: 'the saved model was fitted with other labelled tickets (triage.learn_from)' });
    expect(relabelled.current.classifier.size).toBe(learned.length - 1 + 1);
    expect(createModelTrainer(l.deps({ store: file, classifier: { C: 2 } })).startup).toMatchObject({ kind: 'fitted', why: 'the saved model was fitted with other settings' });

    // A file saved by an earlier version of the model's code.
    const older: ModelStore = {
      ...file,
      read() {
        const r = file.read();
        return 'saved' in r ? { saved: { ...r.saved, key: { ...r.saved.key, code: 'local-svm@1/trainer-1' } } } : r;
      },
    };
    const trainer = createModelTrainer(l.deps({ store: older }));
    expect(trainer.startup).toMatchObject({ kind: 'fitted', why: expect.stringMatching(/^the saved model was fitted by another version of the model \(local-svm@1\/trainer-1; this one is local-svm@2\/trainer-\d+\)$/) });
    expect(trainer.current.experience.intents.get('t1')).toBe('card');
  });

  it('fits in full when the log is not the one it learned from (another database)', () => {
    const l = log();
    const file = store();
    l.decide('t1', 'card', 'my card is lost in the post');
    l.decide('t2', 'pin', 'the pin code was blocked');
    createModelTrainer(l.deps({ store: file })).saveSync();
    const other = log();
    other.decide('t9', 'rate', 'bad rate on my euro transfer');
    const trainer = createModelTrainer(other.deps({ store: file }));
    expect(trainer.startup).toMatchObject({ kind: 'fitted', why: expect.stringContaining('a decision log that this database does not hold') });
    expect([...trainer.current.experience.intents]).toEqual([['t9', 'rate']]);
  });

  it('fits in full, without throwing, when the saved file is damaged', () => {
    const l = log();
    const file = store();
    l.decide('t1', 'card', 'my card is lost in the post');
    createModelTrainer(l.deps({ store: file })).saveSync();
    writeFileSync(file.path, 'TANDEMLM and then nothing a model needs');
    const trainer = createModelTrainer(l.deps({ store: file }));
    expect(trainer.startup).toMatchObject({ kind: 'fitted', why: expect.stringContaining('the saved model cannot be used') });
    expect(trainer.current.classifier.predict('my pin is locked').intent).toBe('pin');
    trainer.saveSync(); // and the next start loads again
    expect(createModelTrainer(l.deps({ store: file })).startup.kind).toBe('loaded');
  });

  it('stands in with a model of the phrases and labelled tickets while a large log is fitted in slices, and never saves it', async () => {
    const l = log();
    const file = store();
    for (let i = 0; i < 6; i++) l.decide(`t${i}`, 'pin', `pin trouble number ${i}`);
    const trainer = createModelTrainer(l.deps({ store: file, fitInSlicesAbove: learned.length + 2 }));
    expect(trainer.startup).toMatchObject({ kind: 'interim', why: 'there is no saved model yet' });
    expect(trainer.current.interim).toBe('there is no saved model yet');
    expect(trainer.current.classifier.size).toBe(learned.length);
    expect(l.asked).toEqual([]); // the log is read by the fit in slices, not at start
    expect(trainer.unsaved).toBe(false);
    expect(await trainer.save()).toBe(false);

    expect(await trainer.retrain()).toMatchObject({ kind: 'refitted', why: 'there is no saved model yet' });
    expect(trainer.current.interim).toBeUndefined();
    expect(trainer.current.classifier.size).toBe(learned.length + 6);
    expect(await trainer.save()).toBe(true);
  });

  it('never keeps a model built for other labelled tickets: a changed workspace gets a stand-in of its own', async () => {
    const l = log();
    let current = base;
    for (let i = 0; i < 6; i++) l.decide(`t${i}`, 'pin', `pin trouble number ${i}`);
    const trainer = createModelTrainer({ ...l.deps({ fitInSlicesAbove: 1000 }), base: () => current });
    const before = trainer.current;
    current = { ...base, learned: [...learned, ...Array.from({ length: 1000 }, (_, i) => ({ intent: 'rate', text: `rate question ${i}` }))] };
    const next = trainer.forWorkspace();
    expect(next).not.toBe(before);
    expect(next.interim).toBe('the maps or labelled tickets changed');
    expect(next.classifier.size).toBe(0 + 0); // too many labelled tickets to fit at once: the maps' phrases alone (none here)
    expect(await trainer.retrain()).toMatchObject({ kind: 'refitted', why: 'the maps or labelled tickets changed' });
    expect(trainer.current.classifier.size).toBe(learned.length + 1000 + 6);
  });
});
