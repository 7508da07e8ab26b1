// The Inbox: the queue with Tandem's reading of each ticket; J/K to move, Enter to open, / to search.
import { useEffect, useMemo, useRef } from 'react';
import { TriageProgressBar } from '../triage/TriageProgressBar.tsx';
import { IntentChip } from '../../components/IntentChip.tsx';
import { Empty, ErrorState, Loading } from '../../components/StateView.tsx';
import { useRoute } from '../../stores/route.ts';
import { useAppStore } from '../app/store.ts';
import { age, countsByState, readyCount, visibleTickets, type InboxFilter } from './selectors.ts';
import { useInbox } from './store.ts';
import { useTicket } from '../ticket/store.ts';

const FILTERS: { id: InboxFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'new', label: 'New' },
  { id: 'triaged', label: 'Triaged' },
  { id: 'in_progress', label: 'In progress' },
  { id: 'escalated', label: 'Escalated' },
  { id: 'done', label: 'Done' },
];

const STATE_LABEL: Record<string, string> = { new: 'New', triaged: 'Triaged', in_progress: 'In progress', escalated: 'Escalated', done: 'Done' };

export function InboxView() {
  const { status, error, tickets, filter, query, focused, load, refresh, refreshing, sourceErrors, setFilter, setQuery, focus } = useInbox();
  const intents = useAppStore((s) => s.intents);
  const info = useAppStore((s) => s.info);
  const go = useRoute((s) => s.go);
  const search = useRef<HTMLInputElement>(null);
  const body = useRef<HTMLTableSectionElement>(null);
  const arriveByKey = useTicket((s) => s.arriveByKey);
  const threshold = info.status === 'ready' ? info.value.workspace.escalateBelow : 0.5;
  const titles = useMemo(() => new Map(intents.map((i) => [i.intent, i.title])), [intents]);
  const visible = useMemo(() => visibleTickets(tickets, filter, query), [tickets, filter, query]);
  // The chips count what the search finds, so a chip never promises tickets the list will not show.
  const counts = useMemo(() => countsByState(query.trim() ? visibleTickets(tickets, 'all', query) : tickets), [tickets, query]);
  const now = Date.now();

  useEffect(() => {
    void load();
  }, [load]);

  // J and K keep the focused row in sight, however long the queue (the mouse scrolls for itself).
  const keyMoved = useRef(true);
  useEffect(() => {
    const row = keyMoved.current ? body.current?.querySelector('tr[aria-selected="true"]') : null;
    if (!row) return;
    keyMoved.current = false;
    row.scrollIntoView({ block: 'nearest' });
  }, [focused, status]);

  useEffect(() => {
    /** Opens a ticket from the keyboard: its verdict keys wait until the associate has seen it (see ticket/arrival.ts). */
    const openByKey = (id: string) => {
      arriveByKey(id);
      go({ name: 'ticket', id });
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) {
        if (e.key === 'Escape') (e.target as HTMLElement).blur();
        return;
      }
      if (e.key === 'j' || e.key === 'k') {
        keyMoved.current = true;
        focus(e.key === 'j' ? Math.min(focused + 1, visible.length - 1) : focused - 1);
      } else if (e.key === '/') {
        e.preventDefault();
        search.current?.focus();
        search.current?.select(); // typing replaces the last search instead of appending to it
      } else if (e.key === 'Enter' && visible[focused]) openByKey(visible[focused].id);
      else if (e.key === 'r') void refresh();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [focused, visible, focus, go, refresh, arriveByKey]);

  return (
    <section className="inbox" aria-label="Inbox">
      <header className="view-header">
        <h1>Inbox</h1>
        <span className="muted" data-testid="ready-count">
          {readyCount(tickets, threshold)} ready to go
        </span>
        <button type="button" onClick={() => void refresh()} disabled={refreshing} title="Read the helpdesk again (R)">
          {refreshing ? 'Refreshing…' : 'Refresh'} <kbd>R</kbd>
        </button>
        <input ref={search} className="search" type="search" placeholder="Search subject or requester  ( / )" aria-label="Search tickets" value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            // Enter: one match opens; several go to the list, on the first, for J/K and Enter.
            if (e.key !== 'Enter' || visible.length === 0) return;
            e.preventDefault();
            if (visible.length === 1) {
              arriveByKey(visible[0]!.id);
              go({ name: 'ticket', id: visible[0]!.id });
            }
            else {
              e.currentTarget.blur();
              focus(0);
            }
          }}
        />
      </header>
      <TriageProgressBar />
      <nav className="filters" aria-label="Filter by state">
        {FILTERS.map((f) => (
          <button key={f.id} type="button" className={filter === f.id ? 'active' : ''} aria-pressed={filter === f.id} onClick={() => setFilter(f.id)}>
            {f.label} <span className="count">{counts[f.id]}</span>
          </button>
        ))}
      </nav>
      {sourceErrors.map((e) => (
        <p key={e.source} className="warning" role="alert">
          Could not read {e.source}: {e.message} {e.hint}
        </p>
      ))}
      {status === 'loading' && <Loading what="the queue" />}
      {status === 'error' && error && <ErrorState message={error.message} hint={error.hint} onRetry={() => void load()} />}
      {status === 'ready' && visible.length === 0 && (
        <Empty title={tickets.length === 0 ? 'The queue is empty' : 'No ticket matches'}>
          {tickets.length === 0 ? 'Tickets from the workspace’s sources appear here as they arrive.' : 'Clear the search or pick another filter.'}
        </Empty>
      )}
      {status === 'ready' && visible.length > 0 && (
        <table className="ticket-table">
          <thead>
            <tr>
              <th>Subject</th>
              <th>Requester</th>
              <th>Age</th>
              <th>Intent</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody ref={body}>
            {visible.map((t, i) => (
              <tr
                key={t.id}
                className={i === focused ? 'focused' : ''}
                aria-selected={i === focused}
                data-ticket-id={t.id}
                onClick={() => go({ name: 'ticket', id: t.id })}
                onMouseEnter={() => focus(i)}
              >
                <td className="subject">
                  <a href={`#/tickets/${encodeURIComponent(t.id)}`} onClick={(e) => e.stopPropagation()}>
                    {t.subject || '(no subject)'}
                  </a>
                </td>
                <td>
                  {t.requester.name} <span className="muted">{t.requester.email}</span>
                </td>
                <td className="muted">{age(t.createdAt, now)}</td>
                <td>
                  <IntentChip
                    intent={t.intent}
                    confidence={t.confidence}
                    threshold={threshold}
                    title={t.intent ? titles.get(t.intent) : undefined}
                    verdict={t.verdict}
                    suggestedTitle={t.suggested ? (titles.get(t.suggested) ?? t.suggested) : undefined}
                  />
                  {/* A reading that must go to a person whatever its confidence (instructions to the machine, invalid output):
                      said in the row, not only by leaving it out of "ready to go". */}
                  {t.escalation && !t.verdict && (
                    <span className="flag-person" title={t.escalation}>
                      ⚑ a person checks it
                    </span>
                  )}
                </td>
                <td>
                  <span className={`state-badge state-${t.state}`}>{STATE_LABEL[t.state]}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
