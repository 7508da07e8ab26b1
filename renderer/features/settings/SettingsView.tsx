// Settings: who you are, where secrets live, the workspace, and each connection's credentials (set / test / delete).
import { useEffect, useState } from 'react';
import type { Connection } from '../../../src/contract/index.ts';
import { ErrorState, Loading } from '../../components/StateView.tsx';
import { call, ApiError } from '../../api.ts';
import { useAppStore } from '../app/store.ts';
import { useSettings } from './store.ts';
import { LlmPanel } from './LlmPanel.tsx';

/** The name the record gives this associate's decisions: shown, and changed in place (Enter saves, Escape cancels). */
function AssociateName({ name }: { name: string }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(name);
  const [problem, setProblem] = useState<{ message: string; hint?: string | undefined } | null>(null);
  const [saving, setSaving] = useState(false);
  const save = async () => {
    setSaving(true);
    try {
      const info = await call('app.setUser', { name: text });
      useAppStore.setState({ info: { status: 'ready', value: info } });
      setEditing(false);
      setProblem(null);
    } catch (err) {
      setProblem({ message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined });
    } finally {
      setSaving(false);
    }
  };
  if (!editing)
    return (
      <>
        {name}{' '}
        <button type="button" className="link" onClick={() => (setText(name), setEditing(true))}>
          Change
        </button>
        <span className="muted small"> — the name your decisions are recorded under</span>
      </>
    );
  return (
    <form
      className="inline-edit"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setEditing(false);
      }}
    >
      <label>
        Your name in the record
        <input autoFocus value={text} maxLength={80} onChange={(e) => (setText(e.target.value), setProblem(null))} />
      </label>
      <button type="submit" className="primary" disabled={saving}>
        Save
      </button>
      <button type="button" onClick={() => setEditing(false)}>
        Cancel
      </button>
      <p className="muted small">Decisions from now on carry this name; earlier ones keep theirs.</p>
      {problem && <ErrorState message={problem.message} hint={problem.hint} />}
    </form>
  );
}

export function SettingsView() {
  const info = useAppStore((s) => s.info);
  const { status, error, connections, load } = useSettings();
  useEffect(() => {
    void load();
  }, [load]);
  if (info.status !== 'ready') return null;
  const i = info.value;
  return (
    <section aria-label="Settings" className="settings">
      <header className="view-header">
        <h1>Settings</h1>
      </header>
      <div className="panel">
        <h2>You and this workspace</h2>
        <dl className="fields">
          <div>
            <dt>Associate</dt>
            <dd>
              <AssociateName name={i.user} />
            </dd>
          </div>
          <div>
            <dt>Workspace</dt>
            <dd>
              {i.workspace.name} <span className="muted">{i.workspace.path}</span>
            </dd>
          </div>
          <div>
            <dt>Data</dt>
            <dd>{i.dataDir}</dd>
          </div>
          <div>
            <dt>Credentials</dt>
            <dd>{i.keychain.type === 'persisted' ? 'In the OS keychain' : `In memory for this session only — ${i.keychain.notice ?? ''}`}</dd>
          </div>
        </dl>
      </div>
      <LlmPanel />
      <h2 className="section-title">Connections</h2>
      {status === 'loading' && <Loading what="connections" />}
      {error && <ErrorState message={error.message} hint={error.hint} {...(status === 'error' ? { onRetry: () => void load() } : {})} />}
      <div className="connections">
        {connections.map((c) => (
          <ConnectionCard key={c.id} connection={c} />
        ))}
      </div>
    </section>
  );
}

function ConnectionCard({ connection: c }: { connection: Connection }) {
  const { busy, setSecret, deleteSecret, test } = useSettings();
  const [values, setValues] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState<string | null>(null); // the secret whose Delete waits for a yes
  const [saved, setSaved] = useState<string | null>(null); // the secret just saved, said once beside it
  const working = busy === c.id;
  return (
    <article className="panel connection" aria-label={`Connection ${c.title}`} data-connector={c.id}>
      <h3>
        {c.title} <span className="muted small">{c.type === 'http' ? 'API' : 'web (browser)'}</span>
      </h3>
      <p className="muted small">{c.address}</p>
      {c.secrets.length === 0 && <p className="muted small">Needs no credentials.</p>}
      {c.secrets.map((s) => (
        <form
          key={s.name}
          className="secret"
          onSubmit={(e) => {
            e.preventDefault();
            const value = values[s.name] ?? '';
            if (!value) return;
            void setSecret(c.id, s.name, value).then((ok) => {
              if (!ok) return;
              setValues({ ...values, [s.name]: '' });
              setSaved(s.name);
            });
          }}
        >
          <label>
            {s.name} <span className={s.set ? 'set' : 'unset'}>{s.set ? 'set' : 'not set'}</span>
            <input
              type="password"
              autoComplete="off"
              placeholder={s.set ? 'Replace with a new value' : 'Enter the value'}
              value={values[s.name] ?? ''}
              onChange={(e) => {
                setValues({ ...values, [s.name]: e.target.value });
                setSaved(null);
              }}
            />
          </label>
          <button type="submit" disabled={working || !(values[s.name] ?? '')}>
            Save
          </button>
          {s.set && confirming !== s.name && (
            <button type="button" disabled={working} onClick={() => setConfirming(s.name)}>
              Delete…
            </button>
          )}
          {s.set && confirming === s.name && (
            <span className="confirm" role="group" aria-label={`Delete ${s.name}?`}>
              <span className="small">Delete {s.name} from the keychain? Steps that need it will stop until it is set again.</span>
              <button
                type="button"
                className="danger"
                disabled={working}
                onClick={() => {
                  setConfirming(null);
                  setSaved(null);
                  void deleteSecret(c.id, s.name);
                }}
              >
                Delete
              </button>
              <button type="button" autoFocus onClick={() => setConfirming(null)}>
                Keep
              </button>
            </span>
          )}
          {saved === s.name && (
            <span className="test-ok small" role="status">
              Saved in the keychain
            </span>
          )}
        </form>
      ))}
      <div className="actions">
        <button
          type="button"
          disabled={working}
          onClick={() => {
            setSaved(null);
            void test(c.id);
          }}
        >
          {working ? 'Testing…' : 'Test connection'}
        </button>
        {c.lastTest && (
          <span className={c.lastTest.ok ? 'test-ok' : 'test-failed'} role="status">
            {c.lastTest.ok ? `✓ ${c.lastTest.message}` : `✗ ${c.lastTest.message}${c.lastTest.error?.hint ? ` ${c.lastTest.error.hint}` : ''}`} <span className="muted small">({c.lastTest.ms} ms)</span>
          </span>
        )}
      </div>
    </article>
  );
}
