// Settings → Triage: which OpenAI-compatible model reads the tickets the local model is unsure of, and its key.
import { useEffect, useState } from 'react';
import type { LlmSettingsInput, TriageStatus } from '../../../src/contract/index.ts';
import { ErrorState, Loading } from '../../components/StateView.tsx';
import { useLlmSettings } from './llm-store.ts';

type Form = Record<'base_url' | 'model' | 'organization' | 'timeout_ms' | 'max_concurrency' | 'cascade_above' | 'few_shot' | 'price_per_1k_input' | 'price_per_1k_output', string> & { redact_pii: boolean };

function toForm(s: TriageStatus['llm']): Form {
  return {
    base_url: s?.base_url ?? '',
    model: s?.model ?? '',
    organization: s?.organization ?? '',
    timeout_ms: String(s?.timeout_ms ?? 30000),
    max_concurrency: String(s?.max_concurrency ?? 4),
    cascade_above: String(s?.cascade_above ?? 0.85),
    few_shot: String(s?.few_shot ?? 4),
    price_per_1k_input: String(s?.price_per_1k_input ?? 0),
    price_per_1k_output: String(s?.price_per_1k_output ?? 0),
    redact_pii: s?.redact_pii ?? true,
  };
}

function fromForm(f: Form, previous: TriageStatus['llm']): LlmSettingsInput {
  return {
    ...(previous ?? {}),
    base_url: f.base_url.trim(),
    model: f.model.trim(),
    ...(f.organization.trim() ? { organization: f.organization.trim() } : { organization: undefined }),
    timeout_ms: Number(f.timeout_ms),
    max_concurrency: Number(f.max_concurrency),
    cascade_above: Number(f.cascade_above),
    few_shot: Number(f.few_shot),
    price_per_1k_input: Number(f.price_per_1k_input),
    price_per_1k_output: Number(f.price_per_1k_output),
    redact_pii: f.redact_pii,
  };
}

const NUMBERS: { key: keyof Form; label: string; step: string }[] = [
  { key: 'timeout_ms', label: 'Timeout (ms)', step: '1000' },
  { key: 'max_concurrency', label: 'Requests at once', step: '1' },
  { key: 'cascade_above', label: 'Skip the model when the local model is at least (0–1)', step: '0.05' },
  { key: 'few_shot', label: 'Decided tickets shown as examples', step: '1' },
  { key: 'price_per_1k_input', label: 'Price per 1k input tokens', step: '0.0001' },
  { key: 'price_per_1k_output', label: 'Price per 1k output tokens', step: '0.0001' },
];

export function LlmPanel() {
  const { status, value, error, busy, load, save, setKey, deleteKey } = useLlmSettings();
  const [form, setForm] = useState<Form>(toForm(null));
  const [key, setKeyValue] = useState('');
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (value) setForm(toForm(value.llm));
  }, [value]);
  if (status === 'loading') return <Loading what="triage settings" />;
  const v = value;
  return (
    <section className="panel llm-settings" aria-label="Triage model">
      <h2>Triage model</h2>
      <p className="muted small">
        The local model reads every ticket. An OpenAI-compatible model (OpenAI, Azure OpenAI, Ollama, vLLM, LM Studio) reads the ones it is unsure of. Now in use:{' '}
        <strong data-testid="triage-model">{v?.model ?? '…'}</strong>
      </p>
      {v?.overridden && <p className="warning small">This host was started with TANDEM_LLM_BASE_URL: the settings below are saved, but the override is in force until it is unset.</p>}
      {v?.inactiveReason && (
        <p className="warning small" role="status">
          {v.inactiveReason}
        </p>
      )}
      {v?.queue.notice && (
        <p className="warning small" role="status">
          {v.queue.notice}
        </p>
      )}
      {error && <ErrorState message={error.message} hint={error.hint} {...(status === 'error' ? { onRetry: () => void load() } : {})} />}
      <form
        className="llm-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save(fromForm(form, v?.llm ?? null));
        }}
      >
        <label>
          Base URL
          <input type="url" placeholder="https://api.openai.com/v1" value={form.base_url} onChange={(e) => setForm({ ...form, base_url: e.target.value })} required />
        </label>
        <label>
          Model
          <input placeholder="gpt-4o-mini" value={form.model} onChange={(e) => setForm({ ...form, model: e.target.value })} required />
        </label>
        <label>
          Organisation <span className="muted small">(optional)</span>
          <input value={form.organization} onChange={(e) => setForm({ ...form, organization: e.target.value })} />
        </label>
        {NUMBERS.map((n) => (
          <label key={n.key}>
            {n.label}
            <input type="number" step={n.step} min="0" value={form[n.key] as string} onChange={(e) => setForm({ ...form, [n.key]: e.target.value })} />
          </label>
        ))}
        <label className="checkbox">
          <input type="checkbox" checked={form.redact_pii} onChange={(e) => setForm({ ...form, redact_pii: e.target.checked })} /> Replace names, emails, phone and card numbers and addresses before text leaves this machine
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            Save model settings
          </button>
          {v?.llm && (
            <button type="button" disabled={busy} onClick={() => void save(null)}>
              Use the local model only
            </button>
          )}
        </div>
      </form>
      {v?.llm && (
        <form
          className="secret"
          onSubmit={(e) => {
            e.preventDefault();
            if (key) void setKey(key).then((ok) => ok && setKeyValue(''));
          }}
        >
          <label>
            API key{' '}
            <span className={v.keySet || !v.keyRequired ? 'set' : 'unset'}>{v.keySet ? 'set' : v.keyRequired ? 'not set' : 'not needed for a server on this machine'}</span>
            <input type="password" autoComplete="off" placeholder={v.keySet ? 'Replace with a new key' : 'Paste the key (kept in the keychain)'} value={key} onChange={(e) => setKeyValue(e.target.value)} />
          </label>
          <button type="submit" disabled={busy || !key}>
            Save key
          </button>
          {v.keySet && (
            <button type="button" disabled={busy} onClick={() => void deleteKey()}>
              Delete key
            </button>
          )}
        </form>
      )}
    </section>
  );
}
