import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoWorkspaceDir } from '../../app/paths.ts';
import { tempDir } from '../../testing/temp-dirs.ts';
import { loadWorkspace } from '../../workspace/load.ts';
import { readWorkspaceSplit } from '../eval.ts';
import { LocalClassifier } from '../local-classifier.ts';
import { legitimateText } from '../text.ts';
import { ticketText, trainingExamples } from '../local-triage.ts';
import { labelledExamples } from './experience.ts';
import { runToEnd } from './linear.ts';
import { createModelFile, decodeModel, encodeModel, MODEL_FILE, type SavedModel } from './model-file.ts';

// The demo model as the app builds it: the maps' phrases, the labelled history, and a few decided tickets (keyed).
const demo = loadWorkspace(demoWorkspaceDir());
const history = labelledExamples(demo.learned);
const decided = readWorkspaceSplit(demoWorkspaceDir(), 'train').slice(0, 12).map((c, i) => ({ intent: c.intents[0]!, text: ticketText(c), key: `files:D-${i}` }));
const model = new LocalClassifier(trainingExamples(demo.maps, [...history, ...decided]));
/** Tickets the model never saw: the demo's test split and its hostile tickets. */
const unseen = [...readWorkspaceSplit(demoWorkspaceDir(), 'test'), ...readWorkspaceSplit(demoWorkspaceDir(), 'hostile')].map((c) => legitimateText(ticketText(c)));
const key = { code: 'local-svm@2/trainer-1', settings: 'a', maps: 'b', learned: 'c' };

function saved(m: LocalClassifier): SavedModel {
  return { key, classifier: runToEnd(m.stateSteps()), experience: { cursor: 12, mark: 'chain-hash-12', intents: decided.map((d) => [d.key, d.intent]) } };
}
const bytes = (m: LocalClassifier) => Buffer.concat(encodeModel(saved(m)));

describe('the saved local model', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.cleanup();
  });
  function file() {
    const d = tempDir();
    dirs.push(d);
    return createModelFile(join(d.path, MODEL_FILE));
  }

  it('loads as a model that answers every demo ticket exactly as the one saved', async () => {
    const store = file();
    expect(await store.write(saved(model))).toBe(true);
    const read = store.read();
    if (!('saved' in read)) throw new Error(read.why);
    expect(read.saved.key).toEqual(key);
    expect(read.saved.experience).toEqual(saved(model).experience);
    const loaded = LocalClassifier.fromState(read.saved.classifier);
    expect(loaded.fingerprint).toBe(model.fingerprint);
    expect([loaded.size, loaded.fullFitSize, loaded.updates, loaded.temperature]).toEqual([model.size, model.fullFitSize, model.updates, model.temperature]);
    expect(unseen.length).toBeGreaterThan(100);
    for (const text of unseen) expect(loaded.predict(text, 'other')).toEqual(model.predict(text, 'other'));
  });

  it('updates from where the saved model was: the same verdicts give the same model either way', () => {
    const loaded = LocalClassifier.fromState(decodeModel(bytes(model)).classifier);
    const changes = { added: readWorkspaceSplit(demoWorkspaceDir(), 'test').slice(0, 8).map((c, i) => ({ intent: c.intents[0]!, text: ticketText(c), key: `files:N-${i}` })), removed: ['files:D-0'] };
    const a = runToEnd(model.updateSteps(changes));
    const b = runToEnd(loaded.updateSteps(changes));
    expect(b.fingerprint).toBe(a.fingerprint);
    for (const text of unseen) expect(b.predict(text, 'other')).toEqual(a.predict(text, 'other'));
    // And an updated model saves and loads like a full fit.
    const again = LocalClassifier.fromState(decodeModel(bytes(b)).classifier);
    expect(again.updates).toBe(1);
    for (const text of unseen.slice(0, 40)) expect(again.predict(text, 'other')).toEqual(b.predict(text, 'other'));
  });

  it('is written whole, readable by its owner only, with no temporary file left', async () => {
    const store = file();
    await store.write(saved(model));
    if (process.platform !== 'win32') expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(store.path, '..'))).toEqual([MODEL_FILE]);
  });

  it('lets the latest write win when two overlap (a save in the background, then the one made as the app closes)', async () => {
    const store = file();
    const older = runToEnd(model.updateSteps({ added: [], removed: ['files:D-1'] }));
    const background = store.write(saved(older));
    store.writeSync(saved(model));
    expect(await background).toBe(false);
    const read = store.read();
    if (!('saved' in read)) throw new Error(read.why);
    expect(read.saved.classifier.fingerprint).toBe(model.fingerprint);
    expect(readdirSync(join(store.path, '..'))).toEqual([MODEL_FILE]);
  });

  it('says why a file cannot be used, and never throws: missing, cut short, damaged, foreign, of another format', () => {
    const store = file();
    expect(store.read()).toEqual({ why: 'there is no saved model yet' });
    const good = bytes(model);
    const cases: [string, Buffer, RegExp][] = [
      ['cut short', good.subarray(0, good.length - 1000), /bytes long where/],
      ['cut in its prefix', good.subarray(0, 20), /not a Tandem model file/],
      ['empty', Buffer.alloc(0), /not a Tandem model file/],
      ['a byte flipped in the weights', flip(good, Math.floor(good.length * 0.6)), /checksum does not match/],
      ['a byte flipped in the header', flip(good, 40), /checksum does not match/],
      ['not a model at all', Buffer.from('{"weights": []}'.padEnd(64)), /not a Tandem model file/],
      ['another format', withFormat(good, 99), /format 99, and this version of Tandem reads format 1/],
    ];
    for (const [name, content, why] of cases) {
      writeFileSync(store.path, content);
      const read = store.read();
      expect('why' in read ? read.why : `${name}: read`).toMatch(why);
    }
  });

  it('refuses a file whose parts do not hold together even when its checksum matches', () => {
    const state = saved(model);
    const broken: SavedModel = { ...state, classifier: { ...state.classifier, weights: state.classifier.weights.subarray(0, 10) } };
    const read = decodeModel(Buffer.concat(encodeModel(broken)));
    expect(() => LocalClassifier.fromState(read.classifier)).toThrow(/does not hold together: 10 weights/);
    const badIntent = Int32Array.from(state.classifier.examples.intent);
    badIntent[3] = 99;
    expect(() => LocalClassifier.fromState({ ...state.classifier, examples: { ...state.classifier.examples, intent: badIntent } })).toThrow(/example 3 has no intent/);
  });

  it('holds of a ticket only the text the model reads: not a script or instruction it blanked', () => {
    const hostile = readWorkspaceSplit(demoWorkspaceDir(), 'hostile').find((c) => c.id === 'T-0201')!;
    const withHostile = new LocalClassifier(trainingExamples(demo.maps, [...history, { intent: hostile.intents[0]!, text: ticketText(hostile), key: 'files:T-0201' }]));
    const text = Buffer.concat(encodeModel(saved(withHostile))).toString('utf8');
    expect(text).toContain('88 Ridge Rd');
    expect(text).toContain('"files:T-0201"');
    expect(text).not.toContain('collect.evil.example.net');
  });
});

function flip(b: Buffer, at: number): Buffer {
  const copy = Buffer.from(b);
  copy[at]! ^= 0xff;
  return copy;
}

function withFormat(b: Buffer, format: number): Buffer {
  const copy = Buffer.from(b);
  copy.writeUInt32LE(format, 8);
  return copy;
}
