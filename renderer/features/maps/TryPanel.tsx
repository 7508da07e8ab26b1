// Try it: the draft on one ticket, each step's resolved inputs beside the call it would make; and on history, where the
// draft's suggestions differ from what associates did on the last tickets of its intent. Nothing is sent or stored.
import { useState } from 'react';
import { useMaps } from './store.ts';

const VERDICT_WORDS: Record<string, string> = { accepted: 'accepted it', edited: 'edited it', skipped: 'skipped it', manual: 'did it by hand', rejected: 'rejected it', escalated: 'escalated it', auto: 'let it run automatically' };
/** Verdicts after which Tandem sent nothing: there are no values to compare. */
const NOTHING_SENT = new Set(['skipped', 'manual', 'rejected', 'escalated']);

const STATE_WORDS: Record<string, string> = {
  would_run: 'would run',
  looked_up: 'looked up',
  skipped: 'skipped',
  would_wait: 'would wait',
  would_escalate: 'would escalate',
  would_finish: 'would finish',
  failed: 'failed',
  not_reached: 'not reached',
};

export function TryPanel() {
  const { tickets, ticketId, chooseTicket, tryIt, tryResult, tryHistory, history, busy, check } = useMaps();
  const [limit, setLimit] = useState(20);
  const ready = check !== null && check.issues.length === 0;
  return (
    <aside className="try panel" aria-label="Try it">
      <h2>Try it</h2>
      <label className="field">
        <span className="field-label">On ticket</span>
        <select value={ticketId ?? ''} onChange={(e) => chooseTicket(e.target.value)} aria-label="Ticket to try on">
          {tickets.map((t) => (
            <option key={t.id} value={t.id}>
              {t.id} · {t.subject}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="primary" disabled={!ready || !ticketId || busy === 'try'} onClick={() => void tryIt()} title={ready ? '' : 'Fix the problems first'}>
        {busy === 'try' ? 'Trying…' : 'Try it (dry run)'}
      </button>
      {tryResult && (
        <div className="try-result" aria-label="Dry run">
          <p className="small">
            {tryResult.ticket.requester.name} · fields: <code>{JSON.stringify(tryResult.fields)}</code>
          </p>
          {tryResult.escalation && <p className="warning small">{tryResult.escalation}</p>}
          <ol className="try-steps">
            {tryResult.steps.map((s) => (
              <li key={s.stepId} data-try-step={s.stepId} className="try-step">
                <div className="try-step-head">
                  <strong>{s.title}</strong> <span className={`try-state try-${s.state} small`}>{STATE_WORDS[s.state] ?? s.state}</span>
                  {s.note && <span className="muted small"> · {s.note}</span>}
                  {s.error && <div className="check-bad small">{s.error.message}</div>}
                </div>
                <div className="try-cols">
                  <div>
                    <div className="field-label">Resolved inputs</div>
                    {s.inputs ? <pre>{JSON.stringify(s.inputs, null, 1)}</pre> : <span className="muted">–</span>}
                  </div>
                  <div>
                    <div className="field-label">Simulated call</div>
                    {s.call.length ? (
                      <ul className="calls">
                        {s.call.map((c, i) => (
                          <li key={i}>{c}</li>
                        ))}
                      </ul>
                    ) : (
                      <span className="muted">–</span>
                    )}
                    {Object.keys(s.outputs).length > 0 && <pre>→ {JSON.stringify(s.outputs, null, 1)}</pre>}
                  </div>
                </div>
              </li>
            ))}
          </ol>
        </div>
      )}
      <h2>Try it on history</h2>
      <div className="history-controls">
        <label className="field">
          <span className="field-label">Last decided tickets</span>
          <input type="number" min={1} max={200} value={limit} onChange={(e) => setLimit(Math.max(1, Math.min(200, Number(e.target.value) || 1)))} />
        </label>
        <button type="button" disabled={!ready || busy === 'history'} onClick={() => void tryHistory(limit)}>
          {busy === 'history' ? 'Replaying…' : 'Replay'}
        </button>
      </div>
      {history && (
        <div aria-label="History replay">
          <p className="small">
            {history.summary.tickets} ticket{history.summary.tickets === 1 ? '' : 's'} · {history.summary.same} step{history.summary.same === 1 ? '' : 's'} as the associate did ·{' '}
            <strong>{history.summary.differ} different</strong> · {history.summary.newSteps} new (no verdict to compare)
          </p>
          {history.summary.tickets === 0 && <p className="muted small">No ticket has been decided for this intent yet: the decision log is the test set.</p>}
          <ul className="history">
            {history.tickets.map((t) => (
              <li key={t.ticketId}>
                <a href={`#/tickets/${encodeURIComponent(t.ticketId)}`}>{t.ticketId}</a> {t.subject}
                <ul>
                  {t.steps
                    .filter((s) => s.verdict === 'differs')
                    .map((s) => (
                      <li key={s.stepId} className="differs small">
                        <strong>{s.title}</strong>: {s.associate?.actor} {VERDICT_WORDS[s.associate?.verdict ?? ''] ?? s.associate?.verdict}
                        {s.associate?.reason ? ` (“${s.associate.reason}”)` : ''}
                        {!NOTHING_SENT.has(s.associate?.verdict ?? '') && (
                          <table className="replay-diff">
                            <thead>
                              <tr>
                                <th>value</th>
                                <th>the draft suggests</th>
                                <th>the associate sent</th>
                              </tr>
                            </thead>
                            <tbody>
                              {s.differences.map((d) => (
                                <tr key={d.path}>
                                  <td>
                                    <code>{d.path}</code>
                                  </td>
                                  <td>{d.draft}</td>
                                  <td>{d.associate}</td>
                                </tr>
                              ))}
                            </tbody>
                          </table>
                        )}
                      </li>
                    ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      )}
    </aside>
  );
}
