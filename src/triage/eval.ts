// Evaluation of triage on a labelled set: the metrics (accuracy, macro-F1, calibration, escalation, out-of-scope
// recall, field exact match) and the two kinds of labelled set `tandem eval` reads. Host-agnostic: no CLI, no UI.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { TandemError } from '../domain/errors.ts';
import type { Ticket } from '../domain/ticket.ts';
import type { ProcessMapFile } from '../workspace/schema.ts';
import { loadWorkspace } from '../workspace/load.ts';
import { readWorkspaceSplit, type LabelledCase } from '../workspace/labelled.ts';

export { readWorkspaceSplit, type LabelledCase };
import { extractFields } from './fields.ts';
import { LOCAL_MODEL_ID, type ClassifierOptions, type Example } from './local-classifier.ts';
import { createLocalTriager, ticketText } from './local-triage.ts';
import { labelledExamples } from './local/experience.ts';

/** One labelled ticket: its text, its intents (primary first) and, when labelled, the true field values. */
/** What triage made of one case. `outOfScope` marks a case whose intent the model was never trained on. */
export interface Outcome {
  id: string;
  expected: string[];
  predicted: string;
  confidence: number;
  escalated: boolean;
  outOfScope: boolean;
  /** Per labelled field: did the extracted value equal the label? Absent when the case has no field labels. */
  fieldMatches?: { name: string; expected: unknown; got: unknown; match: boolean }[];
  tokens: number;
  costUsd: number;
  ms: number;
}

export interface EvalReport {
  model: string;
  cases: number;
  accuracy: number;
  /** Right when the prediction is any of the labelled intents, not only the primary one. */
  anyIntentAccuracy: number;
  macroF1: number;
  nonEscalatedAccuracy: number | null;
  escalationRate: number;
  oosCases: number;
  oosRecall: number | null;
  ece: number;
  fieldExactMatch: number | null;
  fieldsCompared: number;
  perField: Record<string, { compared: number; matched: number }>;
  tokens: number;
  costUsd: number;
  trainMs: number;
  msPerTicket: number;
  threshold: number | null;
}

/** Whether an in-scope case is right: the prediction is its primary intent. An out-of-scope case is right only if escalated. */
export function isCorrect(o: Pick<Outcome, 'expected' | 'predicted' | 'escalated' | 'outOfScope'>): boolean {
  return o.outOfScope ? o.escalated : o.predicted === o.expected[0];
}

export function accuracy(outcomes: readonly Outcome[]): number {
  return outcomes.length === 0 ? 0 : outcomes.filter(isCorrect).length / outcomes.length;
}

/**
 * Macro-averaged F1 over the in-scope classes (every primary intent that occurs in the labels). A prediction of
 * class c on any other case, out-of-scope ones included, counts against c's precision.
 */
export function macroF1(outcomes: readonly Outcome[]): number {
  const classes = new Set(outcomes.filter((o) => !o.outOfScope).map((o) => o.expected[0]!));
  if (classes.size === 0) return 0;
  let sum = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const o of outcomes) {
      const truth = !o.outOfScope && o.expected[0] === c;
      const said = o.predicted === c && !(o.outOfScope && o.escalated);
      if (truth && said) tp++;
      else if (said) fp++;
      else if (truth) fn++;
    }
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return sum / classes.size;
}

/**
 * Expected calibration error: cases binned by confidence into `bins` equal-width bins; the gap between each bin's
 * mean confidence and its accuracy, weighted by the bin's share of the cases.
 */
