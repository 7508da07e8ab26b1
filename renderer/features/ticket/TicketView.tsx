// The Ticket screen: the conversation, Tandem's triage with accept / override, and what is known about the customer.
import { TriageExtras } from '../triage/TriageExtras.tsx';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { Decision, IntentInfo, TicketDetail, TicketSummary } from '../../../src/contract/index.ts';
import { IntentChip } from '../../components/IntentChip.tsx';
import { ErrorState, Loading } from '../../components/StateView.tsx';
import { Breakable } from '../../components/Breakable.tsx';
import { paymentContext } from '../run/money.ts';
import { changedSince, factLabel, factValue } from './facts.ts';
import { parseHash, useRoute } from '../../stores/route.ts';
import { useAppStore } from '../app/store.ts';
import { positionLabel, queuePosition } from '../inbox/selectors.ts';
import { useInbox } from '../inbox/store.ts';
import { SETTLE_MS, settling } from './arrival.ts';
import { useTicket } from './store.ts';
import { RunPanel } from '../run/RunPanel.tsx';
import { useRun } from '../run/store.ts';

/** A ticket as the associate tells it apart in the queue, where many share a subject: "Chat with customer — Grace Anderson". */
function ticketName(t: TicketSummary): string {
  return `${t.subject || '(no subject)'} — ${t.requester.name}`;
}

/** The ticket the address points to right now (J and K change it before the next ticket is on screen). */
function addressedTicket(): string | null {
  const route = parseHash(window.location.hash);
  return route.name === 'ticket' ? route.id : null;
}

/** For the panels' verdict keys: whether this press may act on the ticket on screen. */
function allowVerdictKey(e: KeyboardEvent, label: string): boolean {
  return useTicket.getState().allowVerdictKey(e, label, addressedTicket());
}

