// Keeps the app's local model up to date with the decision log: reads only the decisions after the last one it learned
// from, updates the model from where it was (warm start), and fits it again from scratch only when it must — all in
// slices, so the core keeps answering while it trains.
import { createHash } from 'node:crypto';
import type { ProcessMapFile } from '../../workspace/schema.ts';
import { LocalClassifier, type ClassifierOptions, type Example, type ExampleChanges } from '../local-classifier.ts';
import { experienceExamples, trainingExamples } from '../local-triage.ts';
import { experienceAfter, NO_EXPERIENCE, type ExperienceState, type VerdictRow } from './experience.ts';
import { runSliced, runToEnd } from './linear.ts';

/** What the workspace gives the model: the maps (their example phrases) and its labelled tickets (`triage.learn_from`). */
export interface ModelBase {
  maps: readonly ProcessMapFile[];
  mapsVersion: string;
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
}

/** The model and what it was trained from. */
export interface TrainedModel {
  classifier: LocalClassifier;
  /** The maps version and labelled tickets it was fitted with: when they change, only a full fit will do. */
  baseKey: string;
  experience: ExperienceState;
}

export type RetrainOutcome =
  | { kind: 'unchanged' }
  | { kind: 'updated' | 'refitted'; why: string; ms: number }
  /** The workspace was reloaded while this retrain ran, and the model fitted then already holds its verdicts. */
  | { kind: 'superseded' };

export const REFIT_GROWTH = 0.2;
export const REFIT_BELOW = 1000;

export interface ModelTrainer {
  /** The model in use. */
  readonly current: TrainedModel;
  /** The model for the workspace as it is now: the current one, or — maps or labelled tickets changed — a full fit made now. */
  forWorkspace(): TrainedModel;
  /**
   * Learns the decisions recorded since the last retrain, in slices: an update, or a full fit when one is due.
   * The current model stays in use until the new one is ready; on failure or abort it stays, and the error is thrown.
   */
  retrain(signal?: AbortSignal): Promise<RetrainOutcome>;
}

export function createModelTrainer(deps: TrainerDeps): ModelTrainer {
  const growth = deps.refitGrowth ?? REFIT_GROWTH;
  const refitBelow = deps.refitBelow ?? REFIT_BELOW;
  let current = runToEnd(fullFit(deps.base()));

  /** A full fit on the whole log: steps to drive now (start-up, a changed workspace) or in slices (a retrain). */
  function* fullFit(base: ModelBase): Generator<void, TrainedModel> {
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
    return { classifier, baseKey: baseKey(base), experience: state };
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
    forWorkspace() {
      const base = deps.base();
      if (baseKey(base) !== current.baseKey) current = runToEnd(fullFit(base));
      return current;
    },
    async retrain(signal) {
      const from = current;
      const base = deps.base();
      const t0 = performance.now();
      let next: TrainedModel;
      let kind: 'updated' | 'refitted';
      let why: string;
      if (baseKey(base) !== from.baseKey) {
        kind = 'refitted';
        why = 'the maps or labelled tickets changed';
        next = await runSliced(fullFit(base), { signal, sliceMs: deps.sliceMs });
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
          next = await runSliced(fullFit(base), { signal, sliceMs: deps.sliceMs });
        } else {
          kind = 'updated';
          why = `${changes.added.length} added, ${changes.removed.length} replaced or removed`;
          const classifier = await runSliced(from.classifier.updateSteps(changes), { signal, sliceMs: deps.sliceMs });
          next = { classifier, baseKey: from.baseKey, experience: read.state };
        }
      }
      signal?.throwIfAborted();
      if (current !== from) return { kind: 'superseded' };
      current = next;
      return { kind, why, ms: performance.now() - t0 };
    },
  };
}

function baseKey(base: ModelBase): string {
  const h = createHash('sha256').update(base.mapsVersion);
  for (const e of base.learned) h.update('\0').update(e.intent).update('\u0001').update(e.text);
  return h.digest('hex');
}
