import { describe, expect, it } from 'vitest';
import type { TimelinePoint } from '../../../src/contract/index.ts';
import { chartGeometry } from './chart.ts';

const point = (start: number, volume: number, n: number, rate: number, lower: number): TimelinePoint => ({
  start,
  volume,
  triage: { n: 0, accepted: 0, asSuggested: { rate: 0, lower: 0 } },
  steps: { n, asSuggested: { rate, lower }, edited: 0 },
  shadow: { n: 0, matched: 0 },
  escalations: 0,
  autoRuns: 0,
  autoFailures: 0,
});

describe('chartGeometry', () => {
  it('scales volume to bars and draws the rate line over its lower-bound band, skipping periods without steps', () => {
    // 100 wide: 36 left padding + 8 right leaves 56, two slots of 28; 100 high: 8 top + 22 bottom leaves 70.
    const g = chartGeometry([point(0, 10, 4, 1, 0.5), point(1, 5, 0, 0, 0)], 100, 100, String);
    expect(g.maxVolume).toBe(10);
    expect(g.bars[0]).toMatchObject({ h: 35, y: 43 });
    expect(g.bars[1]).toMatchObject({ h: 17.5 });
    expect(g.rateLine).toBe('M50.0,8.0'); // only the first period had step verdicts
    expect(g.lowerBand).toBe('M50.0,43.0 L50.0,78.0 Z');
    expect(g.bars[0]!.label).toBe('0: 10 verdicts');
    expect(g.marks).toEqual([{ x: 50, yRate: 8, yLower: 43, label: '0: 100% of 4 step verdicts as suggested, at least 50%' }]);
  });

  it('draws nothing misleading for an empty period list', () => {
    const g = chartGeometry([], 300, 120, String);
    expect(g.bars).toEqual([]);
    expect(g.rateLine).toBe('');
    expect(g.lowerBand).toBe('');
  });
});