export function TicketView({ id }: { id: string }) {
  const { status, detail, error, open, shownAt, keyArrival, keyNote, markShown, arriveByKey } = useTicket();
  const go = useRoute((s) => s.go);
  const { tickets, filter, query, status: inboxStatus, load: loadInbox, focus } = useInbox();
  const position = useMemo(() => queuePosition(tickets, filter, query, id), [tickets, filter, query, id]);
  const summary = useMemo(() => tickets.find((t) => t.id === id), [tickets, id]);
  // What J and K did last, said where the associate looks: the ticket they moved to, or that there is none.
  const [moved, setMoved] = useState<{ id: string; text: string } | null>(null);
  const [, tick] = useState(0);

  useEffect(() => {
    void open(id);
  }, [id, open]);

  // Opened from a link or a reload, the inbox has not read the queue yet: J and K need it.
  useEffect(() => {
    if (inboxStatus === 'loading' && tickets.length === 0) void loadInbox();
  }, [inboxStatus, tickets.length, loadInbox]);

  // Back in the inbox (Esc), the row of the ticket the associate was on is the focused one.
  useEffect(() => {
    if (position.index !== null) focus(position.index);
  }, [position.index, focus]);

  // The moment the ticket is drawn, before anything can be pressed on it: a ticket reached by a key counts from here.
  const onScreen = status === 'ready' && detail?.ticket.id === id;
  useLayoutEffect(() => {
    if (onScreen && shownAt === null) markShown(Date.now());
  }, [onScreen, shownAt, markShown]);

  // Draw once more when the settle is over, so the Enter hint says it works again.
  const waiting = settling({ onScreen: onScreen ? id : null, keyArrival, shownAt, now: Date.now() });
  useEffect(() => {
    if (!waiting || shownAt === null) return;
    const timer = setTimeout(() => tick((n) => n + 1), Math.max(0, shownAt + SETTLE_MS - Date.now()) + 10);
    return () => clearTimeout(timer);
  }, [waiting, shownAt]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement) return;
      if (e.key === 'Escape') go({ name: 'inbox' });
      else if (e.key === 'j' || e.key === 'k') {
        const forward = e.key === 'j';
        const next = forward ? position.next : position.prev;
        if (next) {
          arriveByKey(next.id);
          setMoved({ id: next.id, text: `${forward ? 'Next ticket (J)' : 'Previous ticket (K)'}: ${ticketName(next)}` });
          go({ name: 'ticket', id: next.id });
        } else {
          setMoved({ id, text: forward ? 'This is the last ticket in the list: J has nowhere to go. Esc goes back to the inbox.' : 'This is the first ticket in the list: K has nowhere to go.' });
        }
      } else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [id, position, go, arriveByKey]);

  const subject = detail?.ticket.id === id ? detail.ticket.subject : summary?.subject;
  return (
    <section className="ticket" aria-label="Ticket" data-verdict-keys={waiting ? 'settling' : 'ready'}>
      <header className="view-header">
        <button type="button" className="link" onClick={() => go({ name: 'inbox' })}>
          ← Inbox <kbd>Esc</kbd>
        </button>
        {subject !== undefined && <h1>{subject || '(no subject)'}</h1>}
        <nav className="queue-nav" aria-label="Queue">
          <button
            type="button"
            disabled={!position.prev}
            title={position.prev ? `Previous: ${ticketName(position.prev)}` : 'This is the first ticket in the list'}
            onClick={() => position.prev && go({ name: 'ticket', id: position.prev.id })}
          >
            ↑ Previous <kbd>K</kbd>
          </button>
          <span className="muted" data-testid="queue-position">
            {positionLabel(position, filter, query)}
          </span>
          <button
            type="button"
            disabled={!position.next}
            title={position.next ? `Next: ${ticketName(position.next)}` : 'This is the last ticket in the list'}
            onClick={() => position.next && go({ name: 'ticket', id: position.next.id })}
          >
            Next <kbd>J</kbd> ↓
          </button>
        </nav>
      </header>
      <p className="queue-status small" role="status" data-testid="queue-status">
        {moved?.id === id ? moved.text : ''}
        {keyNote && <span className="warning">{keyNote}</span>}
      </p>
      {status === 'loading' && <Loading what="the ticket" />}
      {status === 'error' && error && <ErrorState message={error.message} hint={error.hint} onRetry={() => void open(id)} />}
      {status === 'ready' && detail && (
        <div className="ticket-columns" data-ticket-id={detail.ticket.id}>
          <Conversation detail={detail} />
          <div className="middle">
            <TriagePanel detail={detail} waiting={waiting} />
            <RunSection detail={detail} />
          </div>
          <CustomerContext detail={detail} />
        </div>
      )}
    </section>
  );
}

function RunSection({ detail }: { detail: TicketDetail }) {
  const { run, busy, error, start, watch } = useRun();
  const refresh = useTicket((s) => s.refresh);
  const decided = detail.triage ? detail.decisions.some((d) => d.kind === 'triage' && d.triageId === detail.triage!.id) : false;

  useEffect(() => {
    watch(detail.ticket.id, detail.run);
  }, [detail.ticket.id, detail.run, watch]);

  // A step verdict changes the record shown under each card: read the ticket again when the run moves.
  useEffect(() => {
    if (run && run.ticketId === detail.ticket.id && run.updatedAt !== detail.run?.updatedAt) void refresh();
  }, [run, detail.ticket.id, detail.run?.updatedAt, refresh]);

  if (run && run.ticketId === detail.ticket.id) return <RunPanel run={run} decisions={detail.decisions} allowVerdictKey={allowVerdictKey} />;
  return (
    <section className="panel run" aria-label="Run">
      <h2>Process</h2>
      <p className="muted">{decided ? 'The process for this intent has not started.' : 'Confirm the intent above; its process map starts by itself.'}</p>
      <div className="actions">
        {decided && (
          <button type="button" className="primary" disabled={busy !== null} onClick={() => void start(detail.ticket.id)}>
            Start process
          </button>
        )}
        <button type="button" disabled={busy !== null} onClick={() => void start(detail.ticket.id, true)}>
          Dry run
        </button>
      </div>
      {error && <ErrorState message={error.message} hint={error.hint} />}
    </section>
  );
}

