// The Maps screen: every map with its intent, version, step modes and health from the decision log; open one to build.
import { useEffect, useState } from 'react';
import { Empty, ErrorState, Loading } from '../../components/StateView.tsx';
import { useMaps } from './store.ts';

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function MapsView() {
  const { list, loadList } = useMaps();
  const [newId, setNewId] = useState('');
  useEffect(() => {
    void loadList();
  }, [loadList]);
  const validId = /^[a-z][a-z0-9_-]*$/.test(newId);
  return (
    <section aria-label="Maps">
      <header className="view-header">
        <h1>Maps</h1>
        <span className="muted">How each intent is handled, step by step. Health: taken as suggested, from the decision log.</span>
        <form
          className="new-map"
          onSubmit={(e) => {
            e.preventDefault();
            if (validId) window.location.hash = `#/maps/${encodeURIComponent(newId)}`;
          }}
        >
          <input value={newId} onChange={(e) => setNewId(e.target.value.trim())} placeholder="new_map_id" aria-label="New map id" />
          <button type="submit" className="primary" disabled={!validId}>
            New map
          </button>
        </form>
      </header>
      {list.status === 'loading' && <Loading what="the maps" />}
      {list.error && <ErrorState message={list.error.message} hint={list.error.hint} onRetry={() => void loadList()} />}
      {list.status === 'ready' && list.maps.length === 0 && <Empty title="No maps yet">Start one with New map: it begins as an empty file under maps/.</Empty>}
      {list.maps.length > 0 && (
        <table className="ticket-table maps-list">
          <thead>
            <tr>
              <th>Map</th>
              <th>Intent</th>
              <th>Version</th>
              <th>Steps (mode · health)</th>
            </tr>
          </thead>
          <tbody>
            {list.maps.map((m) => (
              <tr key={m.file} data-map-id={m.id} onClick={() => (window.location.hash = `#/maps/${encodeURIComponent(m.id)}`)}>
                <td>
                  <a href={`#/maps/${encodeURIComponent(m.id)}`}>{m.id}</a>
                  <div className="muted small">{m.file}</div>
                </td>
                <td>
                  <strong>{m.title}</strong>
                  {m.description && <div className="muted small">{m.description}</div>}
                  {!m.loads && (
                    <div className="warning small" role="note">
                      Does not load: {m.problems[0] ?? 'see the workspace problems'}
                      {m.problems.length > 1 ? ` (+${m.problems.length - 1} more)` : ''}
                    </div>
                  )}
                </td>
                <td>v{m.version}</td>
                <td>
                  <ul className="step-modes">
                    {m.steps.map((s) => (
                      <li key={s.id} title={s.n ? `${s.n} verdicts; at least ${pct(s.lower ?? 0)} at 95%` : 'no verdicts yet'}>
                        <span className="step-block">{s.block}</span> {s.title} {/* A lookup (an API read) runs at once whatever its mode says, unless it is set to manual: say so, not "suggest". */}
                        {s.block === 'http' && s.sideEffect === false && s.mode !== 'manual' ? <span className="mode mode-lookup" title="It changes nothing, so it runs as soon as the run reaches it.">runs at once</span> : <span className={`mode mode-${s.mode}`}>{s.mode}</span>}{' '}
                        <span className="muted small">{s.n ? `${pct(s.asSuggested ?? 0)} of ${s.n}` : '–'}</span>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
