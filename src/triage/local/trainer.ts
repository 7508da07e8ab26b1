// Keeps the app's local model up to date with the decision log: reads only the decisions after the last one it learned
// from, updates the model from where it was (warm start), and fits it again from scratch only when it must — all in
// slices, so the core keeps answering while it trains. Between runs the model is kept in the data folder: a start
// loads it when it was built from the same maps, history and code, and catches up from its place in the log.
import { createHash } from 'node:crypto';
import type { ProcessMapFile } from '../../workspace/schema.ts';
import { LOCAL_MODEL_ID, LocalClassifier, type ClassifierOptions, type Example, type ExampleChanges } from '../local-classifier.ts';
import { experienceExamples, trainingExamples } from '../local-triage.ts';
import { experienceAfter, NO_EXPERIENCE, type ExperienceState, type VerdictRow } from './experience.ts';
import { runSliced, runToEnd } from './linear.ts';
import type { ModelKey, ModelStore, SavedModel } from './model-file.ts';

/**
 * Bump with any change to how the model is trained or reads text (the trainer, the classifier, the vectorizer,
 * `legitimateText`, `modelTerms`): a model saved by the previous code is then fitted again instead of loaded.
 */
export const TRAINER_VERSION = 1;

/** What the workspace gives the model: the maps (their example phrases) and its labelled tickets (`triage.learn_from`). */
export interface ModelBase {
  maps: readonly ProcessMapFile[];
  learned: readonly Example[];
}

export interface TrainerDeps {
  /** The workspace as it is now. */
  base(): ModelBase;
  /** Triage verdicts recorded after a decision (by seq), in record order. */
  verdictsAfter(seq: number): Iterable<VerdictRow>;
  /** A decided ticket's text; undefined when the ticket is gone. */
  textOf(ticketId: string): string | undefined;
  classifier?: ClassifierOptions;
  /** A full fit once the examples grew by more than this share since the last one (default 0.2). */
  refitGrowth?: number;
  /**
   * Below this many examples a retrain is always a full fit (default 1,000): one costs a fraction of a second there,
   * and a small model gains most from the words new verdicts bring, which an update cannot add to its vocabulary.
   */
  refitBelow?: number;
  /** The longest the training holds the thread between two turns of the event loop (default 8 ms). */
  sliceMs?: number;
  /** Where the model is kept between runs; none: it is fitted at every start. */
  store?: ModelStore;
  /**
   * What identifies the decision log up to decision `seq` (its chain hash); undefined when the log has no such
   * decision. A saved model is loaded only when the log still holds, unchanged, what it learned.
   */
  logMark?(seq: number): string | undefined;
  /** How many triage verdicts the log holds (an upper bound will do): with the maps' phrases, the size of a full fit. */
  verdictCount?(): number;
  /**
   * Above this many examples a full fit that the workspace is waiting for (at start, or after its maps changed) runs in
   * slices, with a stand-in model meanwhile; at or below it, it is made at once (default 1,000: a few hundred ms).
   */
  fitInSlicesAbove?: number;
}

/** The model and what it was trained from. */
export interface TrainedModel {
  classifier: LocalClassifier;
  /** The code, settings, maps' phrases and labelled tickets it was fitted with: when they change, only a full fit will do. */
  key: ModelKey;
  experience: ExperienceState;
  /**
   * Set on a stand-in: a model of the current maps' phrases (and labelled tickets) alone, which triage uses while the
   * full fit from the decision log runs in slices; says why that fit is needed. Never saved.
   */
  interim?: string;
}

/** How the trainer got its first model. */
export type Startup =
  /** The saved model: built from the same maps, history and code, and the log still holds what it learned. */
  | { kind: 'loaded'; ms: number; cursor: number }
  /** A full fit, made at once; `why` says why the saved model was not used. */
  | { kind: 'fitted'; ms: number; why: string }
  /** A stand-in, while the full fit runs in slices (the next retrain); `why` says why the saved model was not used. */
  | { kind: 'interim'; ms: number; why: string };

export type RetrainOutcome =
  | { kind: 'unchanged' }
  | { kind: 'updated' | 'refitted'; why: string; ms: number }
  /** The workspace was reloaded while this retrain ran, and the model fitted then already holds its verdicts. */
  | { kind: 'superseded' };

export const REFIT_GROWTH = 0.2;
export const REFIT_BELOW = 1000;
export const FIT_IN_SLICES_ABOVE = 1000;