function Conversation({ detail }: { detail: TicketDetail }) {
  const t = detail.ticket;
  return (
    <article className="panel conversation" aria-label="Conversation">
      <div className="message">
        <div className="message-meta">
          <strong>{t.requester.name}</strong> <span className="muted">&lt;{t.requester.email}&gt; · {t.channel} · {new Date(t.createdAt).toLocaleString()}</span>
        </div>
        <pre className="message-body">{t.body}</pre>
      </div>
    </article>
  );
}

function TriagePanel({ detail, waiting }: { detail: TicketDetail; waiting: boolean }) {
  const intents = useAppStore((s) => s.intents);
  const info = useAppStore((s) => s.info);
  const { deciding, decideError, decide } = useTicket();
  const [overriding, setOverriding] = useState(false);
  const [choice, setChoice] = useState('');
  const [reason, setReason] = useState('');
  const select = useRef<HTMLSelectElement>(null);
  const triage = detail.triage;
  const threshold = info.status === 'ready' ? info.value.workspace.escalateBelow : 0.5;
  const decision = triage ? detail.decisions.find((d) => d.triageId === triage.id) : undefined;
  const titles = useMemo(() => new Map(intents.map((i) => [i.intent, i.title])), [intents]);
  const others = intents.filter((i) => i.intent !== triage?.intent);

  useEffect(() => {
    setOverriding(false);
    setChoice('');
    setReason('');
  }, [triage?.id]);

  useEffect(() => {
    if (overriding) select.current?.focus();
  }, [overriding]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!triage || decision || deciding || e.defaultPrevented) return;
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLButtonElement) return;
      if (e.key === 'Enter' && !overriding) {
        if (allowVerdictKey(e, 'Enter')) void decide(triage.id, 'accepted', triage.intent);
      } else if (e.key === 'e' || e.key === 'E') setOverriding(true);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [triage, decision, deciding, overriding, decide]);

  if (!triage) return <section className="panel triage">No triage yet.</section>;
  const low = triage.confidence < threshold;

  return (
    <section className="panel triage" aria-label="Triage">
      <h2>What the customer wants</h2>
      <div className="triage-head">
        <IntentChip intent={triage.intent} confidence={triage.confidence} threshold={threshold} title={titles.get(triage.intent)} />
        <span className="muted">{triage.model}</span>
      </div>
      {low && !decision && (
        <p className="warning" role="note">
          Tandem is unsure (below {Math.round(threshold * 100)}%): check the intent before accepting.
        </p>
      )}
      <p className="rationale">{triage.rationale}</p>
      <TriageExtras triage={triage} />
      {Object.keys(triage.fields).length > 0 && (
        <dl className="fields">
          {Object.entries(triage.fields).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>
                <Breakable text={String(v)} />
              </dd>
            </div>
          ))}
        </dl>
      )}
      {triage.alternatives.length > 1 && (
        <p className="muted small">
          Also possible:{' '}
          {triage.alternatives
            .slice(1, 3)
            .map((a) => `${titles.get(a.intent) ?? a.intent} ${Math.round(a.score * 100)}%`)
            .join(', ')}
        </p>
      )}
      {decision ? (
        <DecisionNote decision={decision} titles={titles} />
      ) : overriding ? (
        <OverrideForm
          others={others}
          choice={choice}
          reason={reason}
          setChoice={setChoice}
          setReason={setReason}
          selectRef={select}
          busy={deciding}
          onCancel={() => setOverriding(false)}
          onSubmit={() => void decide(triage.id, 'overridden', choice, reason)}
        />
      ) : (
        <div className="actions">
          <button
            type="button"
            className="primary"
            disabled={deciding}
            onClick={() => void decide(triage.id, 'accepted', triage.intent)}
            title={waiting ? 'Enter works in a moment: you just moved to this ticket' : undefined}
          >
            Accept <kbd className={waiting ? 'settling' : undefined}>Enter</kbd>
          </button>
          <button type="button" disabled={deciding} onClick={() => setOverriding(true)}>
            Change intent <kbd>E</kbd>
          </button>
        </div>
      )}
      {decideError && <ErrorState message={decideError.message} hint={decideError.hint} />}
    </section>
  );
}

