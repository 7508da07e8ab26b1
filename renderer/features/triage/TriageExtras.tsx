// What a model's reading adds on the Ticket screen: why it must go to a person, where each field came from, what Tandem
// noticed, a lead's earlier resolution of a near-identical ticket, and the tokens and cost it took.
import type { Triage } from '../../../src/contract/index.ts';
import { usageLine } from './selectors.ts';

export function TriageExtras({ triage }: { triage: Triage }) {
  const sources = Object.entries(triage.sources ?? {});
  return (
    <div className="triage-extras">
      {triage.escalation && (
        <p className="warning" role="note" data-testid="triage-escalation">
          Goes to a person: {triage.escalation}
        </p>
      )}
      {triage.intents && triage.intents.length > 1 && <p className="small">Also asks: {triage.intents.slice(1).join(', ')}</p>}
      {sources.length > 0 && (
        <ul className="sources small" aria-label="Where the fields came from">
          {sources.map(([field, source]) => (
            <li key={field}>
              <strong>{field}</strong> from <q>{source}</q>
            </li>
          ))}
        </ul>
      )}
      {(triage.language || triage.urgency || triage.sentiment) && (
        <p className="muted small">
          {[triage.language && `language ${triage.language}`, triage.urgency && `urgency ${triage.urgency}`, triage.sentiment && `sentiment ${triage.sentiment}`].filter(Boolean).join(' · ')}
        </p>
      )}
      {(triage.notices ?? []).length > 0 && (
        <ul className="notices small" aria-label="What Tandem noticed">
          {triage.notices!.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {triage.precedent && (
        <aside className="precedent panel" aria-label="Resolved before" data-testid="precedent">
          <strong>A lead resolved a near-identical ticket</strong> ({Math.round(triage.precedent.similarity * 100)}% alike):{' '}
          <a href={`#/tickets/${encodeURIComponent(triage.precedent.ticketId)}`}>{triage.precedent.subject}</a>
          <p>
            “{triage.precedent.resolution}” — {triage.precedent.actor}, {new Date(triage.precedent.decidedAt).toLocaleString()}
          </p>
        </aside>
      )}
      {triage.usage && <p className="muted small">{usageLine(triage.usage)}</p>}
    </div>
  );
}
