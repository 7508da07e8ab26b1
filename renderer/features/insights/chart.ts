// Geometry of the trend chart, kept apart from the component so it is tested: volume as bars, the as-suggested rate
// as a line, and its Wilson lower bound as the band under it (the part the evidence guarantees).
import type { TimelinePoint } from '../../../src/contract/index.ts';

export interface ChartGeometry {
  width: number;
  height: number;
  bars: { x: number; y: number; w: number; h: number; label: string }[];
  rateLine: string;
  lowerBand: string;
  /** Each period with step verdicts: a dot at its rate and a tick at its lower bound (visible even for one period). */
  marks: { x: number; yRate: number; yLower: number; label: string }[];
  maxVolume: number;
  ticks: { x: number; label: string }[];
}

const PAD = { left: 36, right: 8, top: 8, bottom: 22 };

export function chartGeometry(points: TimelinePoint[], width: number, height: number, label: (start: number) => string): ChartGeometry {
  const innerW = width - PAD.left - PAD.right;
  const innerH = height - PAD.top - PAD.bottom;
  const maxVolume = Math.max(1, ...points.map((p) => p.volume));
  const slot = points.length > 0 ? innerW / points.length : innerW;
  const xMid = (i: number) => PAD.left + slot * i + slot / 2;
  const yRate = (r: number) => PAD.top + innerH * (1 - r);
  const bars = points.map((p, i) => {
    const h = (p.volume / maxVolume) * innerH * 0.5; // volume uses the lower half, so the rate line stays readable
    return { x: PAD.left + slot * i + slot * 0.15, y: PAD.top + innerH - h, w: slot * 0.7, h, label: `${label(p.start)}: ${p.volume} verdicts` };
  });
  const withSteps = points.map((p, i) => ({ p, i })).filter(({ p }) => p.steps.n > 0);
  const rateLine = withSteps.map(({ p, i }, k) => `${k === 0 ? 'M' : 'L'}${xMid(i).toFixed(1)},${yRate(p.steps.asSuggested.rate).toFixed(1)}`).join(' ');
  const top = withSteps.map(({ p, i }) => `${xMid(i).toFixed(1)},${yRate(p.steps.asSuggested.lower).toFixed(1)}`);
  const bottom = withSteps.map(({ i }) => `${xMid(i).toFixed(1)},${yRate(0).toFixed(1)}`).reverse();
  const lowerBand = withSteps.length > 0 ? `M${[...top, ...bottom].join(' L')} Z` : '';
  const marks = withSteps.map(({ p, i }) => ({
    x: xMid(i),
    yRate: yRate(p.steps.asSuggested.rate),
    yLower: yRate(p.steps.asSuggested.lower),
    label: `${label(p.start)}: ${Math.round(p.steps.asSuggested.rate * 1000) / 10}% of ${p.steps.n} step verdicts as suggested, at least ${Math.round(p.steps.asSuggested.lower * 1000) / 10}%`,
  }));
  const every = Math.max(1, Math.ceil(points.length / 8));
  const ticks = points.map((p, i) => ({ x: xMid(i), label: label(p.start) })).filter((_, i) => i % every === 0);
  return { width, height, bars, rateLine, lowerBand, marks, maxVolume, ticks };
}
