// Insights: how often Tandem's suggestions were taken as they were, per step, with the lower bound that keeps a lead honest.
import { useEffect, useState } from 'react';
import type { Stats } from '../../../src/contract/index.ts';
import { Empty, ErrorState, Loading } from '../../components/StateView.tsx';
import { useInsights } from './store.ts';

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function InsightsView() {
  const { status, error, stats, load, notice } = useInsights();
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section aria-label="Insights">
      <header className="view-header">
        <h1>Insights</h1>
        <span className="muted">Bars: taken as suggested; the dark part is what the evidence guarantees (95% Wilson lower bound).</span>
      </header>
      {notice && (
        <p className="decision decision-accepted" role="status">
          {notice}
        </p>
      )}
      {status === 'loading' && <Loading what="the decision log" />}
      {error && <ErrorState message={error.message} hint={error.hint} onRetry={() => void load()} />}
      {stats && stats.triage.n === 0 && stats.steps.length === 0 && <Empty title="No decisions yet">Verdicts on triage and steps show up here as associates work.</Empty>}
      {stats && (stats.triage.n > 0 || stats.steps.length > 0) && <Tables stats={stats} />}
    </section>
  );
}

function Bar({ rate, lower }: { rate: number; lower: number }) {
  return (
    <span className="bar" title={`${pct(rate)} (at least ${pct(lower)} at 95%)`}>
      <span className="bar-rate" style={{ width: pct(rate) }} />
      <span className="bar-lower" style={{ width: pct(lower) }} />
    </span>
  );
}

function Tables({ stats }: { stats: Stats }) {
  return (
    <>
      <div className="panel">
        <h2>Triage</h2>
        <p>
          {stats.triage.n} verdict{stats.triage.n === 1 ? "" : "s"} · accepted as suggested {pct(stats.triage.asSuggested.rate)} (≥ {pct(stats.triage.asSuggested.lower)}) <Bar {...stats.triage.asSuggested} />
        </p>
        {stats.triage.confusions.length > 0 && (
          <p className="muted small">Most changed: {stats.triage.confusions.map((c) => `${c.suggested} → ${c.final} (${c.count})`).join(', ')}</p>
        )}
      </div>
      <table className="ticket-table insights">
        <thead>
          <tr>
            <th>Map · step</th>
            <th>Verdicts</th>
            <th>As suggested</th>
            <th>≥ (95%)</th>
            <th>Edited</th>
            <th>Auto / failed</th>
            <th>Median decision</th>
            <th>Most edited · reasons</th>
          </tr>
        </thead>
        <tbody>
          {stats.steps.map((s) => (
            <tr key={`${s.mapId}/${s.stepId}`}>
              <td>
                {s.mapId} · <strong>{s.stepId}</strong>
                {s.graduation.recommended && <Promote mapId={s.mapId} stepId={s.stepId} why={s.graduation.why} />}
              </td>
              <td>{s.n}</td>
              <td>
                {pct(s.asSuggested.rate)} <Bar {...s.asSuggested} />
              </td>
              <td>{pct(s.asSuggested.lower)}</td>
              <td>{pct(s.edited.rate)}</td>
              <td>
                {s.autoRuns} / {s.autoFailures}
              </td>
              <td>{s.medianDecisionMs === null ? '–' : `${(s.medianDecisionMs / 1000).toFixed(1)} s`}</td>
              <td className="small">
                {s.topEditedFields.map((f) => `${f.field} (${f.count})`).join(', ')}
                {s.overrideReasons.length > 0 && <span className="muted"> · {s.overrideReasons.map((r) => `“${r.reason}”`).join(', ')}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Promote({ mapId, stepId, why }: { mapId: string; stepId: string; why: string }) {
  const promote = useInsights((st) => st.promote);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  if (!open)
    return (
      <button type="button" className="chip chip-high" title={why} onClick={() => setOpen(true)}>
        recommended for auto — promote…
      </button>
    );
  return (
    <form
      className="promote"
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim()) void promote(mapId, stepId, reason);
      }}
    >
      <span className="muted small">{why}</span>
      <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Why (kept in the record)" aria-label="Why promote" required />
      <button type="submit" className="primary">
        Promote to auto
      </button>
    </form>
  );
}
