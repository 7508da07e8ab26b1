// Insights: how often Tandem's suggestions were taken as they were, per step, with the lower bound that keeps a lead honest.
import { useEffect, useRef, useState } from 'react';
import type { Stats } from '../../../src/contract/index.ts';
import { call, isHostUnreachable } from '../../api.ts';
import { Empty, ErrorState, Loading } from '../../components/StateView.tsx';
import { ExportDialog } from '../export/ExportDialog.tsx';
import { ReviewView } from '../review/ReviewView.tsx';
import { evidenceLine, promotable } from './selectors.ts';
import { promotionKey, useInsights } from './store.ts';
import { TrendChart } from './TrendChart.tsx';

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function InsightsView() {
  const { status, error, stats, load, loadTimeline, notice, tab, setTab } = useInsights();
  const [exporting, setExporting] = useState(false);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section aria-label="Insights">
      <header className="view-header">
        <h1>Insights</h1>
        <nav className="subtabs" aria-label="Insights sections">
          {(['overview', 'trends', 'review'] as const).map((t) => (
            <button key={t} type="button" className={tab === t ? 'active' : ''} aria-pressed={tab === t} onClick={() => setTab(t)}>
              {t === 'overview' ? 'Steps' : t === 'trends' ? 'Over time' : 'Review'}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        <button type="button" onClick={() => setExporting(true)}>
          Export…
        </button>
      </header>
      {exporting && <ExportDialog steps={stats?.steps ?? []} onClose={() => setExporting(false)} />}
      <DemotionBanners />
      {tab === 'trends' && <Trends />}
      {tab === 'review' && <ReviewView maps={[...new Set([...(stats?.steps.map((s) => s.mapId) ?? []), ...(stats?.triage.confusions.flatMap((c) => [c.suggested, c.final]) ?? [])])]} />}
      {tab === 'overview' && <p className="muted">Bars: taken as suggested; the dark part is what the evidence guarantees (95% Wilson lower bound).</p>}
      {tab === 'overview' && notice && (
        <p className="decision decision-accepted" role="status">
          {notice}
        </p>
      )}
      {status === 'loading' && <Loading what="the decision log" />}
      {/* The review has its own list and says itself when it cannot load it. */}
      {error && tab !== 'review' && (
        <ErrorState
          message={error.message}
          hint={error.hint}
          onRetry={() => {
            void load();
            if (tab === 'trends') void loadTimeline();
          }}
        />
      )}
      {tab === 'overview' && stats && stats.triage.n === 0 && stats.steps.length === 0 && <Empty title="No decisions yet">Verdicts on triage and steps show up here as associates work.</Empty>}
      {tab === 'overview' && stats && (stats.triage.n > 0 || stats.steps.length > 0) && <Tables stats={stats} />}
    </section>
  );
}

/** Steps Tandem put back to suggest (latest change of the step, until the lead dismisses it or promotes it again). */
function DemotionBanners() {
  const { stats, demotionFailure, dismissedDemotions, dismissDemotion } = useInsights();
  const demoted = (stats?.modeChanges ?? []).filter((c) => c.verdict === 'demoted' && c.actor === 'tandem' && !dismissedDemotions.includes(c.id));
  return (
    <>
      {demotionFailure && (
        <div className="warning banner" role="alert">
          <strong>
            {demotionFailure.mapId} · {demotionFailure.stepId} keeps {demotionFailure.reverted > 0 ? 'going wrong' : 'failing'} on its own but could not be demoted: {demotionFailure.error?.message}
          </strong>{' '}
          It still runs automatically; set it back to suggest in its map. ({demotionFailure.reason})
        </div>
      )}
      {demoted.map((c) => (
        <div key={c.id} className="warning banner" role="alert">
          <strong>
            Tandem put {c.mapId} · {c.stepId} back to {c.to}
          </strong>{' '}
          <span className="small">
            {new Date(c.at).toLocaleString()} — {c.reason}
          </span>{' '}
          <button type="button" className="link" onClick={() => dismissDemotion(c.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </>
  );
}

function Trends() {
  const { timeline, bucket, loadTimeline } = useInsights();
  useEffect(() => {
    void loadTimeline();
  }, [loadTimeline]);
  return (
    <div className="panel">
      <div className="filters">
        <span>Per</span>
        {(['day', 'week'] as const).map((b) => (
          <button key={b} type="button" className={bucket === b ? 'active' : ''} aria-pressed={bucket === b} onClick={() => void loadTimeline(b)}>
            {b}
          </button>
        ))}
      </div>
      {timeline === null && <Loading what="the record over time" />}
      {timeline && timeline.length === 0 && <Empty title="No verdicts yet">The chart fills in as associates work.</Empty>}
      {timeline && timeline.length > 0 && <TrendChart points={timeline} bucket={bucket} />}
    </div>
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

/** Each step's title in its map ("Refund the charge in Payments"), read once: the record keeps ids only. */
function useStepTitles(): Map<string, string> {
  const [titles, setTitles] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    call('maps.list', {}).then(
      (maps) => setTitles(new Map(maps.flatMap((m) => m.steps.map((st) => [`${m.id}/${st.id}`, st.title] as const)))),
      () => undefined, // without titles the ids still say which step it is
    );
  }, []);
  return titles;
}

function Tables({ stats }: { stats: Stats }) {
  const titles = useStepTitles();
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
            <th title="Automatic runs a person marked as reverted (undone by hand in the system)">Reverted</th>
            <th>Shadow matched</th>
            <th>Median decision</th>
            <th>Most edited · reasons</th>
          </tr>
        </thead>
        <tbody>
          {stats.steps.map((s) => (
            <tr key={`${s.mapId}/${s.stepId}`}>
              <td>
                {titles.get(`${s.mapId}/${s.stepId}`) && titles.get(`${s.mapId}/${s.stepId}`) !== s.stepId ? (
                  <>
                    <strong>{titles.get(`${s.mapId}/${s.stepId}`)}</strong>{' '}
                    <span className="muted small">
                      {s.mapId} · {s.stepId}
                    </span>
                  </>
                ) : (
                  <>
                    {s.mapId} · <strong>{s.stepId}</strong>
                  </>
                )}
                {s.mode === 'auto' && <span className="chip chip-high mode-chip">runs automatically</span>}
                <div className="muted small">{evidenceLine(s)}</div>
                {promotable(s) && <Promote mapId={s.mapId} stepId={s.stepId} />}
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
              <td title="Automatic runs undone by hand, with the 95% Wilson lower bound of their share">
                {s.autoReverts > 0 ? (
                  <>
                    {s.autoReverts} · {pct(s.autoReverted.rate)} (≥ {pct(s.autoReverted.lower)})
                  </>
                ) : (
                  '–'
                )}
              </td>
              <td title="What Tandem would have sent on its own, against what was sent">
                {s.shadow.n > 0 ? (
                  <>
                    {pct(s.shadow.asSuggested.rate)} (≥ {pct(s.shadow.asSuggested.lower)}) of {s.shadow.n}
                  </>
                ) : (
                  '–'
                )}
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

/**
 * "Promote to auto…" on a step the record recommends: the confirmation opens in its place, in the step's own cell,
 * with the cursor in the reason; Enter promotes, Escape (or Cancel) leaves it as it was and gives the keyboard back to
 * the button. The evidence is the line just above: it is not repeated here.
 */
function Promote({ mapId, stepId }: { mapId: string; stepId: string }) {
  const key = promotionKey(mapId, stepId);
  const { promote, promoting, promoteError, clearPromoteError } = useInsights();
  const error = promoteError?.key === key ? promoteError : null;
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const box = useRef<HTMLInputElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (open) box.current?.focus();
    else if (wasOpen.current) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);
  const close = () => {
    setOpen(false);
    if (error) clearPromoteError();
  };
  if (!open)
    return (
      <button ref={opener} type="button" className="chip chip-high promote-open" onClick={() => setOpen(true)}>
        Recommended for auto — Promote…
      </button>
    );
  return (
    <form
      className="promote"
      aria-label={`Promote ${mapId} · ${stepId} to auto`}
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim()) void promote(mapId, stepId, reason);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          close();
        }
      }}
    >
      <label>
        Why promote? Kept in the record with the evidence above.
        <input ref={box} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={2000} />
      </label>
      {error &&
        (isHostUnreachable(error) ? (
          <ErrorState message={error.message} />
        ) : (
          <p className="warning small" role="alert">
            {error.message} {error.hint}
          </p>
        ))}
      <div className="actions">
        <button type="submit" className="primary" disabled={promoting !== null || !reason.trim()}>
          {promoting === key ? 'Promoting…' : 'Promote to auto'}
        </button>
        <button type="button" onClick={close}>
          Cancel
        </button>
      </div>
    </form>
  );
}