export interface ModelTrainer {
  /** The model in use. */
  readonly current: TrainedModel;
  /** How the first model came: loaded, fitted at once, or a stand-in while the full fit runs. */
  readonly startup: Startup;
  /**
   * The model for the workspace as it is now: the current one, or — maps or labelled tickets changed — a full fit made
   * now, or for a large log a stand-in until the next retrain has made it in slices.
   */
  forWorkspace(): TrainedModel;
  /**
   * Learns the decisions recorded since the last retrain, in slices: an update, or a full fit when one is due (always
   * when the model in use is a stand-in). The current model stays in use until the new one is ready; on failure or
   * abort it stays, and the error is thrown.
   */
  retrain(signal?: AbortSignal): Promise<RetrainOutcome>;
  /** True when the model in use differs from the saved one (and is not a stand-in, which is never saved). */
  readonly unsaved: boolean;
  /** Saves the model in use when it is unsaved, without holding the thread for long. False: nothing to save, or a later save won. */
  save(): Promise<boolean>;
  /** The same, at once (the app closing). */
  saveSync(): boolean;
}

export function createModelTrainer(deps: TrainerDeps): ModelTrainer {
  const growth = deps.refitGrowth ?? REFIT_GROWTH;
  const refitBelow = deps.refitBelow ?? REFIT_BELOW;
  const inSlicesAbove = deps.fitInSlicesAbove ?? FIT_IN_SLICES_ABOVE;
  const keyOf = (base: ModelBase) => modelKey(base, deps.classifier);
  const t0 = performance.now();
  let startup: Startup;
  /** The classifier the saved file holds (loaded or last written). */
  let persisted: LocalClassifier | null = null;
  let current = open();

  /** The first model: the saved one when it fits this workspace and log, else a full fit (or a stand-in for one). */
  function open(): TrainedModel {
    const base = deps.base();
    const key = keyOf(base);
    const read = deps.store ? load(key) : { why: 'the model is not kept between runs' };
    if ('model' in read) {
      persisted = read.model.classifier;
      startup = { kind: 'loaded', ms: performance.now() - t0, cursor: read.model.experience.cursor };
      return read.model;
    }
    const model = fitForWorkspace(base, key, read.why);
    startup = { kind: model.interim ? 'interim' : 'fitted', ms: performance.now() - t0, why: read.why };
    return model;
  }

  /** The saved model when it was built from what `key` names and the log still holds what it learned; else why not. */
  function load(key: ModelKey): { model: TrainedModel } | { why: string } {
    const read = deps.store!.read();
    if ('why' in read) return read;
    const { saved } = read;
    const differs = keyDifference(saved.key, key);
    if (differs) return { why: `the saved model ${differs}` };
    const { cursor, mark } = saved.experience;
    if (cursor > 0 && (deps.logMark?.(cursor) ?? '') !== mark) return { why: `the saved model learned from a decision log that this database does not hold (decision ${cursor} is not the one it read)` };
    try {
      const classifier = LocalClassifier.fromState(saved.classifier);
      return { model: { classifier, key, experience: { cursor, intents: new Map(saved.experience.intents) } } };
    } catch (err) {
      return { why: `the saved model cannot be used: ${(err as Error).message}` };
    }
  }

  /**
   * A full fit for the workspace as it is, made now while it is cheap; for a large log, a stand-in of the maps' phrases
   * (with the labelled tickets, while they are few) that the next retrain replaces with the full fit, made in slices.
   */
  function fitForWorkspace(base: ModelBase, key: ModelKey, why: string): TrainedModel {
    const phrases = trainingExamples(base.maps, []).length;
    if (phrases + base.learned.length + (deps.verdictCount?.() ?? 0) <= inSlicesAbove) return runToEnd(fullFit(base, key));
    const learned = phrases + base.learned.length <= inSlicesAbove ? base.learned : [];
    const classifier = new LocalClassifier(trainingExamples(base.maps, learned), deps.classifier);
    return { classifier, key, experience: NO_EXPERIENCE, interim: why };
  }

  /** A full fit on the whole log: steps to drive now (a small log) or in slices (a retrain). */
  function* fullFit(base: ModelBase, key: ModelKey): Generator<void, TrainedModel> {
    const rows = [...deps.verdictsAfter(0)];
    // Tickets' texts are read a few hundred at a time (point reads, so the database is free between them).
    const texts = new Map<string, string | undefined>();
    for (const r of rows) {
      if (r.ticket_id === null || texts.has(r.ticket_id)) continue;
      texts.set(r.ticket_id, deps.textOf(r.ticket_id));
      if (texts.size % 500 === 0) yield;
    }
    const { state, changes } = experienceAfter(NO_EXPERIENCE, rows, (id) => texts.get(id));
    const experience = [...base.learned, ...changes.added];
    const examples = trainingExamples(base.maps, []);
    for (let i = 0; i < experience.length; i += 250) {
      yield;
      examples.push(...experienceExamples(base.maps, experience.slice(i, i + 250)));
    }
    const classifier = yield* LocalClassifier.fitSteps(examples, deps.classifier);
    return { classifier, key, experience: state };
  }

  /** What the file keeps of a model (its state made in steps). */
  function* toSaved(model: TrainedModel): Generator<void, SavedModel> {
    const classifier = yield* model.classifier.stateSteps();
    const { cursor, intents } = model.experience;
    return { key: model.key, classifier, experience: { cursor, mark: cursor > 0 ? (deps.logMark?.(cursor) ?? '') : '', intents: [...intents] } };
  }

  /** The model to save now, or null when there is none. */
  function toSave(): TrainedModel | null {
    return deps.store && !current.interim && current.classifier !== persisted ? current : null;
  }

  /** Why the changes need a full fit rather than an update, or null when an update will do. */
  function refitReason(model: TrainedModel, changes: ExampleChanges): string | null {
    const known = new Set(model.classifier.intents);
    const fresh = changes.added.find((e) => !known.has(e.intent));
    if (fresh) return `a new intent (${fresh.intent})`;
    const size = model.classifier.size - changes.removed.length + changes.added.length;
    if (size < refitBelow) return `a small model (${size} examples) is fitted in full`;
    const last = model.classifier.fullFitSize;
    if (size > last * (1 + growth)) return `the examples grew from ${last} to ${size} since the last full fit`;
    return null;
  }

  return {
    get current() {
      return current;
    },
    get startup() {
      return startup;
    },
    forWorkspace() {
      const base = deps.base();
      const key = keyOf(base);
      if (keyDifference(current.key, key)) current = fitForWorkspace(base, key, 'the maps or labelled tickets changed');
      return current;
    },
    async retrain(signal) {
      const from = current;
      const base = deps.base();
      const key = keyOf(base);
      const t0 = performance.now();
      let next: TrainedModel;
      let kind: 'updated' | 'refitted';
      let why: string;
      if (keyDifference(from.key, key) || from.interim) {
        kind = 'refitted';
        why = keyDifference(from.key, key) ? 'the maps or labelled tickets changed' : from.interim!;
        next = await runSliced(fullFit(base, key), { signal, sliceMs: deps.sliceMs });
      } else {
        // Only the decisions after the cursor are read.
        const read = experienceAfter(from.experience, deps.verdictsAfter(from.experience.cursor), deps.textOf);
        const changes = { added: experienceExamples(base.maps, read.changes.added), removed: read.changes.removed };
        if (changes.added.length === 0 && changes.removed.length === 0) {
          if (current === from) current = { ...from, experience: read.state };
          return { kind: 'unchanged' };
        }
        const reason = refitReason(from, changes);
        if (reason) {
          kind = 'refitted';
          why = reason;
          next = await runSliced(fullFit(base, key), { signal, sliceMs: deps.sliceMs });
        } else {
          kind = 'updated';
          why = `${changes.added.length} added, ${changes.removed.length} replaced or removed`;
          const classifier = await runSliced(from.classifier.updateSteps(changes), { signal, sliceMs: deps.sliceMs });
          next = { classifier, key: from.key, experience: read.state };
        }
      }
      signal?.throwIfAborted();
      if (current !== from) return { kind: 'superseded' };
      current = next;
      return { kind, why, ms: performance.now() - t0 };
    },
    get unsaved() {
      return toSave() !== null;
    },
    async save() {
      const model = toSave();
      if (!model) return false;
      const saved = await runSliced(toSaved(model), { sliceMs: deps.sliceMs });
      if (!(await deps.store!.write(saved))) return false;
      persisted = model.classifier;
      return true;
    },
    saveSync() {
      const model = toSave();
      if (!model) return false;
      deps.store!.writeSync(runToEnd(toSaved(model)));
      persisted = model.classifier;
      return true;
    },
  };
}

