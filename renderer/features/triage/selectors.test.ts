import { describe, expect, it } from 'vitest';
import { progressLine, progressVisible, usageLine } from './selectors.ts';

const p = { total: 10, done: 4, pending: 5, running: 1, failed: 0, concurrency: 2, pausedUntil: null, notice: null, model: 'llm:gpt@api' };

describe('triage selectors', () => {
  it('shows the bar while the queue works or has something to say', () => {
    expect(progressVisible(null)).toBe(false);
    expect(progressVisible(p)).toBe(true);
    expect(progressVisible({ ...p, pending: 0, running: 0 })).toBe(false);
    expect(progressVisible({ ...p, pending: 0, running: 0, notice: 'down' })).toBe(true);
  });
  it('says how far the queue is', () => {
    expect(progressLine(p)).toBe('Reading tickets with llm:gpt@api: 4 of 10 done, 6 to go');
    expect(progressLine({ ...p, done: 10, pending: 0, running: 0 })).toBe('10 of 10 read by llm:gpt@api');
  });
  it('sums tokens and shows cost only when priced', () => {
    expect(usageLine({ promptTokens: 1200, completionTokens: 80, costMicros: 0, calls: 1 })).toBe('1,280 tokens (1200 in, 80 out) in 1 call');
    expect(usageLine({ promptTokens: 100, completionTokens: 20, costMicros: 270_000, calls: 2 })).toBe('120 tokens (100 in, 20 out) in 2 calls · cost 0.2700');
  });
});
