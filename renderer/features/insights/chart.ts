// Geometry of the trend chart, kept apart from the component so it is tested: volume as bars, the as-suggested rate
// as a line, and its Wilson lower bound as the band under it (the part the evidence guarantees). Drawn at the pixel
// size the chart has on screen, so text stays at its real size however wide the window is.
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
  /** Period labels under the plot, no closer than MIN_TICK_GAP apart. */
  ticks: { x: number; label: string }[];
  /** The rate axis: a grid line and a label every 25%. */
  grid: { y: number; label: string }[];
  /** The plot's edges, for the grid lines and the volume scale. */
  plot: { left: number; right: number; top: number; bottom: number };
}

export const PAD = { left: 44, right: 12, top: 10, bottom: 26 };
/** Room a period label needs (“Dec 24” at 12px, with air around it). */
export const MIN_TICK_GAP = 64;
/** Wider bars read as blocks, not as a count. */
const MAX_BAR = 44;

export function chartGeometry(points: TimelinePoint[], width: number, height: number, label: (start: number) => string): ChartGeometry {
  const innerW = Math.max(1, width - PAD.left - PAD.right);
  const innerH = Math.max(1, height - PAD.top - PAD.bottom);
  const maxVolume = Math.max(1, ...points.map((p) => p.volume));
  const slot = points.length > 0 ? innerW / points.length : innerW;
  const xMid = (i: number) => PAD.left + slot * i + slot / 2;
  const yRate = (r: number) => PAD.top + innerH * (1 - r);
  const barW = Math.min(slot * 0.7, MAX_BAR);
  const bars = points.map((p, i) => {
    const h = (p.volume / maxVolume) * innerH * 0.5; // volume uses the lower half, so the rate line stays readable
    return { x: xMid(i) - barW / 2, y: PAD.top + innerH - h, w: barW, h, label: `${label(p.start)}: ${p.volume} verdicts` };
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
  // As many labels as fit: every period when there is room, else every second, third… so none overlap.
  const every = Math.max(1, Math.ceil(MIN_TICK_GAP / slot));
  const ticks = points.map((p, i) => ({ x: xMid(i), label: label(p.start) })).filter((_, i) => i % every === 0);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((r) => ({ y: yRate(r), label: `${r * 100}%` }));
  return { width, height, bars, rateLine, lowerBand, marks, maxVolume, ticks, grid, plot: { left: PAD.left, right: width - PAD.right, top: PAD.top, bottom: PAD.top + innerH } };
}

/** A period's label on the axis: the day it starts, as a person writes it (“Dec 4”), in UTC like the periods. */
export function periodLabel(start: number, locale?: string): string {
  return new Date(start).toLocaleDateString(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
}
