// A browser block's actions: each a row (what to do, on which element, with what), and Record to do the task once in
// the connector's browser and have the rows written from it.
import { useEffect, useState } from 'react';
import type { MapReference } from '../../../src/contract/index.ts';
import { SelectField, TextField } from './inputs.tsx';
import { issuesAt, type Issue } from './selectors.ts';
import { useMaps } from './store.ts';

type Action = Record<string, unknown>;
type Target = Record<string, string>;
const KINDS = ['goto', 'click', 'fill', 'select', 'check', 'wait_for', 'extract', 'screenshot'] as const;
const TARGET_KEYS = ['role', 'label', 'text', 'placeholder', 'selector'] as const;

function kindOf(a: Action): string {
  return Object.keys(a)[0] ?? 'click';
}

function targetOf(a: Action): Target {
  const k = kindOf(a);
  const v = a[k] as Record<string, unknown> | string | undefined;
  if (k === 'fill' || k === 'select' || k === 'extract') return ((v as { target?: Target })?.target ?? {}) as Target;
  return (typeof v === 'object' && v ? v : {}) as Target;
}

function withTarget(a: Action, target: Target): Action {
  const k = kindOf(a);
  if (k === 'fill' || k === 'select' || k === 'extract') return { [k]: { ...(a[k] as object), target } };
  return { [k]: target };
}

function blank(kind: string): Action {
  switch (kind) {
    case 'goto':
      return { goto: '/' };
    case 'fill':
    case 'select':
      return { [kind]: { target: { label: '' }, value: '' } };
    case 'extract':
      return { extract: { target: { text: '' }, into: 'value' } };
    case 'screenshot':
      return { screenshot: { name: 'page' } };
    default:
      return { [kind]: { role: 'button', name: '' } };
  }
}