/** What a model built for this base would be built from, part by part. */
export function modelKey(base: ModelBase, options: ClassifierOptions = {}): ModelKey {
  const hash = (feed: (h: ReturnType<typeof createHash>) => void) => {
    const h = createHash('sha256');
    feed(h);
    return h.digest('hex').slice(0, 32);
  };
  return {
    code: `${LOCAL_MODEL_ID}/trainer-${TRAINER_VERSION}`,
    settings: hash((h) => h.update(JSON.stringify(options))),
    // Only what the model learns from the maps: their ids (intents, in order) and example phrases. A map's steps,
    // fields or title change nothing in it.
    maps: hash((h) => {
      for (const m of base.maps) {
        h.update('\0').update(m.id);
        for (const text of m.intent.examples) h.update('\u0001').update(text);
      }
    }),
    learned: hash((h) => {
      for (const e of base.learned) h.update('\0').update(e.intent).update('\u0001').update(e.text);
    }),
  };
}

/** What differs between the key a model was built with and the one wanted now, or null when nothing does. */
function keyDifference(had: ModelKey, wanted: ModelKey): string | null {
  if (had.code !== wanted.code) return `was fitted by another version of the model (${had.code}; this one is ${wanted.code})`;
  if (had.settings !== wanted.settings) return 'was fitted with other settings';
  if (had.maps !== wanted.maps) return "was fitted for other maps (their intents or example phrases changed)";
  if (had.learned !== wanted.learned) return 'was fitted with other labelled tickets (triage.learn_from)';
  return null;
}
