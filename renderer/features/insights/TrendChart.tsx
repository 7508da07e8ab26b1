// The record over time: volume as bars, taken as suggested as a line over the band its Wilson lower bound guarantees.
// Hand-drawn SVG with a title and description, and the same figures as a table for screen readers and copying.
import { useLayoutEffect, useRef, useState } from 'react';
import type { TimelinePoint } from '../../../src/contract/index.ts';
import { chartGeometry, periodLabel } from './chart.ts';

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const HEIGHT = 240;

/** The width the element has on screen, followed as the window or the panel around it changes size. */
function useWidth<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(Math.floor(el.getBoundingClientRect().width)); // before the first paint: no flash at a guessed size
    const observer = new ResizeObserver(([entry]) => setWidth(Math.floor(entry!.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

export function TrendChart({ points, bucket }: { points: TimelinePoint[]; bucket: 'day' | 'week' }) {
  const [box, width] = useWidth<HTMLDivElement>();
  // Drawn at its on-screen size: the plot fills the panel and the labels keep their real size at any width.
  const g = chartGeometry(points, Math.max(width, 280), HEIGHT, (start) => periodLabel(start));
  return (
    <figure className="trend">
      <div ref={box} className="trend-box">
        {width > 0 && (
          <svg width={g.width} height={g.height} viewBox={`0 0 ${g.width} ${g.height}`} role="img" aria-labelledby="trend-title trend-desc" className="trend-svg">
            <title id="trend-title">Verdicts per {bucket} and steps taken as suggested</title>
            <desc id="trend-desc">
              Bars: verdicts per {bucket} (up to {g.maxVolume}). Line: share of step verdicts taken as suggested. Shaded: its 95% lower bound.
            </desc>
            {g.grid.map((l) => (
              <g key={l.label}>
                <line x1={g.plot.left} x2={g.plot.right} y1={l.y} y2={l.y} className="trend-grid" />
                <text x={g.plot.left - 6} y={l.y + 4} textAnchor="end" className="trend-axis">
                  {l.label}
                </text>
              </g>
            ))}
            {g.bars.map((b) => (
              <rect key={b.label} x={b.x} y={b.y} width={b.w} height={b.h} className="trend-bar">
                <title>{b.label}</title>
              </rect>
            ))}
            {g.lowerBand && <path d={g.lowerBand} className="trend-band" />}
            {g.rateLine && <path d={g.rateLine} className="trend-line" />}
            {g.marks.map((m) => (
              <g key={m.x}>
                <line x1={m.x - 6} x2={m.x + 6} y1={m.yLower} y2={m.yLower} className="trend-lower" />
                <circle cx={m.x} cy={m.yRate} r={3.5} className="trend-dot">
                  <title>{m.label}</title>
                </circle>
              </g>
            ))}
            {g.ticks.map((t) => (
              <text key={t.x} x={t.x} y={g.height - 8} textAnchor="middle" className="trend-axis">
                {t.label}
              </text>
            ))}
          </svg>
        )}
      </div>
      <figcaption className="muted small">
        Bars: verdicts per {bucket}. Dots and line: steps taken as suggested. Dash and shaded band: the 95% Wilson lower bound — what the evidence guarantees.
      </figcaption>
      <details>
        <summary className="small">The figures</summary>
        <table className="ticket-table small">
          <thead>
            <tr>
              <th>{bucket === 'day' ? 'Day' : 'Week of'}</th>
              <th>Verdicts</th>
              <th>Steps as suggested (≥ 95%)</th>
              <th>Triage accepted (≥ 95%)</th>
              <th>Edited</th>
              <th>Escalations</th>
              <th>Auto / failed</th>
              <th>Shadow matched</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p) => (
              <tr key={p.start}>
                <td>{new Date(p.start).toISOString().slice(0, 10)}</td>
                <td>{p.volume}</td>
                <td>{p.steps.n ? `${pct(p.steps.asSuggested.rate)} (≥ ${pct(p.steps.asSuggested.lower)}) of ${p.steps.n}` : '–'}</td>
                <td>{p.triage.n ? `${pct(p.triage.asSuggested.rate)} (≥ ${pct(p.triage.asSuggested.lower)}) of ${p.triage.n}` : '–'}</td>
                <td>{p.steps.edited}</td>
                <td>{p.escalations}</td>
                <td>
                  {p.autoRuns} / {p.autoFailures}
                </td>
                <td>{p.shadow.n ? `${p.shadow.matched} of ${p.shadow.n}` : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
