// The builder for one map: palette, the map's intent and fields, its steps as cards (drag or Alt+↑/↓ to reorder),
// live checks with the loader's words, Try it on a ticket or on history, and Save with the diff first.
import { useEffect, useState, type DragEvent } from 'react';
import type { MapDraft } from '../../../src/contract/index.ts';
import { isHostUnreachable } from '../../api.ts';
import { ErrorState, Loading } from '../../components/StateView.tsx';
import { guardLeaving } from '../../stores/route.ts';
import { SelectField, TextField } from './inputs.tsx';
import { addStep, branchTargets, issuesAt, laterSteps, moveStep, referencesFor, removeStep, stepsOf, updateStep, type Draft } from './selectors.ts';
import { StepForm } from './StepForm.tsx';
import { useMaps } from './store.ts';
import { TryPanel } from './TryPanel.tsx';

const FIELD_TYPES = ['string', 'number', 'money', 'email', 'date', 'boolean', 'address'];

export function BuilderView({ mapId, stepId }: { mapId: string; stepId: string | null }) {
  const { opened, draft, openError, open, check, edit, dirty, preview, reviewSave, confirmSave, cancelSave, busy, error, notice } = useMaps();
  const [selected, setSelected] = useState<string | null>(stepId);
  useEffect(() => {
    void open(mapId);
  }, [open, mapId]);
  useEffect(() => setSelected(stepId), [stepId]);
  useEffect(() => {
    if (selected) document.querySelector(`[data-step-card="${CSS.escape(selected)}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [selected, opened]);

  // Unsaved edits are not dropped by a stray click elsewhere: leaving the builder asks first.
  useEffect(() => {
    guardLeaving(() => (useMaps.getState().dirty ? `${mapId} has changes that are not saved.` : null));
    return () => guardLeaving(null);
  }, [mapId]);

  // Ctrl/⌘+S reviews the save (the diff first); Escape goes back to editing.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void useMaps.getState().reviewSave(); // waits for the check in flight; a draft with problems is not offered
      } else if (e.key === 'Escape' && useMaps.getState().preview) useMaps.getState().cancelSave();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (openError) return <ErrorState message={openError.message} hint={openError.hint} onRetry={() => void open(mapId)} />;
  if (!opened || !draft) return <Loading what={`map ${mapId}`} />;
  const issues = check?.issues ?? [];
  const version = typeof draft.version === 'number' ? draft.version : 0;

  return (
    <section aria-label="Map builder" className="builder">
      <header className="view-header">
        <a href="#/maps">Maps</a>
        <h1>{mapId}</h1>
        <span className="muted">
          {opened.file} · {opened.exists ? `version ${version}` : 'new: an empty file until saved'}
          {dirty ? ' · unsaved changes' : ''}
        </span>
        <span className={issues.length ? 'check-bad' : 'check-ok'} role="status" aria-label="Check">
          {check === null ? 'Checking…' : issues.length ? `${issues.length} problem${issues.length === 1 ? '' : 's'}` : 'Ready to run'}
        </span>
        <button type="button" className="primary" disabled={busy === 'save' || issues.length > 0} onClick={() => void reviewSave()} title={issues.length ? 'Fix the problems first' : ''}>
          Review and save… <kbd>Ctrl S</kbd>
        </button>
      </header>
      {notice && (
        <p className="decision decision-accepted" role="status">
          {notice}
        </p>
      )}
      {error && isHostUnreachable(error) && <ErrorState message={error.message} />}
      {error && !isHostUnreachable(error) && (
        <div className="state-error panel" role="alert">
          <strong>{error.message}</strong>
          {error.hint && <p>{error.hint}</p>}
          {error.code === 'connector_conflict' && (
            <button type="button" onClick={() => void open(mapId)}>
              Reload the map from disk (your unsaved edits are dropped)
            </button>
          )}
        </div>
      )}
      {preview && <SavePreview preview={preview} onConfirm={(reason) => void confirmSave(reason)} onCancel={cancelSave} busy={busy === 'save'} />}
      {issues.length > 0 && (
        <details className="panel issues" open>
          <summary>What the file loader would say</summary>
          <ul>
            {issues.map((i) => (
              <li key={`${i.path}:${i.message}`}>
                <code>{i.path || '(map)'}</code> {i.message}
                {i.hint && <span className="muted"> — {i.hint}</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="builder-columns">
        <Palette opened={opened} onAdd={(template) => {
          const { draft: next, index } = addStep(draft, template);
          edit(next);
          setSelected(String(stepsOf(next)[index]!.id));
        }} />
        <div className="builder-main">
          <MapSettings draft={draft} onChange={edit} />
          <Steps draft={draft} opened={opened} selected={selected} onSelect={setSelected} />
        </div>
        <TryPanel />
      </div>
    </section>
  );
}

function Palette({ opened, onAdd }: { opened: MapDraft; onAdd(template: Record<string, unknown>): void }) {
  return (
    <aside className="palette panel" aria-label="Blocks">
      <h2>Blocks</h2>
      {opened.blocks.map((b) => (
        <button key={b.block} type="button" className="palette-block" data-block={b.block} onClick={() => onAdd(b.template)} title={b.description}>
          <strong>{b.title}</strong>
          <span className="muted small">{b.description}</span>
        </button>
      ))}
    </aside>
  );
}

function MapSettings({ draft, onChange }: { draft: Draft; onChange(d: Draft): void }) {
  const { check } = useMaps();
  const issues = check?.issues ?? [];
  const intent = (draft.intent ?? {}) as Record<string, unknown>;
  const fields = (Array.isArray(draft.fields) ? draft.fields : []) as Record<string, unknown>[];
  const examples = Array.isArray(intent.examples) ? (intent.examples as string[]) : [];
  const [exampleText, setExampleText] = useState(examples.join('\n'));
  // Open at first for a map that has no intent yet; then it stays as the person leaves it.
  const [open, setOpen] = useState(() => !draft.intent);
  const setIntent = (patch: Record<string, unknown>) => onChange({ ...draft, intent: { ...intent, ...patch } });
  const setFields = (next: Record<string, unknown>[]) => onChange({ ...draft, fields: next });
  return (
    <details className="panel map-settings" open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>
        <strong>Intent and fields</strong> <span className="muted small">{typeof intent.title === 'string' ? intent.title : 'not set yet'}</span>
      </summary>
      <div className="form-grid">
        <TextField label="Intent title" value={intent.title} onChange={(v) => setIntent({ title: v })} issues={issuesAt(issues, 'intent', 'title').concat(draft.intent ? [] : issuesAt(issues, 'intent'))} kind="text" />
        <TextField label="Description" value={intent.description} onChange={(v) => setIntent({ description: v })} issues={issuesAt(issues, 'intent', 'description')} kind="text" />
        <TextField
          label="Example phrases (one per line)"
          value={exampleText}
          multiline
          kind="text"
          issues={issuesAt(issues, 'intent', 'examples')}
          onChange={(v) => {
            setExampleText(v);
            setIntent({ examples: v.split('\n').map((x) => x.trim()).filter(Boolean) });
          }}
        />
      </div>
      <h3>Fields triage reads from the ticket</h3>
      <table className="fields-table">
        <tbody>
          {fields.map((f, i) => (
            <tr key={i}>
              <td>
                <TextField label="Name" value={f.name} onChange={(v) => setFields(fields.map((x, k) => (k === i ? { ...x, name: v } : x)))} issues={issuesAt(issues, 'fields', i, 'name')} kind="text" />
              </td>
              <td>
                <SelectField label="Type" value={f.type} options={FIELD_TYPES} onChange={(v) => setFields(fields.map((x, k) => (k === i ? { ...x, type: v } : x)))} issues={issuesAt(issues, 'fields', i, 'type')} />
              </td>
              <td>
                <TextField label="Pattern (regex, optional)" value={f.pattern} onChange={(v) => setFields(fields.map((x, k) => (k === i ? withOptional(x, 'pattern', v || undefined) : x)))} issues={issuesAt(issues, 'fields', i, 'pattern')} kind="text" />
              </td>
              <td>
                <label className="field">
                  <span className="field-label">Required</span>
                  <input type="checkbox" checked={f.required === true} onChange={(e) => setFields(fields.map((x, k) => (k === i ? withOptional(x, 'required', e.target.checked || undefined) : x)))} />
                </label>
              </td>
              <td>
                <button type="button" aria-label={`Remove field ${String(f.name)}`} onClick={() => setFields(fields.filter((_, k) => k !== i))}>
                  ✕
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => setFields([...fields, { name: `field_${fields.length + 1}`, type: 'string' }])}>
        Add a field
      </button>
      <PolicyRules draft={draft} onChange={onChange} />
    </details>
  );
}

/** Policy: rules the runner checks before any step that changes something (never the model's call). */
function PolicyRules({ draft, onChange }: { draft: Draft; onChange(d: Draft): void }) {
  const { check } = useMaps();
  const issues = check?.issues ?? [];
  const rules = (Array.isArray(draft.policy) ? draft.policy : []) as Record<string, unknown>[];
  const refs = referencesFor(check, stepsOf(draft).length);
  const set = (i: number, patch: Record<string, unknown>) => onChange({ ...draft, policy: rules.map((r, k) => (k === i ? { ...r, ...patch } : r)) });
  return (
    <>
      <h3>Policy rules (checked before every step that changes something)</h3>
      {rules.map((r, i) => (
        <div key={i} className="form-grid policy-rule">
          <TextField label="Rule id" value={r.id} onChange={(v) => set(i, { id: v })} issues={issuesAt(issues, 'policy', i, 'id')} kind="text" />
          <TextField label="When (expression)" value={r.when} onChange={(v) => set(i, { when: v })} issues={issuesAt(issues, 'policy', i, 'when')} refs={refs} kind="expression" />
          <SelectField label="Then" value={r.then} options={['approval', 'escalate', 'block']} onChange={(v) => set(i, { then: v })} issues={issuesAt(issues, 'policy', i, 'then')} />
          <TextField label="Reason" value={r.reason} onChange={(v) => set(i, { reason: v })} issues={issuesAt(issues, 'policy', i, 'reason')} kind="text" />
          <button type="button" aria-label={`Remove rule ${String(r.id)}`} onClick={() => onChange({ ...draft, policy: rules.filter((_, k) => k !== i) })}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange({ ...draft, policy: [...rules, { id: `rule_${rules.length + 1}`, when: 'false', then: 'approval', reason: 'Needs a second look.' }] })}>
        Add a rule
      </button>
    </>
  );
}

function withOptional(o: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const out = { ...o };
  if (value === undefined) delete out[key];
  else out[key] = value;
  return out;
}

function Steps({ draft, opened, selected, onSelect }: { draft: Draft; opened: MapDraft; selected: string | null; onSelect(id: string | null): void }) {
  const { check, edit } = useMaps();
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const steps = stepsOf(draft);
  const issues = check?.issues ?? [];
  const targets = branchTargets(draft);
  const move = (from: number, to: number) => edit(moveStep(draft, from, to));
  if (steps.length === 0) return <p className="muted panel">No steps yet: add one from the blocks on the left.</p>;
  return (
    <ol className="step-cards" aria-label="Steps">
      {steps.map((s, i) => {
        const id = String(s.id);
        const open = selected === id;
        const stepIssues = issuesAt(issues, 'steps', i);
        const otherwise = s.else as Record<string, string> | undefined;
        return (
          <li
            // By place, not id: typing a new id must not remount the card (and lose the cursor).
            key={i}
            data-step-card={id}
            className={`step-card block-${String(s.block)}${open ? ' open' : ''}${stepIssues.length ? ' invalid' : ''}${dragFrom === i ? ' dragging' : ''}`}
            draggable
            tabIndex={0}
            aria-label={`Step ${i + 1}: ${String(s.title ?? id)} (${String(s.block)}). Alt+arrow keys move it.`}
            onDragStart={(e: DragEvent) => {
              setDragFrom(i);
              e.dataTransfer.effectAllowed = 'move';
              e.dataTransfer.setData('text/plain', String(i));
            }}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              const from = dragFrom ?? Number(e.dataTransfer.getData('text/plain'));
              setDragFrom(null);
              if (Number.isInteger(from)) move(from, i);
            }}
            onDragEnd={() => setDragFrom(null)}
            onKeyDown={(e) => {
              if (!e.altKey || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
              e.preventDefault();
              const to = e.key === 'ArrowUp' ? i - 1 : i + 1;
              move(i, to);
              // Focus follows the card that moved, so pressing again keeps moving it.
              requestAnimationFrame(() => (document.querySelector(`[data-step-card="${CSS.escape(id)}"]`) as HTMLElement | null)?.focus());
            }}
          >
            <div className="step-card-head">
              <span className="drag-handle" aria-hidden="true">
                ⠿
              </span>
              <span className="step-no">{i + 1}</span>
              <span className="step-block">{String(s.block)}</span>
              <button type="button" className="link step-name" aria-expanded={open} onClick={() => onSelect(open ? null : id)}>
                {String(s.title ?? id)}
              </button>
              <span className={`mode mode-${String(s.mode ?? 'suggest')}`}>{String(s.mode ?? 'suggest')}</span>
              {stepIssues.length > 0 && <span className="check-bad small">{stepIssues.length} problem{stepIssues.length === 1 ? '' : 's'}</span>}
              <span className="row-buttons">
                <button type="button" aria-label={`Move ${id} up`} disabled={i === 0} onClick={() => move(i, i - 1)}>
                  ↑
                </button>
                <button type="button" aria-label={`Move ${id} down`} disabled={i === steps.length - 1} onClick={() => move(i, i + 1)}>
                  ↓
                </button>
                <button type="button" aria-label={`Remove ${id}`} onClick={() => edit(removeStep(draft, i))}>
                  ✕
                </button>
              </span>
            </div>
            {s.block === 'condition' && (
              <p className="branch small">
                if <code>{String(s.if ?? '')}</code> → go on · otherwise →{' '}
                {otherwise?.skip_to ? `skip to ${otherwise.skip_to}` : otherwise?.finish !== undefined ? `finish: “${otherwise.finish}”` : `escalate: “${otherwise?.escalate ?? ''}”`}
              </p>
            )}
            {s.block === 'approval' && (
              <p className="branch small">
                waits for a lead when <code>{String(s.needed_when ?? 'true')}</code>: “{String(s.reason ?? '')}”
              </p>
            )}
            {s.when !== undefined && <p className="branch small">only when <code>{String(s.when)}</code></p>}
            {targets[id] && <p className="branch small">↳ reached by a skip from {targets[id].join(', ')}</p>}
            {open && (
              <StepForm
                step={s}
                index={i}
                issues={issues}
                refs={referencesFor(check, i)}
                connectors={opened.connectors}
                later={laterSteps(draft, i)}
                onChange={(patch) => {
                  edit(updateStep(draft, i, patch));
                  if (typeof patch.id === 'string' && patch.id) onSelect(patch.id);
                }}
              />
            )}
          </li>
        );
      })}
    </ol>
  );
}

function SavePreview({ preview, onConfirm, onCancel, busy }: { preview: NonNullable<ReturnType<typeof useMaps.getState>['preview']>; onConfirm(reason: string): void; onCancel(): void; busy: boolean }) {
  const [reason, setReason] = useState('');
  const changes = preview.modeChanges ?? [];
  const needsReason = changes.length > 0 && !reason.trim();
  return (
    <div className="panel save-preview" role="dialog" aria-label="Review the change">
      <h2>
        {preview.file} → version {preview.version}
      </h2>
      <pre className="diff">
        {preview.diff.map((l, i) => (
          <span key={i} className={`diff-${l.op === '+' ? 'add' : l.op === '-' ? 'del' : l.op === '…' ? 'gap' : 'same'}`}>
            {l.op === '…' ? '…' : `${l.op} ${l.text}`}
            {'\n'}
          </span>
        ))}
      </pre>
      {changes.length > 0 && (
        <div className="mode-changes">
          <p>
            <strong>This save changes how {changes.length === 1 ? 'a step runs' : `${changes.length} steps run`}</strong> — recorded like a promotion from Insights:
          </p>
          <ul>
            {changes.map((c) => (
              <li key={c.stepId} className={c.to === 'auto' && !c.recommended ? 'warning' : undefined}>
                <code>{c.stepId}</code>: {c.from} → {c.to}. {c.to === 'auto' && !c.recommended ? 'The record does not recommend running it alone: ' : 'The record: '}
                {c.evidence}
              </li>
            ))}
          </ul>
          <label>
            Why? (recorded with the change)
            <input autoFocus value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
          </label>
        </div>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={() => onConfirm(reason)} disabled={busy || needsReason} title={needsReason ? 'Say why the step’s mode changes' : undefined}>
          Save version {preview.version}
        </button>
        <button type="button" onClick={onCancel}>
          Keep editing
        </button>
      </div>
    </div>
  );
}
