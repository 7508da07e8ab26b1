import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dirs.ts';
import { runCaptured } from '../testing/cli-io.ts';

describe('tandem eval', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());

  const run = (argv: string[]) => runCaptured(argv);

  it('measures the demo test split with the workspace’s threshold and prints every named key with --json', async () => {
    const r = await run(['eval', '--split', 'test', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as Record<string, unknown>;
    for (const key of ['accuracy', 'macroF1', 'nonEscalatedAccuracy', 'escalationRate', 'oosRecall', 'ece', 'trainMs', 'msPerTicket', 'tokens', 'costUsd', 'fieldExactMatch']) expect(report).toHaveProperty(key);
    expect(report.cases).toBe(100);
    expect(report.threshold).toBe(0.7);
    // The figures the README records; a change to the model that lowers them shows up here.
    expect(report.accuracy as number).toBeGreaterThanOrEqual(0.85);
    expect(report.nonEscalatedAccuracy as number).toBeGreaterThanOrEqual(0.9);
    expect(report.escalationRate as number).toBeLessThanOrEqual(0.25);
    expect(report.tokens).toBe(0);
  });

  it('prints a readable table for a CSV pair and counts unseen categories as out-of-scope', async () => {
    const train = join(dir.path, 'train.csv');
    const test = join(dir.path, 'test.csv');
    writeFileSync(train, 'text,category\nwhere is my parcel,wismo\nmy order has not arrived,wismo\ntrack my package,wismo\nrefund my order,refund\ni want my money back,refund\nplease give me a refund,refund\n');
    writeFileSync(test, 'text,category\nmy parcel has not arrived,wismo\nqwerty asdf zxcv,gibberish\n');
    const r = await run(['eval', '--train', train, '--test', test]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Intent accuracy\s+100\.0%/);
    expect(r.out).toMatch(/Out-of-scope recall\s+100\.0% of 1/);
    expect(r.out).toMatch(/Tokens \/ cost\s+0 \/ \$0\.0000/);
  });

  it('says what to give when the options do not fit together', async () => {
    expect((await run(['eval'])).code).toBe(2);
    expect((await run(['eval', '--train', 'a.csv'])).err).toMatch(/--train and --test go together/);
    expect((await run(['eval', '--split', 'test', '--train', 'a.csv', '--test', 'b.csv'])).code).toBe(2);
    expect((await run(['eval', '--split', 'test', '--escalate-below', '2'])).err).toMatch(/from 0 to 1/);
    const missing = await run(['eval', '--split', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/There is no .*nope\.yaml/);
  });
});
