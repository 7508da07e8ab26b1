// Escalations and approvals: what the lead must decide, with the reason and the step concerned.
import { useEffect, useState } from 'react';
import type { Run } from '../../../src/contract/index.ts';
import { Empty, ErrorState, Loading } from '../../components/StateView.tsx';
import { jsonWithMoney, paymentContext } from '../run/money.ts';
import { differences, differenceText, facts, waited } from './selectors.ts';
import { useEscalations } from './store.ts';

export function EscalationsView() {
  const { status, error, runs, load } = useEscalations();
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section aria-label="Escalations">
      <header className="view-header">
        <h1>Escalations and approvals</h1>
        <span className="muted">{runs.length} waiting for a lead</span>
      </header>
      {status === 'loading' && <Loading what="escalations" />}
      {error && <ErrorState message={error.message} hint={error.hint} onRetry={() => void load()} />}
      {status === 'ready' && runs.length === 0 && <Empty title="Nothing waits for a lead">Escalated tickets and approvals appear here.</Empty>}
      <div className="escalations">
        {runs.map((run) => (
          <EscalationCard key={run.id} run={run} />
        ))}
      </div>
    </section>
  );
}

function EscalationCard({ run }: { run: Run }) {
  const { busy, approve, giveBack, tickets } = useEscalations();
  const [text, setText] = useState('');
  const pending = run.steps.find((s) => s.state === 'awaiting_approval');
  const ticket = tickets[run.ticketId];
  const known = facts(run);
  // Only a real change is an edit: after a rejection the associate may send Tandem's own suggestion again.
  const changes = pending && pending.inputs !== null ? differences(pending.suggested, pending.inputs) : [];
  const payment = paymentContext((pending?.inputs ?? pending?.suggested ?? null) as Record<string, unknown> | null);
  const json = (value: unknown) => jsonWithMoney(value, payment);
  // Enter does the card's main action: approve a step, or hand the run back once the lead has written a decision.
  const submit = () => {
    if (busy === run.id) return;
    if (pending) void approve(run, pending.stepId, true, text);
    else if (text.trim()) void giveBack(run, text);
  };
  return (
    <article className="panel escalation" data-run-id={run.id} aria-label={ticket?.subject ?? run.ticketId}>
      <h2>
        <a href={`#/tickets/${encodeURIComponent(run.ticketId)}`}>{ticket?.subject ?? run.ticketId}</a>
      </h2>
      <p className="muted small">
        {ticket ? `${ticket.requester.name} <${ticket.requester.email}> · ` : ''}
        {run.mapId.replace(/_/g, ' ')} v{run.mapVersion} · waiting {waited(run.updatedAt, Date.now())}
      </p>
      {known.length > 0 && (
        <dl className="facts">
          {known.map((f) => (
            <div key={f.label}>
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </div>
          ))}
        </dl>
      )}
      {/* The escalation's reason (the associate's question, a failure) on every card, an approval's included. */}
      {run.escalation && <p className="warning escalation-reason">{run.escalation}</p>}
      {pending && (
        <>
          <p>
            <strong>{pending.title}</strong> needs approval{pending.note ? `: ${pending.note}` : ''}
          </p>
          {changes.length > 0 ? (
            <>
              {/* The associate's edit is what the approval covers and what would be sent; Tandem's suggestion beside it. */}
              <p className="small">The associate edited Tandem’s suggestion:</p>
              <ul className="changes small" aria-label="What the associate changed">
                {changes.map((d) => (
                  <li key={d.path.join('.')}>{differenceText(d, payment)}</li>
                ))}
              </ul>
              <p className="small">Approving lets them send exactly this:</p>
              <pre className="preview" aria-label="What would be sent">
                {json(pending.inputs)}
              </pre>
              {pending.suggested !== null && (
                <details>
                  <summary>What Tandem suggested</summary>
                  <pre className="preview">{json(pending.suggested)}</pre>
                </details>
              )}
            </>
          ) : (
            (pending.inputs ?? pending.suggested) !== null && (
              <pre className="preview" aria-label="What would be sent">
                {json(pending.inputs ?? pending.suggested)}
              </pre>
            )
          )}
        </>
      )}
      <form
        className="note"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label>
          {pending ? 'Note (optional)' : 'Your decision, for the associate'}
          <input value={text} onChange={(e) => setText(e.target.value)} maxLength={2000} />
        </label>
      </form>
      <div className="actions">
        {pending ? (
          <>
            <button type="button" className="primary" disabled={busy === run.id} onClick={() => void approve(run, pending.stepId, true, text)}>
              Approve <kbd>Enter</kbd>
            </button>
            <button type="button" disabled={busy === run.id} onClick={() => void approve(run, pending.stepId, false, text)}>
              Reject
            </button>
          </>
        ) : (
          <button type="button" className="primary" disabled={busy === run.id || !text.trim()} onClick={() => void giveBack(run, text)}>
            Return to associate <kbd>Enter</kbd>
          </button>
        )}
      </div>
    </article>
  );
}
