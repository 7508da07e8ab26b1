// The Export dialog: period, associate, map, step, verdict, format, redaction. In a browser the headless host streams
// the file as a download; the desktop app asks where to save (a native dialog) and the core writes the file there.
import { useEffect, useRef, useState } from 'react';
import type { CommandInput } from '../../../src/contract/index.ts';
import { call, ApiError } from '../../api.ts';
import { EMPTY_EXPORT, exportCommand, exportProblem, exportSaveInput, exportUrl, type ExportForm } from './export-query.ts';

const VERDICTS = ['accepted', 'overridden', 'edited', 'skipped', 'manual', 'escalated', 'auto', 'approved', 'rejected', 'returned', 'promoted', 'demoted', 'reverted'];

export function ExportDialog({ steps, onClose }: { steps: { mapId: string; stepId: string }[]; onClose: () => void }) {
  const [form, setForm] = useState<ExportForm>(EMPTY_EXPORT);
  const [started, setStarted] = useState(false);
  const [saving, setSaving] = useState<{ state: 'idle' | 'saving' | 'saved' | 'cancelled' | 'failed'; text?: string; hint?: string | undefined }>({ state: 'idle' });
  const save = async () => {
    setSaving({ state: 'saving' });
    try {
      const r = await call('export.save', exportSaveInput(form) as CommandInput<'export.save'>);
      setSaving(r.saved ? { state: 'saved', text: `Saved ${r.rows} decisions to ${r.path}` } : { state: 'cancelled' });
    } catch (err) {
      setSaving({ state: 'failed', text: err instanceof ApiError ? err.message : String(err), hint: err instanceof ApiError ? err.hint : undefined });
    }
  };
  const first = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    first.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  const set = <K extends keyof ExportForm>(k: K, v: ExportForm[K]) => {
    setStarted(false);
    setSaving({ state: 'idle' });
    setForm((f) => ({ ...f, [k]: v, ...(k === 'map' ? { step: '' } : {}) }));
  };
  const problem = exportProblem(form);
  const maps = [...new Set(steps.map((s) => s.mapId))];
  const desktop = typeof window !== 'undefined' && window.tandem !== undefined;
  return (
    <div className="dialog-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div className="panel dialog" role="dialog" aria-modal="true" aria-labelledby="export-title">
        <h2 id="export-title">Export the decisioning record</h2>
        <div className="dialog-grid">
          <label>
            Format
            <select ref={first} value={form.format} onChange={(e) => set('format', e.target.value as ExportForm['format'])}>
              <option value="csv">CSV (opens in a spreadsheet)</option>
              <option value="jsonl">JSONL (one decision per line)</option>
            </select>
          </label>
          <label>
            From
            <input type="date" value={form.since} onChange={(e) => set('since', e.target.value)} />
          </label>
          <label>
            To (included)
            <input type="date" value={form.until} onChange={(e) => set('until', e.target.value)} />
          </label>
          <label>
            Associate
            <input value={form.associate} onChange={(e) => set('associate', e.target.value)} placeholder="everyone" />
          </label>
          <label>
            Map
            <select value={form.map} onChange={(e) => set('map', e.target.value)}>
              <option value="">all maps</option>
              {maps.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
          <label>
            Step
            <select value={form.step} onChange={(e) => set('step', e.target.value)} disabled={!form.map}>
              <option value="">all steps</option>
              {steps
                .filter((s) => s.mapId === form.map)
                .map((s) => (
                  <option key={s.stepId}>{s.stepId}</option>
                ))}
            </select>
          </label>
          <label>
            Verdict
            <select value={form.verdict} onChange={(e) => set('verdict', e.target.value)}>
              <option value="">any verdict</option>
              {VERDICTS.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </select>
          </label>
          <label className="check">
            <input type="checkbox" checked={form.redact} onChange={(e) => set('redact', e.target.checked)} /> Redact customer data (names, emails, phone and card
            numbers)
          </label>
        </div>
        {form.redact && <p className="muted small">A redacted export cannot be imported by a lead (its rows no longer match their hashes).</p>}
        {problem && (
          <p className="warning" role="alert">
            {problem}
          </p>
        )}
        {desktop ? (
          <>
            {saving.state === 'saved' && (
              <p className="small" role="status">
                {saving.text}
              </p>
            )}
            {saving.state === 'failed' && (
              <p className="warning" role="alert">
                {saving.text}
                {saving.hint ? ` ${saving.hint}` : ''}
              </p>
            )}
            <p className="muted small">
              The same from a terminal: <code>{exportCommand(form)}</code>
            </p>
          </>
        ) : (
          started && <p className="muted small" role="status">The download has started; your browser shows its progress and can cancel it.</p>
        )}
        <div className="actions">
          {desktop && (
            <button type="button" className="primary" disabled={problem !== null || saving.state === 'saving'} onClick={() => void save()}>
              {saving.state === 'saving' ? 'Saving…' : 'Save…'}
            </button>
          )}
          {!desktop && (
            <a className={`button primary${problem ? ' disabled' : ''}`} href={problem ? undefined : exportUrl(form)} download aria-disabled={problem !== null} onClick={() => setStarted(true)}>
              Download
            </a>
          )}
          <button type="button" onClick={onClose}>
            Close <kbd>Esc</kbd>
          </button>
        </div>
      </div>
    </div>
  );
}
