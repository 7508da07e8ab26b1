// Before anything changed, the associate may supply or correct the run's fields (an order id Tandem could not find):
// one typed box per field the map reads, and the run starts again with them.
import { useEffect, useState } from 'react';
import type { Run } from '../../../src/contract/index.ts';
import { fieldsFromForm, fieldsToOffer, shownValue } from './fields-form.ts';
import { useRun } from './store.ts';

/** Before anything changed, the associate may supply or correct the run's fields (e.g. an order id Tandem could not find). */
export function FieldsEditor({ run }: { run: Run }) {
  const { busy, supplyFields } = useRun();
  const defs = fieldsToOffer(run);
  const missing = defs.filter((d) => d.required && (run.fields[d.name] === undefined || run.fields[d.name] === null || run.fields[d.name] === ''));
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [open, setOpen] = useState(missing.length > 0);
  // Opened by the person (not because a field is missing): the cursor goes to the first box. Opened on its own it
  // leaves the keyboard where it was, so Escape still leads back to the inbox.
  const [asked, setAsked] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // Closed once the run has what it needs (the fields were taken and it went on).
  useEffect(() => {
    if (missing.length === 0 && Object.keys(typed).length === 0) setOpen(false);
  }, [missing.length, typed]);
  if (!open)
    return (
      <button type="button" className="link" onClick={() => (setOpen(true), setAsked(true))}>
        Correct the fields ({defs.map((d) => `${d.name}: ${shownValue(run.fields[d.name]) || '—'}`).join(', ') || 'none'})
      </button>
    );
  const submit = async () => {
    const out = fieldsFromForm(defs, run.fields, typed);
    if ('problem' in out) {
      setProblem(out.problem);
      return;
    }
    setProblem(null);
    if (await supplyFields(out.fields)) {
      setTyped({});
      setOpen(false);
    }
  };
  return (
    <form
      className="edit run-fields"
      aria-label="Run fields"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      <p className="muted small">{missing.length > 0 ? `Tandem could not find ${missing.map((d) => d.name.replace(/_/g, ' ')).join(', ')} in the ticket: type it and the run starts again with it.` : 'Change a value and the run starts again with it (nothing has changed anywhere yet).'}</p>
      <div className="edit-fields">
        {defs.map((d, i) => (
          <label key={d.name} className={typed[d.name] !== undefined ? 'changed' : undefined}>
            {d.name.replace(/_/g, ' ')}
            {d.required ? ' (needed)' : ''}
            {d.description ? <span className="muted small"> — {d.description}</span> : null}
            <input
              autoFocus={asked && (i === 0 || missing[0]?.name === d.name)}
              inputMode={d.type === 'number' || d.type === 'money' ? 'decimal' : undefined}
              value={typed[d.name] ?? shownValue(run.fields[d.name])}
              onChange={(e) => (setTyped({ ...typed, [d.name]: e.target.value }), setProblem(null))}
            />
          </label>
        ))}
      </div>
      {problem && <p className="warning">{problem}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy !== null}>
          Use these fields <kbd>Enter</kbd>
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel <kbd>Esc</kbd>
        </button>
      </div>
    </form>
  );
}