export function BrowserActions({ step, index, issues, refs, onChange }: { step: Record<string, unknown>; index: number; issues: Issue[]; refs: MapReference[]; onChange(actions: Action[]): void }) {
  const actions = (Array.isArray(step.actions) ? step.actions : []) as Action[];
  const set = (i: number, a: Action) => onChange(actions.map((x, k) => (k === i ? a : x)));
  const at = (i: number) => issuesAt(issues, 'steps', index, 'actions', i);
  return (
    <div className="browser-actions">
      <Recorder step={step} index={index} onRecorded={onChange} />
      <ol className="actions-list">
        {actions.map((a, i) => {
          const kind = kindOf(a);
          const target = targetOf(a);
          const targetKey = TARGET_KEYS.find((k) => target[k] !== undefined) ?? 'role';
          return (
            <li key={i} className="action-row" data-action={kind}>
              <div className="action-fields">
                <SelectField label="Do" value={kind} options={[...KINDS]} onChange={(k) => set(i, blank(k))} />
                {kind === 'goto' && <TextField label="Address (path)" value={a.goto} onChange={(v) => set(i, { goto: v })} refs={refs} kind="template" issues={at(i)} />}
                {kind === 'screenshot' && <TextField label="Name" value={(a.screenshot as { name?: string })?.name} onChange={(v) => set(i, { screenshot: { name: v } })} kind="text" issues={at(i)} />}
                {kind !== 'goto' && kind !== 'screenshot' && (
                  <>
                    <SelectField
                      label="Find by"
                      value={targetKey}
                      options={[
                        { value: 'role', label: 'role and name' },
                        { value: 'label', label: 'label' },
                        { value: 'text', label: 'text' },
                        { value: 'placeholder', label: 'placeholder' },
                        { value: 'selector', label: 'CSS selector (last resort)' },
                      ]}
                      onChange={(k) => set(i, withTarget(a, k === 'role' ? { role: 'button', name: '' } : { [k]: '' }))}
                    />
                    {targetKey === 'role' && <TextField label="Role" value={target.role} onChange={(v) => set(i, withTarget(a, { ...target, role: v }))} kind="text" />}
                    <TextField
                      label={targetKey === 'role' ? 'Name' : targetKey}
                      value={targetKey === 'role' ? target.name : target[targetKey]}
                      onChange={(v) => set(i, withTarget(a, targetKey === 'role' ? { ...target, name: v } : { [targetKey]: v }))}
                      refs={refs}
                      kind="template"
                      issues={at(i)}
                    />
                    {(kind === 'fill' || kind === 'select') && (
                      <TextField label="Value" value={(a[kind] as { value?: string }).value} onChange={(v) => set(i, { [kind]: { ...(a[kind] as object), value: v } })} refs={refs} kind="template" />
                    )}
                    {kind === 'extract' && <TextField label="Into output" value={(a.extract as { into?: string }).into} onChange={(v) => set(i, { extract: { ...(a.extract as object), into: v } })} kind="text" />}
                  </>
                )}
              </div>
              <span className="row-buttons">
                <button type="button" aria-label={`Move action ${i + 1} up`} disabled={i === 0} onClick={() => onChange(swap(actions, i, i - 1))}>
                  ↑
                </button>
                <button type="button" aria-label={`Move action ${i + 1} down`} disabled={i === actions.length - 1} onClick={() => onChange(swap(actions, i, i + 1))}>
                  ↓
                </button>
                <button type="button" aria-label={`Remove action ${i + 1}`} onClick={() => onChange(actions.filter((_, k) => k !== i))}>
                  ✕
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      <button type="button" onClick={() => onChange([...actions, blank('click')])}>
        Add an action
      </button>
    </div>
  );
}

function swap(list: Action[], a: number, b: number): Action[] {
  const out = [...list];
  [out[a], out[b]] = [out[b]!, out[a]!];
  return out;
}

function Recorder({ step, index, onRecorded }: { step: Record<string, unknown>; index: number; onRecorded(actions: Action[]): void }) {
  const { recording, startRecording, pollRecording, stopRecording, busy, tickets, ticketId } = useMaps();
  const [path, setPath] = useState('/');
  const mine = recording?.stepIndex === index;
  useEffect(() => {
    if (!mine) return;
    const t = setInterval(() => void pollRecording(), 1000);
    return () => clearInterval(t);
  }, [mine, pollRecording]);
  const connector = typeof step.connector === 'string' ? step.connector : '';
  const ticket = tickets.find((t) => t.id === ticketId);
  if (mine && recording) {
    return (
      <div className="recording" role="status" aria-label="Recording">
        <strong>● Recording in {recording.connector}</strong> <span className="muted small">at {recording.url}</span>
        <p className="small">
          {recording.visible
            ? `Do the task once in the ${recording.connector} browser window. `
            : `The ${recording.connector} browser runs without a window on this host: start Tandem with TANDEM_BROWSER_HEADFUL=1 on a desktop to see it and do the task there. `}
          Clicks and typing are recorded; passwords never are.
          {ticket ? ` Values of ${ticket.id} (${ticket.requester.email}) become references.` : ''}
        </p>
        <ol className="small">
          {recording.actions.map((a, i) => (
            <li key={i}>
              <code>{JSON.stringify(a)}</code>
            </li>
          ))}
        </ol>
        {!recording.open && <p className="warning small">The recording page was closed. Stop to keep what was recorded.</p>}
        {recording.skipped.map((s) => (
          <p key={s} className="muted small">
            Not recorded: {s}
          </p>
        ))}
        <button
          type="button"
          className="primary"
          disabled={busy === 'record'}
          onClick={async () => {
            const actions = await stopRecording();
            if (actions) onRecorded(actions);
          }}
        >
          Stop recording
        </button>
      </div>
    );
  }
  return (
    <div className="record-start">
      <TextField label="Start at (path)" value={path} onChange={setPath} kind="text" />
      <button type="button" disabled={!connector || recording !== null || busy === 'record'} onClick={() => void startRecording(index, connector, path)} title={connector ? '' : 'Choose a connector first'}>
        {busy === 'record' ? 'Opening the browser…' : 'Record actions'}
      </button>
      <span className="muted small">Replaces the actions below with what you do.</span>
    </div>
  );
}
