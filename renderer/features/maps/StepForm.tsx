// One step's form, typed by its block: connectors of the right kind, modes, templates with the picker, branches.
import { useState, type ReactNode } from 'react';
import type { MapDraft, MapReference } from '../../../src/contract/index.ts';
import { PairsField, SelectField, TextField } from './inputs.tsx';
import { issuesAt, type Issue } from './selectors.ts';
import { BrowserActions } from './BrowserActions.tsx';

const MODES = ['suggest', 'shadow', 'auto', 'manual'];

export interface StepFormProps {
  step: Record<string, unknown>;
  index: number;
  issues: Issue[];
  refs: MapReference[];
  connectors: MapDraft['connectors'];
  later: string[];
  onChange(patch: Record<string, unknown>): void;
}

export function StepForm({ step, index, issues, refs, connectors, later, onChange }: StepFormProps) {
  const at = (...p: (string | number)[]) => issuesAt(issues, 'steps', index, ...p);
  const block = String(step.block);
  const common = (
    <div className="form-grid">
      <TextField label="Id" value={step.id} onChange={(v) => onChange({ id: v })} issues={at('id')} kind="text" />
      <TextField label="Title" value={step.title} onChange={(v) => onChange({ title: v })} kind="text" placeholder="What a person sees" />
      <SelectField label="Mode" value={step.mode ?? 'suggest'} options={MODES} onChange={(v) => onChange({ mode: v === 'suggest' ? undefined : v })} issues={at('mode')} />
      <TextField label="Only when (expression)" value={step.when} onChange={(v) => onChange({ when: v })} issues={at('when')} refs={refs} kind="expression" placeholder="always" />
    </div>
  );
  const connectorField = (type: 'http' | 'browser') => (
    <SelectField
      label="Connector"
      value={step.connector}
      allowEmpty="Choose a connector…"
      options={connectors.filter((c) => c.type === type).map((c) => ({ value: c.id, label: `${c.title} (${c.id})` }))}
      onChange={(v) => onChange({ connector: v })}
      issues={at('connector')}
    />
  );
  let body: ReactNode = null;
  switch (block) {
    case 'http':
      body = (
        <div className="form-grid">
          {connectorField('http')}
          <SelectField label="Method" value={step.method ?? 'GET'} options={['GET', 'POST', 'PUT', 'PATCH', 'DELETE']} onChange={(v) => onChange({ method: v })} issues={at('method')} />
          <TextField label="Path" value={step.path} onChange={(v) => onChange({ path: v })} issues={at('path')} refs={refs} kind="template" />
          <TextField label="Describe (for messages)" value={step.describe} onChange={(v) => onChange({ describe: v })} issues={at('describe')} refs={refs} kind="template" />
          <TextField label="Idempotency key" value={step.idempotency_key} onChange={(v) => onChange({ idempotency_key: v })} issues={at('idempotency_key')} refs={refs} kind="template" />
          <JsonField key={`body-${String(step.id)}`} label="Body (JSON)" value={step.body} onChange={(v) => onChange({ body: v })} issues={at('body')} />
          <PairsField key={`outputs-${String(step.id)}`} label="Outputs" value={step.outputs} onChange={(v) => onChange({ outputs: Object.keys(v).length ? v : undefined })} issues={at('outputs')} />
        </div>
      );
      break;
    case 'browser':
      body = (
        <>
          <div className="form-grid">{connectorField('browser')}</div>
          <BrowserActions step={step} index={index} issues={at('actions')} refs={refs} onChange={(actions) => onChange({ actions })} />
        </>
      );
      break;
    case 'condition': {
      const otherwise = (step.else ?? {}) as Record<string, string>;
      const kind = 'skip_to' in otherwise ? 'skip_to' : 'finish' in otherwise ? 'finish' : 'escalate';
      body = (
        <div className="form-grid">
          <TextField label="Go on only if (expression)" value={step.if} onChange={(v) => onChange({ if: v })} issues={at('if')} refs={refs} kind="expression" />
          <SelectField
            label="Otherwise"
            value={kind}
            options={[
              { value: 'escalate', label: 'escalate to a person' },
              { value: 'skip_to', label: 'skip ahead to a later step' },
              { value: 'finish', label: 'finish the map' },
            ]}
            onChange={(v) => onChange({ else: { [v]: v === 'skip_to' ? (later[0] ?? '') : (otherwise[kind] ?? '') } })}
          />
          {kind === 'skip_to' ? (
            <SelectField label="Skip to" value={otherwise.skip_to} options={later} allowEmpty="Choose a later step…" onChange={(v) => onChange({ else: { skip_to: v } })} issues={at('else')} />
          ) : (
            <TextField label={kind === 'finish' ? 'Finish with' : 'Escalate with'} value={otherwise[kind]} onChange={(v) => onChange({ else: { [kind]: v } })} issues={at('else')} refs={refs} kind="template" />
          )}
        </div>
      );
      break;
    }
    case 'approval':
      body = (
        <div className="form-grid">
          <TextField label="Needed when (expression)" value={step.needed_when} onChange={(v) => onChange({ needed_when: v })} issues={at('needed_when')} refs={refs} kind="expression" placeholder="true (always)" />
          <TextField label="Reason shown to the lead" value={step.reason} onChange={(v) => onChange({ reason: v })} issues={at('reason')} refs={refs} kind="template" />
        </div>
      );
      break;
    case 'reply':
      body = (
        <div className="form-grid">
          <TextField label="Reply" value={step.body} onChange={(v) => onChange({ body: v })} issues={at('body')} refs={refs} kind="template" multiline />
          <SelectField label="Visibility" value={step.public === false ? 'internal' : 'public'} options={[{ value: 'public', label: 'public reply' }, { value: 'internal', label: 'internal note' }]} onChange={(v) => onChange({ public: v === 'internal' ? false : undefined })} />
          <SelectField label="Then set the ticket to" value={step.status} options={['open', 'pending', 'solved']} allowEmpty="(leave as it is)" onChange={(v) => onChange({ status: v || undefined })} issues={at('status')} />
        </div>
      );
      break;
    case 'manual':
      body = <TextField label="Instructions" value={step.instructions} onChange={(v) => onChange({ instructions: v })} issues={at('instructions')} refs={refs} kind="template" multiline />;
      break;
    case 'set':
      body = <PairsField key={`values-${String(step.id)}`} label="Values" value={step.values} onChange={(v) => onChange({ values: v })} issues={at('values')} refs={refs} />;
      break;
  }
  return (
    <div className="step-form">
      {common}
      {body}
    </div>
  );
}

function JsonField({ label, value, onChange, issues }: { label: string; value: unknown; onChange(v: unknown): void; issues: Issue[] }) {
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  return (
    <TextField
      label={label}
      value={text}
      multiline
      kind="text"
      issues={issues}
      onChange={(t) => {
        setText(t);
        if (t.trim() === '') return onChange(undefined);
        try {
          onChange(JSON.parse(t) as unknown);
        } catch {
          // Half-typed JSON: kept in the box until it parses.
        }
      }}
    />
  );
}