export function expectedCalibrationError(points: readonly { confidence: number; correct: boolean }[], bins = 10): number {
  if (points.length === 0) return 0;
  const n = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const right = new Array<number>(bins).fill(0);
  for (const p of points) {
    const b = Math.min(bins - 1, Math.floor(p.confidence * bins));
    n[b]!++;
    conf[b]! += p.confidence;
    if (p.correct) right[b]!++;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (n[b]! > 0) ece += (n[b]! / points.length) * Math.abs(right[b]! / n[b]! - conf[b]! / n[b]!);
  return ece;
}

export function summarize(outcomes: readonly Outcome[], info: { model: string; trainMs: number; threshold: number | null }): EvalReport {
  const kept = outcomes.filter((o) => !o.escalated);
  const oos = outcomes.filter((o) => o.outOfScope);
  const perField: EvalReport['perField'] = {};
  let compared = 0;
  let matched = 0;
  for (const o of outcomes) {
    for (const f of o.fieldMatches ?? []) {
      const entry = (perField[f.name] ??= { compared: 0, matched: 0 });
      entry.compared++;
      compared++;
      if (f.match) {
        entry.matched++;
        matched++;
      }
    }
  }
  return {
    model: info.model,
    cases: outcomes.length,
    accuracy: accuracy(outcomes),
    anyIntentAccuracy: outcomes.length === 0 ? 0 : outcomes.filter((o) => (o.outOfScope ? o.escalated : o.expected.includes(o.predicted))).length / outcomes.length,
    macroF1: macroF1(outcomes),
    nonEscalatedAccuracy: kept.length === 0 ? null : accuracy(kept),
    escalationRate: outcomes.length === 0 ? 0 : outcomes.filter((o) => o.escalated).length / outcomes.length,
    oosCases: oos.length,
    oosRecall: oos.length === 0 ? null : oos.filter((o) => o.escalated).length / oos.length,
    // Calibration asks whether the intent is right, so an out-of-scope case is never a right intent.
    ece: expectedCalibrationError(outcomes.map((o) => ({ confidence: o.confidence, correct: !o.outOfScope && o.predicted === o.expected[0] }))),
    fieldExactMatch: compared === 0 ? null : matched / compared,
    fieldsCompared: compared,
    perField,
    tokens: outcomes.reduce((a, o) => a + o.tokens, 0),
    costUsd: outcomes.reduce((a, o) => a + o.costUsd, 0),
    trainMs: info.trainMs,
    msPerTicket: outcomes.length === 0 ? 0 : outcomes.reduce((a, o) => a + o.ms, 0) / outcomes.length,
    threshold: info.threshold,
  };
}

/** Field values compared as a person would: case, spacing and number formatting do not matter. */
export function sameFieldValue(expected: unknown, got: unknown): boolean {
  if (got === undefined || got === null) return false;
  if (typeof expected === 'number' || typeof got === 'number') return Number(expected) === Number(got);
  const norm = (v: unknown) => String(v).toLowerCase().replace(/\s+/g, ' ').trim();
  return norm(expected) === norm(got);
}

function toTicket(c: Pick<LabelledCase, 'id' | 'subject' | 'body'>): Ticket {
  return { id: c.id, source: 'eval', externalId: c.id, subject: c.subject, body: c.body, requester: { name: '-', email: 'unknown@invalid' }, channel: 'email', createdAt: 0, state: 'new' };
}

// ---- labelled sets ----

/** A CSV of `text,category` rows (a header line naming the columns). */
export function readTextCategoryCsv(file: string): LabelledCase[] {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    throw new TandemError('not_found', `There is no file ${file}.`, { hint: 'Give the path of a CSV with a text,category header.' });
  }
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(raw, { columns: true, skip_empty_lines: true, bom: true, trim: true }) as Record<string, string>[];
  } catch (err) {
    throw new TandemError('bad_input', `${file} is not a readable CSV: ${(err as Error).message}`, { hint: 'Expected a header line text,category and one quoted row per example.' });
  }
  if (rows.length === 0) throw new TandemError('bad_input', `${file} has no rows.`, { hint: 'Expected a header line text,category and one row per example.' });
  if (!('text' in rows[0]!) || !('category' in rows[0]!)) throw new TandemError('bad_input', `${file} needs the columns text and category.`, { hint: 'The first line must be: text,category' });
  return rows.map((r, i) => ({ id: r.id || `row-${i + 2}`, subject: '', body: r.text ?? '', intents: [r.category ?? ''], fields: null }));
}

// ---- running the local model ----

export interface LocalEvalOptions {
  /** Below this confidence a case escalates; defaults to the workspace's (or 0.5 for plain CSVs). */
  threshold?: number;
  /** Fold count for cross-validation when the same cases are both training and test. */
  folds?: number;
  /** Training settings of the local model (for tuning; the defaults are what the app uses). */
  classifier?: ClassifierOptions;
}

/** The local model trained on `train` alone, evaluated on `test` (a plain text,category set). */
export interface EvalResult {
  report: EvalReport;
  outcomes: Outcome[];
}

export function evaluateCsv(train: readonly LabelledCase[], test: readonly LabelledCase[], options: LocalEvalOptions = {}): EvalResult {
  const examples = train.map((c) => ({ intent: c.intents[0]!, text: c.body }));
  const t0 = performance.now();
  const triager = createLocalTriager([], 'csv', 'other', { experience: examples, ...(options.classifier ? { classifier: options.classifier } : {}) });
  const trainMs = performance.now() - t0;
  const known = new Set(examples.map((e) => e.intent));
  const threshold = options.threshold ?? 0.5;
  const outcomes = test.map((c) => {
    const s = performance.now();
    const t = triager.triage(toTicket(c), 0);
    const ms = performance.now() - s;
    return outcome(c, t, t.confidence < threshold, !known.has(c.intents[0]!), ms, null);
  });
  return { report: summarize(outcomes, { model: triager.model, trainMs, threshold }), outcomes };
}

/**
 * The local model as the app builds it for a workspace: the maps' example phrases plus experience, here the labelled
 * tickets of `experienceSplit` standing in for accepted decisions. When the test split is the experience split
 * itself, each fold is read by a model trained without it (cross-validation).
 */
