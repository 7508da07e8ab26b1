import { describe, expect, it } from 'vitest';
import type { TimelinePoint } from '../../../src/contract/index.ts';
import { MIN_TICK_GAP, PAD, chartGeometry, periodLabel } from './chart.ts';

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
const DAY = 86_400_000;

describe('chartGeometry', () => {
  it('scales volume to bars and draws the rate line over its lower-bound band, skipping periods without steps', () => {
    // 112 wide: 44 left padding + 12 right leaves 56, two slots of 28; 106 high: 10 top + 26 bottom leaves 70.
    const g = chartGeometry([point(0, 10, 4, 1, 0.5), point(1, 5, 0, 0, 0)], 112, 106, String);
    expect(g.maxVolume).toBe(10);
    expect(g.bars[0]).toMatchObject({ h: 35, y: 45 });
    expect(g.bars[1]).toMatchObject({ h: 17.5 });
    expect(g.rateLine).toBe('M58.0,10.0'); // only the first period had step verdicts
    expect(g.lowerBand).toBe('M58.0,45.0 L58.0,80.0 Z');
    expect(g.bars[0]!.label).toBe('0: 10 verdicts');
    expect(g.marks).toEqual([{ x: 58, yRate: 10, yLower: 45, label: '0: 100% of 4 step verdicts as suggested, at least 50%' }]);
    expect(g.plot).toEqual({ left: 44, right: 100, top: 10, bottom: 80 });
  });

  it('uses the width it is given: the plot spans it, and bars stay bars however few the periods', () => {
    for (const width of [480, 900, 1400]) {
      const g = chartGeometry([point(0, 3, 3, 0.5, 0.2)], width, 240, String);
      expect(g.plot.right - g.plot.left).toBe(width - PAD.left - PAD.right);
      expect(g.marks[0]!.x).toBe(PAD.left + (width - PAD.left - PAD.right) / 2); // centred in the whole width
      expect(g.bars[0]!.w).toBeLessThanOrEqual(44);
      expect(g.bars[0]!.x + g.bars[0]!.w / 2).toBe(g.marks[0]!.x);
    }
  });

  it('labels as many periods as fit without overlapping, more as the chart widens', () => {
    const points = Array.from({ length: 60 }, (_, i) => point(i * DAY, 1, 1, 1, 0.5));
    const gap = (w: number) => {
      const { ticks } = chartGeometry(points, w, 240, String);
      return { n: ticks.length, min: Math.min(...ticks.slice(1).map((t, i) => t.x - ticks[i]!.x)) };
    };
    const narrow = gap(600);
    const wide = gap(1400);
    expect(narrow.min).toBeGreaterThanOrEqual(MIN_TICK_GAP);
    expect(wide.min).toBeGreaterThanOrEqual(MIN_TICK_GAP);
    expect(wide.n).toBeGreaterThan(narrow.n);
    // A short range has room for every label.
    expect(chartGeometry(points.slice(0, 7), 1200, 240, String).ticks).toHaveLength(7);
  });

  it('puts a rate grid line every 25%, 100% at the top of the plot', () => {
    const g = chartGeometry([point(0, 1, 1, 1, 1)], 400, 210, String);
    expect(g.grid.map((l) => l.label)).toEqual(['0%', '25%', '50%', '75%', '100%']);
    expect(g.grid[4]!.y).toBe(g.plot.top);
    expect(g.grid[0]!.y).toBe(g.plot.bottom);
  });

  it('draws nothing misleading for an empty period list', () => {
    const g = chartGeometry([], 300, 120, String);
    expect(g.bars).toEqual([]);
    expect(g.rateLine).toBe('');
    expect(g.lowerBand).toBe('');
    expect(g.ticks).toEqual([]);
  });
});

describe('periodLabel', () => {
  it('writes the day a period starts as month and day, in UTC like the periods', () => {
    expect(periodLabel(Date.UTC(2026, 11, 4), 'en-US')).toBe('Dec 4');
    expect(periodLabel(Date.UTC(2026, 0, 1) - 1, 'en-US')).toBe('Dec 31'); // the last millisecond of the year
  });
});
