// The window's frame: the workspace bar, problems with the workspace, and the current screen.
import { useEffect, useState } from 'react';
import type { Problem } from '../src/contract/index.ts';
import { HostBanner } from './components/HostBanner.tsx';
import { ErrorState, Loading } from './components/StateView.tsx';
import { useAppStore } from './features/app/store.ts';
import { InboxView } from './features/inbox/InboxView.tsx';
import { TicketView } from './features/ticket/TicketView.tsx';
import { useRoute } from './stores/route.ts';
import { EscalationsView } from './features/escalations/EscalationsView.tsx';
import { SettingsView } from './features/settings/SettingsView.tsx';
import { InsightsView } from './features/insights/InsightsView.tsx';
import { CodePrompts } from './features/codes/CodePrompts.tsx';
import { MapsView } from './features/maps/MapsView.tsx';
import { BuilderView } from './features/maps/BuilderView.tsx';

export function App() {
  const { info, problems, load } = useAppStore();
  const route = useRoute((s) => s.route);

  useEffect(() => {
    void load();
  }, [load]);

  if (info.status === 'loading') return <Loading what="Tandem" />;
  if (info.status === 'error')
    return (
      <>
        <HostBanner />
        <ErrorState message={info.message} hint={info.hint} onRetry={() => void load()} />
      </>
    );

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Tandem</span>
        <span className="workspace" title={info.value.workspace.path}>
          {info.value.workspace.name}
        </span>
        <nav className="tabs" aria-label="Screens">
          <a href="#/" className={route.name === 'inbox' || route.name === 'ticket' ? 'active' : ''}>
            Inbox
          </a>
          <a href="#/escalations" className={route.name === 'escalations' ? 'active' : ''}>
            Escalations
          </a>
          <a href="#/insights" className={route.name === 'insights' ? 'active' : ''}>
            Insights
          </a>
          <a href="#/maps" className={route.name === 'maps' || route.name === 'map' ? 'active' : ''}>
            Maps
          </a>
          <a href="#/settings" className={route.name === 'settings' ? 'active' : ''}>
            Settings
          </a>
        </nav>
        <span className="spacer" />
        <span className="user" title={`Data: ${info.value.dataDir}`}>
          {info.value.user}
        </span>
      </header>
      <HostBanner />
      {info.value.keychain.notice && <KeychainNotice notice={info.value.keychain.notice} />}
      {problems.length > 0 && <ProblemsBanner problems={problems.map(describeProblem)} />}
      <CodePrompts embedded={info.value.host === 'electron'} />
      <main>{route.name === 'ticket' ? <TicketView id={route.id} /> : route.name === 'escalations' ? <EscalationsView /> : route.name === 'settings' ? <SettingsView /> : route.name === 'insights' ? <InsightsView /> : route.name === 'maps' ? <MapsView /> : route.name === 'map' ? <BuilderView mapId={route.id} stepId={route.step} /> : <InboxView />}</main>
    </div>
  );
}

/** Said once per session: where credentials live when the OS keychain is not usable, and what to start or unlock. */
function KeychainNotice({ notice }: { notice: string }) {
  const [dismissed, setDismissed] = useState(() => sessionStorage.getItem('tandem.keychain-notice') === notice);
  if (dismissed) return null;
  return (
    <div className="problems" role="status">
      {notice}{' '}
      <button
        type="button"
        className="link"
        onClick={() => {
          sessionStorage.setItem('tandem.keychain-notice', notice);
          setDismissed(true);
        }}
      >
        Got it
      </button>
    </div>
  );
}

function describeProblem(p: Problem): string {
  return `${p.file}${p.line === null ? '' : `:${p.line}`} ${p.path ? `${p.path}: ` : ''}${p.message}${p.hint ? ` (${p.hint})` : ''}`;
}

function ProblemsBanner({ problems }: { problems: string[] }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="problems" role="alert">
      <button type="button" className="link" onClick={() => setOpen(!open)} aria-expanded={open}>
        {problems.length} problem{problems.length === 1 ? '' : 's'} in the workspace: the rest works; fix the files to use them.
      </button>
      {open && (
        <ul>
          {problems.map((p) => (
            <li key={p}>
              <code>{p}</code>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