export function evaluateWorkspace(workspaceDir: string, split: string, options: LocalEvalOptions & { experienceSplit?: string | null } = {}): EvalResult {
  const ws = loadWorkspace(workspaceDir);
  const cases = readWorkspaceSplit(workspaceDir, split);
  const experienceSplit = options.experienceSplit === undefined ? 'train' : options.experienceSplit;
  const experience = experienceSplit ? readWorkspaceSplit(workspaceDir, experienceSplit) : [];
  const maps = new Map(ws.maps.map((m) => [m.id, m]));
  const known = new Set(ws.maps.map((m) => m.id));
  const thresholdOf = (intent: string) => options.threshold ?? maps.get(intent)?.escalate_below ?? ws.settings.triage.escalate_below;
  const asExamples = (list: readonly LabelledCase[]): Example[] => labelledExamples(list.filter((c) => known.has(c.intents[0]!)));
  const crossValidate = experienceSplit === split;
  const folds = crossValidate ? Math.max(2, options.folds ?? 5) : 1;
  const outcomes: Outcome[] = [];
  let trainMs = 0;
  for (let f = 0; f < folds; f++) {
    const heldOut = crossValidate ? new Set(cases.filter((_, i) => i % folds === f).map((c) => c.id)) : null;
    const t0 = performance.now();
    const triager = createLocalTriager(ws.maps, ws.mapsVersion, 'other', {
      experience: asExamples(heldOut ? experience.filter((c) => !heldOut.has(c.id)) : experience),
      ...(options.classifier ? { classifier: options.classifier } : {}),
    });
    trainMs += performance.now() - t0;
    for (const c of cases) {
      if (heldOut && !heldOut.has(c.id)) continue;
      const s = performance.now();
      const t = triager.triage(toTicket(c), 0);
      const ms = performance.now() - s;
      outcomes.push(outcome(c, t, t.confidence < thresholdOf(t.intent), !known.has(c.intents[0]!), ms, labelledMaps(c, maps)));
    }
  }
  const order = new Map(cases.map((c, i) => [c.id, i]));
  outcomes.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const report = summarize(outcomes, { model: LOCAL_MODEL_ID, trainMs: trainMs / folds, threshold: options.threshold ?? ws.settings.triage.escalate_below });
  return { report, outcomes };
}

/** The maps of a case's labelled intents: their field definitions are what the extractors are judged on. */
function labelledMaps(c: LabelledCase, maps: Map<string, ProcessMapFile>): ProcessMapFile[] {
  return c.intents.map((i) => maps.get(i)).filter((m): m is ProcessMapFile => m !== undefined);
}

function outcome(c: LabelledCase, t: { intent: string; confidence: number }, escalated: boolean, outOfScope: boolean, ms: number, fieldMaps: ProcessMapFile[] | null): Outcome {
  const o: Outcome = { id: c.id, expected: c.intents, predicted: t.intent, confidence: t.confidence, escalated, outOfScope, tokens: 0, costUsd: 0, ms };
  if (c.fields && fieldMaps && Object.keys(c.fields).length > 0) {
    const text = ticketText(c);
    const got: Record<string, unknown> = {};
    for (const m of fieldMaps) for (const [k, v] of Object.entries(extractFields(m, text))) got[k] ??= v;
    o.fieldMatches = Object.entries(c.fields).map(([name, expected]) => ({ name, expected, got: got[name], match: sameFieldValue(expected, got[name]) }));
  }
  return o;
}

/**
 * An escalation threshold from cross-validated outcomes of a training split (never the test split): the lowest one at
 * which the kept (not escalated) cases are at least `target` right while at most `maxEscalation` escalate; when no
 * threshold does both, the one with the best kept accuracy within the escalation budget. Null when nothing fits.
 */
export function suggestThreshold(outcomes: readonly Outcome[], target = 0.9, maxEscalation = 0.2): { threshold: number; nonEscalatedAccuracy: number; escalationRate: number; meetsTarget: boolean } | null {
  let best: { threshold: number; nonEscalatedAccuracy: number; escalationRate: number; meetsTarget: boolean } | null = null;
  for (let i = 0; i <= 95; i++) {
    const th = i / 100;
    const kept = outcomes.filter((o) => o.confidence >= th);
    if (kept.length === 0) break;
    const escalationRate = 1 - kept.length / outcomes.length;
    if (escalationRate > maxEscalation + 1e-9) break;
    const acc = kept.filter((o) => isCorrect({ ...o, escalated: false })).length / kept.length;
    if (acc >= target) return { threshold: th, nonEscalatedAccuracy: acc, escalationRate, meetsTarget: true };
    if (!best || acc > best.nonEscalatedAccuracy + 1e-9) best = { threshold: th, nonEscalatedAccuracy: acc, escalationRate, meetsTarget: false };
  }
  return best;
}
