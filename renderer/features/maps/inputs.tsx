// Typed inputs of the builder's forms: each shows the loader's message for its place, and template inputs offer the
// values available at that step ({{ }} references) in a picker.
import { useRef, useState } from 'react';
import type { MapReference } from '../../../src/contract/index.ts';
import type { Issue } from './selectors.ts';

function Messages({ issues }: { issues: Issue[] }) {
  if (issues.length === 0) return null;
  return (
    <span className="field-issues" role="alert">
      {issues.map((i) => (
        <span key={`${i.path}:${i.message}`}>
          {i.message}
          {i.hint ? ` — ${i.hint}` : ''}
        </span>
      ))}
    </span>
  );
}

export function Picker({ refs, onPick, label }: { refs: MapReference[]; onPick(expr: string): void; label: string }) {
  if (refs.length === 0) return null;
  const groups: [string, MapReference[]][] = [
    ['Ticket', refs.filter((r) => r.source === 'ticket')],
    ['Fields (read by triage)', refs.filter((r) => r.source === 'field')],
    ['Earlier steps', refs.filter((r) => r.source === 'step')],
  ];
  return (
    <select
      className="picker"
      aria-label={label}
      value=""
      onChange={(e) => {
        if (e.target.value) onPick(e.target.value);
      }}
    >
      <option value="">{'{{ }} insert…'}</option>
      {groups
        .filter(([, list]) => list.length > 0)
        .map(([name, list]) => (
          <optgroup key={name} label={name}>
            {list.map((r) => (
              <option key={r.expr} value={r.expr}>
                {r.expr} — {r.label}
              </option>
            ))}
          </optgroup>
        ))}
    </select>
  );
}

export function TextField(props: {
  label: string;
  value: unknown;
  onChange(v: string): void;
  issues?: Issue[];
  refs?: MapReference[];
  /** template: the picker inserts {{ expr }}; expression: the expression itself. */
  kind?: 'text' | 'template' | 'expression';
  multiline?: boolean;
  placeholder?: string;
}) {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const value = props.value === undefined || props.value === null ? '' : String(props.value);
  const insert = (expr: string) => {
    const piece = props.kind === 'expression' ? expr : `{{ ${expr} }}`;
    const el = ref.current;
    const at = el && el.selectionStart !== null && document.activeElement === el ? el.selectionStart : value.length;
    props.onChange(value.slice(0, at) + piece + value.slice(el?.selectionEnd ?? at));
  };
  const issues = props.issues ?? [];
  return (
    <label className={`field${props.multiline ? ' field-wide' : ''}${issues.length ? ' field-invalid' : ''}`}>
      <span className="field-label">{props.label}</span>
      <span className="field-row">
        {props.multiline ? (
          <textarea ref={ref} value={value} rows={4} onChange={(e) => props.onChange(e.target.value)} placeholder={props.placeholder} aria-invalid={issues.length > 0} />
        ) : (
          <input ref={ref} value={value} onChange={(e) => props.onChange(e.target.value)} placeholder={props.placeholder} aria-invalid={issues.length > 0} />
        )}
        {props.refs && props.kind !== 'text' && <Picker refs={props.refs} onPick={insert} label={`Insert a value into ${props.label}`} />}
      </span>
      <Messages issues={issues} />
    </label>
  );
}

export function SelectField(props: { label: string; value: unknown; options: (string | { value: string; label: string })[]; onChange(v: string): void; issues?: Issue[]; allowEmpty?: string }) {
  const issues = props.issues ?? [];
  return (
    <label className={`field${issues.length ? ' field-invalid' : ''}`}>
      <span className="field-label">{props.label}</span>
      <select value={props.value === undefined || props.value === null ? '' : String(props.value)} onChange={(e) => props.onChange(e.target.value)} aria-invalid={issues.length > 0}>
        {props.allowEmpty !== undefined && <option value="">{props.allowEmpty}</option>}
        {props.options.map((o) => (typeof o === 'string' ? { value: o, label: o } : o)).map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Messages issues={issues} />
    </label>
  );
}

/** A name → expression table (http outputs, set values) edited as lines "name: expression". */
export function PairsField(props: { label: string; value: unknown; onChange(v: Record<string, string>): void; issues?: Issue[]; refs?: MapReference[] }) {
  const obj = (props.value && typeof props.value === 'object' ? props.value : {}) as Record<string, string>;
  // The text is the person's while they type (a half-written line has no colon yet); the map follows from it.
  const [text, setText] = useState(() =>
    Object.entries(obj)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
  );
  return (
    <TextField
      label={`${props.label} (one per line: name: expression)`}
      value={text}
      multiline
      kind="expression"
      {...(props.refs ? { refs: props.refs } : {})}
      {...(props.issues ? { issues: props.issues } : {})}
      onChange={(t) => {
        setText(t);
        const out: Record<string, string> = {};
        for (const line of t.split('\n')) {
          const i = line.indexOf(':');
          if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
        }
        props.onChange(out);
      }}
    />
  );
}
