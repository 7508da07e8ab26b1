// The review of overrides and escalations: the ticket, what Tandem suggested, what the associate did instead and why;
// each can become a triage example or open the map at its step.
import { useEffect, useState } from 'react';
import type { ReviewItem } from '../../../src/contract/index.ts';
import { Empty, ErrorState, Loading } from '../../components/StateView.tsx';
import { ReviewChanges } from './ReviewChanges.tsx';
import { PAGE, useReview } from './store.ts';

const VERDICTS: [string, string][] = [
  ['', 'all'],
  ['overridden', 'triage overridden'],
  ['edited', 'edited'],
  ['skipped', 'skipped'],
  ['manual', 'done by hand'],
  ['escalated', 'escalated / failed alone'],
  ['reverted', 'run alone, then reverted by hand'],
];

export function ReviewView({ maps }: { maps: string[] }) {
  const { status, error, items, total, offset, verdict, notice, load, setVerdict } = useReview();
  useEffect(() => {
    void load(0);
  }, [load]);
  // J older, K newer, as in the ticket view; not while typing.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement || e.metaKey || e.ctrlKey || e.altKey) return;
      const { offset: at, total: all } = useReview.getState();
      if (e.key === 'j' && at + PAGE < all) void load(at + PAGE);
      if (e.key === 'k' && at > 0) void load(Math.max(0, at - PAGE));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [load]);
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const page = Math.floor(offset / PAGE) + 1;
  return (
    <section aria-label="Review of overrides and escalations">
      <div className="filters review-filters">
        <label>
          Show{' '}
          <select value={verdict} onChange={(e) => void setVerdict(e.target.value)}>
            {VERDICTS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">
          {total} to review · page {page} of {pages}
        </span>
        <button type="button" disabled={offset === 0} onClick={() => void load(Math.max(0, offset - PAGE))} aria-keyshortcuts="k">
          ← Newer <kbd>K</kbd>
        </button>
        <button type="button" disabled={offset + PAGE >= total} onClick={() => void load(offset + PAGE)} aria-keyshortcuts="j">
          Older <kbd>J</kbd> →
        </button>
      </div>
      {notice && (
        <p className="decision decision-accepted" role="status">
          {notice}
        </p>
      )}
      {status === 'loading' && <Loading what="the overrides and escalations" />}
      {error && <ErrorState message={error.message} hint={error.hint} onRetry={() => void load()} />}
      {status === 'ready' && items.length === 0 && <Empty title="Nothing to review">Overrides, edits and escalations show up here as associates work.</Empty>}
      <ol className="review-list">
        {items.map((item) => (
          <ReviewCard key={item.decisionId} item={item} maps={maps} />
        ))}
      </ol>
    </section>
  );
}

function ReviewCard({ item, maps }: { item: ReviewItem; maps: string[] }) {
  const addExample = useReview((s) => s.addExample);
  const [open, setOpen] = useState(false);
  const defaultMap = item.kind === 'triage' ? item.final : (item.mapId ?? '');
  const [mapId, setMapId] = useState(maps.includes(defaultMap) ? defaultMap : (maps[0] ?? ''));
  const [text, setText] = useState(item.ticket?.subject ?? '');
  const what =
    item.kind === 'triage'
      ? 'triage'
      : item.kind === 'escalation'
        ? `${item.mapId} · ${item.stepId ?? 'run'} (escalation)`
        : item.kind === 'revert'
          ? `${item.mapId} · ${item.stepId} (run alone, then reverted by hand)`
          : `${item.mapId} · ${item.stepId}`;
  return (
    <li className="panel review-card">
      <div className="review-head">
        <strong>{what}</strong> <span className={`chip ${item.verdict === 'escalated' || item.verdict === 'reverted' ? 'chip-low' : 'chip-medium'}`}>{item.verdict}</span>
        <span className="muted small">
          {' '}
          by {item.actor} · {new Date(item.decidedAt).toLocaleString()}
          {item.origin ? ` · imported from ${item.origin}` : ''}
        </span>
      </div>
      {item.ticket ? (
        <details>
          <summary>
            {item.ticket.subject} <span className="muted small">— {item.ticket.requester}</span>
          </summary>
          <p className="message-body">{item.ticket.body}</p>
        </details>
      ) : (
        <p className="muted small">The ticket is in another associate’s database (imported decision).</p>
      )}
      <ReviewChanges item={item} />
      <p>
        <span className="muted">Why: </span>
        {item.reason ?? <span className="muted">no reason given</span>}
      </p>
      <div className="actions">
        {item.mapId && <a href={`#/maps/${encodeURIComponent(item.mapId)}${item.stepId ? `?step=${encodeURIComponent(item.stepId)}` : ''}`}>Open the map at this step</a>}
        {!open && (
          <button type="button" onClick={() => setOpen(true)}>
            Make it a triage example…
          </button>
        )}
      </div>
      {open && (
        <form
          className="promote"
          onSubmit={(e) => {
            e.preventDefault();
            void addExample(item, mapId, text).then(() => setOpen(false));
          }}
        >
          <label>
            Example phrase for{' '}
            <select value={mapId} onChange={(e) => setMapId(e.target.value)} aria-label="Map">
              {maps.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
          <input value={text} onChange={(e) => setText(e.target.value)} minLength={3} maxLength={500} required aria-label="Example phrase" />
          <span>
            <button type="submit" className="primary">
              Add to the map
            </button>{' '}
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </span>
        </form>
      )}
    </li>
  );
}