function OverrideForm(props: {
  others: IntentInfo[];
  choice: string;
  reason: string;
  setChoice: (v: string) => void;
  setReason: (v: string) => void;
  selectRef: RefObject<HTMLSelectElement | null>;
  busy: boolean;
  onCancel: () => void;
  onSubmit: () => void;
}) {
  return (
    <form
      className="override"
      onSubmit={(e) => {
        e.preventDefault();
        if (props.choice) props.onSubmit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          props.onCancel();
        }
      }}
    >
      <label>
        The customer actually wants
        <select ref={props.selectRef} value={props.choice} onChange={(e) => props.setChoice(e.target.value)} required>
          <option value="" disabled>
            Choose an intent…
          </option>
          {props.others.map((i) => (
            <option key={i.intent} value={i.intent}>
              {i.title}
            </option>
          ))}
        </select>
      </label>
      <label>
        Why (optional, helps Tandem learn)
        <textarea value={props.reason} onChange={(e) => props.setReason(e.target.value)} rows={2} maxLength={2000} />
      </label>
      <div className="actions">
        <button type="submit" className="primary" disabled={!props.choice || props.busy}>
          Save override
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel <kbd>Esc</kbd>
        </button>
      </div>
    </form>
  );
}

function DecisionNote({ decision, titles }: { decision: Decision; titles: Map<string, string> }) {
  const final = titles.get(decision.final) ?? decision.final;
  return (
    <p className={`decision decision-${decision.verdict}`} role="status">
      {decision.verdict === 'accepted' ? `Accepted as ${final}` : `Changed to ${final}`} by {decision.actor} at {new Date(decision.decidedAt).toLocaleTimeString()}
      {decision.reason ? ` — “${decision.reason}”` : ''}
    </p>
  );
}

/** What the run's lookups brought back from each system, on one screen. */
function GatheredFacts({ detail }: { detail: TicketDetail }) {
  const lookups = (detail.run?.steps ?? []).filter((s) => !s.sideEffect && s.block === 'http' && s.state === 'done' && s.outputs);
  if (lookups.length === 0) return <p className="muted small">Facts from orders, payments and the other systems appear here as soon as the process looks them up.</p>;
  return (
    <>
      {lookups.map((s) => {
        const payment = paymentContext((s.inputs ?? s.suggested) as Record<string, unknown> | null);
        const change = changedSince(s, detail.run?.steps ?? []);
        return (
          <div key={s.stepId} className="facts">
            <h3>{s.title}</h3>
            {/* Facts are read once: after a refund they are the state before it, and the associate must not read them as now. */}
            {s.finishedAt !== null && (
              <p className={`small ${change ? 'stale' : 'muted'}`}>
                As looked up at {new Date(s.finishedAt).toLocaleTimeString()}
                {change ? `, before “${change.title}”: it may have changed since` : ''}
              </p>
            )}
            <dl className="fields">
              {Object.entries(s.outputs as Record<string, unknown>)
                .filter(([k]) => k !== 'status')
                .map(([k, v]) => (
                  <div key={k}>
                    <dt>{factLabel(k)}</dt>
                    <dd>
                      <Breakable text={factValue(k, v, s.outputs as Record<string, unknown>, payment)} />
                    </dd>
                  </div>
                ))}
            </dl>
          </div>
        );
      })}
    </>
  );
}

function CustomerContext({ detail }: { detail: TicketDetail }) {
  const t = detail.ticket;
  return (
    <aside className="panel context" aria-label="Customer">
      <h2>Customer</h2>
      <dl className="fields">
        <div>
          <dt>Name</dt>
          <dd>{t.requester.name}</dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd>
            <Breakable text={t.requester.email} />
          </dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd>
            {t.source} · {t.externalId}
          </dd>
        </div>
      </dl>
      <GatheredFacts detail={detail} />
    </aside>
  );
}
