import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accuracy, evaluateCsv, expectedCalibrationError, macroF1, readTextCategoryCsv, sameFieldValue, suggestThreshold, summarize, type Outcome } from './eval.ts';

const o = (expected: string, predicted: string, confidence: number, extra: Partial<Outcome> = {}): Outcome => ({
  id: `${expected}-${predicted}-${confidence}`,
  expected: [expected],
  predicted,
  confidence,
  escalated: false,
  outOfScope: false,
  tokens: 0,
  costUsd: 0,
  ms: 1,
  ...extra,
});

describe('metrics on hand-computed cases', () => {
  // a: 2 of 3 right; b: 1 right, plus one wrong "b" prediction for an "a".
  const set = [o('a', 'a', 0.9), o('a', 'a', 0.9), o('a', 'b', 0.6), o('b', 'b', 0.7)];

  it('accuracy is the share of primary intents right', () => {
    expect(accuracy(set)).toBe(0.75);
  });

  it('macro-F1 averages per-class F1', () => {
    // a: tp 2, fp 0, fn 1 -> 4/5; b: tp 1, fp 1, fn 0 -> 2/3.
    expect(macroF1(set)).toBeCloseTo((0.8 + 2 / 3) / 2, 10);
  });

  it('ECE weighs each confidence bin’s gap by its share', () => {
    // bin 0.9: two cases, both right, gap 0.1; bin 0.6: one wrong, gap 0.6; bin 0.7: one right, gap 0.3.
    const ece = expectedCalibrationError(set.map((x) => ({ confidence: x.confidence, correct: x.predicted === x.expected[0] })));
    expect(ece).toBeCloseTo((2 / 4) * 0.1 + (1 / 4) * 0.6 + (1 / 4) * 0.3, 10);
    expect(expectedCalibrationError([{ confidence: 0.8, correct: true }, { confidence: 0.8, correct: true }, { confidence: 0.8, correct: true }, { confidence: 0.8, correct: true }, { confidence: 0.8, correct: false }])).toBeCloseTo(0, 10);
  });

  it('an out-of-scope case is right only when it escalates, and never a right intent for calibration', () => {
    const withOos = [...set, o('zzz', 'a', 0.2, { outOfScope: true, escalated: true }), o('zzz', 'b', 0.8, { outOfScope: true })];
    const r = summarize(withOos, { model: 'm', trainMs: 5, threshold: 0.5 });
    expect(r.accuracy).toBeCloseTo(4 / 6, 10);
    expect(r.oosCases).toBe(2);
    expect(r.oosRecall).toBe(0.5);
    expect(r.escalationRate).toBeCloseTo(1 / 6, 10);
    // The five kept: 3 right of the in-scope four, plus the unescalated out-of-scope one, wrong.
    expect(r.nonEscalatedAccuracy).toBeCloseTo(3 / 5, 10);
    // b now also has the out-of-scope ticket read as b against it: tp 1, fp 2 -> 2/4.
    expect(r.macroF1).toBeCloseTo((0.8 + 0.5) / 2, 10);
    expect(r.tokens).toBe(0);
    expect(r.costUsd).toBe(0);
    expect(r.msPerTicket).toBe(1);
  });

  it('field exact match counts each labelled field, per field too', () => {
    const fm = (name: string, match: boolean) => ({ name, expected: 'x', got: match ? 'x' : undefined, match });
    const r = summarize([o('a', 'a', 1, { fieldMatches: [fm('order_id', true), fm('amount', false)] }), o('a', 'a', 1, { fieldMatches: [fm('order_id', true)] }), o('a', 'a', 1)], { model: 'm', trainMs: 0, threshold: null });
    expect(r.fieldExactMatch).toBeCloseTo(2 / 3, 10);
    expect(r.perField).toEqual({ order_id: { compared: 2, matched: 2 }, amount: { compared: 1, matched: 0 } });
    expect(summarize(set, { model: 'm', trainMs: 0, threshold: null }).fieldExactMatch).toBeNull();
  });

  it('compares field values as a person would', () => {
    expect(sameFieldValue('104233', '104233')).toBe(true);
    expect(sameFieldValue(45.5, '45.50')).toBe(true);
    expect(sameFieldValue('A@B.com', 'a@b.com')).toBe(true);
    expect(sameFieldValue('104233', undefined)).toBe(false);
  });

  it('suggests the lowest threshold whose kept cases reach the target', () => {
    const set = [o('a', 'a', 0.9), o('a', 'b', 0.3), o('a', 'a', 0.5), o('a', 'b', 0.55)];
    expect(suggestThreshold(set, 0.9, 1)).toEqual({ threshold: 0.56, nonEscalatedAccuracy: 1, escalationRate: 0.75, meetsTarget: true });
    // Within a 50% escalation budget 1.0 is out of reach: the best kept accuracy there is 2/3 from 0.31 up.
    expect(suggestThreshold(set, 0.9, 0.5)).toEqual({ threshold: 0.31, nonEscalatedAccuracy: 2 / 3, escalationRate: 0.25, meetsTarget: false });
  });
});

describe('evaluating a text,category CSV pair', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-eval-'));
  const write = (name: string, rows: string[][]) => {
    const file = join(dir, name);
    writeFileSync(file, ['text,category', ...rows.map((r) => r.map((c) => `"${c}"`).join(','))].join('\n'));
    return file;
  };
  const train = write('train.csv', [
    ['my card has not arrived yet', 'card_arrival'],
    ['when will my new card come', 'card_arrival'],
    ['still waiting for the card in the post', 'card_arrival'],
    ['how long does card delivery take', 'card_arrival'],
    ['i forgot my pin', 'pin'],
    ['how do i reset my pin code', 'pin'],
    ['my pin is blocked after wrong tries', 'pin'],
    ['change the pin on my card', 'pin'],
    ['what is the exchange rate', 'rate'],
    ['which exchange rate do you use for euros', 'rate'],
    ['is the currency rate fair', 'rate'],
    ['how much is a dollar in pounds today', 'rate'],
  ]);
  const test = write('test.csv', [
    ['my card still has not arrived', 'card_arrival'],
    ['reset my pin please', 'pin'],
    ['zebra giraffe volcano', 'animals'],
  ]);

  it('trains on the train file alone and counts an unseen category as out-of-scope', () => {
    const { report, outcomes } = evaluateCsv(readTextCategoryCsv(train), readTextCategoryCsv(test));
    expect(outcomes.map((x) => x.predicted).slice(0, 2)).toEqual(['card_arrival', 'pin']);
    expect(report.oosCases).toBe(1);
    expect(report.oosRecall).toBe(1); // words the model never saw: confidence 0, so it escalates
    expect(report.accuracy).toBe(1);
    for (const key of ['accuracy', 'macroF1', 'nonEscalatedAccuracy', 'escalationRate', 'oosRecall', 'ece', 'trainMs', 'msPerTicket']) expect(report).toHaveProperty(key);
  });

  it('names the file and the fix for a CSV without the columns', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'sentence,label\nhello,x\n');
    expect(() => readTextCategoryCsv(bad)).toThrow(/needs the columns text and category/);
    expect(() => readTextCategoryCsv(join(dir, 'missing.csv'))).toThrow(/There is no file/);
  });
});
