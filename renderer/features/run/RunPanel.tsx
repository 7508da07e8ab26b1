// The run as step cards: state, the exact preview of what a step will send, outputs, errors and who decided;
// Enter accept, E edit, S skip, H by hand, X escalate on the current step; a step Tandem ran alone can be marked as
// reverted (undone by hand) with a reason.
import { useEffect, useRef, useState } from 'react';
import type { Decision, Run, RunStep } from '../../../src/contract/index.ts';
import { ErrorState } from '../../components/StateView.tsx';
import { applyEdits, changedFields, editableFields, firstContentField, type EditField } from './edit-form.ts';
import { currencyOf, jsonWithMoney, paymentContext, typedCents } from './money.ts';
import { FieldsEditor } from './FieldsEditor.tsx';
import { actionable, currentStep, stepStateLabel, decidedBy, duration, needsField, rejectedByLead, revertible, revertOf, runStateLabel, STEP_STATE_LABEL, waitsForLead } from './selectors.ts';
import { StepBody, StepScreenshot } from './StepBody.tsx';
import { useRun } from './store.ts';

/** Editing: as a form of the step's values (json null), or as the JSON of its inputs for what the form does not offer. */
type Mode = { kind: 'idle' } | { kind: 'edit'; base: Record<string, unknown>; fields: EditField[]; values: Record<string, string>; json: string | null; problem: string | null } | { kind: 'reason'; verdict: 'skipped' | 'escalated' };

export function RunPanel({
  run,
  decisions,
  allowVerdictKey,
}: {
  run: Run;
  decisions: Decision[];
  /** Whether a key that records a verdict (Enter, H) may act now; when not, the caller says why. */
  allowVerdictKey?: (e: KeyboardEvent, label: string) => boolean;
}) {
  const { busy, error, decide } = useRun();
  const current = currentStep(run);
  const [mode, setMode] = useState<Mode>({ kind: 'idle' });
  const [reason, setReason] = useState('');
  const editor = useRef<HTMLFormElement>(null);
  const reasonBox = useRef<HTMLInputElement>(null);

  useEffect(() => {
    setMode({ kind: 'idle' });
    setReason('');
  }, [current?.stepId, current?.state, run.state]);

  // The step that needs the associate comes into view as the run reaches it: it is often below the lookups' results.
  const panel = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!current || !actionable(current, run.state)) return;
    panel.current?.querySelector('li[aria-current="step"]')?.scrollIntoView?.({ block: 'nearest' });
  }, [current?.stepId, current?.state, run.state]);

  useEffect(() => {
    // The box the associate came to change (the amount, the reply's text), not a yes/no switch that happens to be first.
    if (mode.kind === 'edit') (editor.current?.querySelector<HTMLElement>('[data-first]') ?? editor.current?.querySelector<HTMLElement>('input, textarea, select'))?.focus();
    if (mode.kind === 'reason') reasonBox.current?.focus();
  }, [mode.kind]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!actionable(current, run.state) || busy || mode.kind !== 'idle' || e.defaultPrevented) return;
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLButtonElement) return;
      const step = current!;
      if ((e.key === 'Enter' || e.key === 'h') && allowVerdictKey && !allowVerdictKey(e, e.key === 'Enter' ? 'Enter' : 'H')) {
        e.preventDefault();
        return;
      }
      if (e.key === 'Enter') {
        if (waitsForLead(step)) return; // the lead answers first; E, S, H and X still apply
        // After a lead's rejection the main action is to change it: Enter opens the form, as the highlighted button does.
        if (rejectedByLead(step, run.id, decisions)) startEdit(step);
        else void decide(step.stepId, 'accepted');
      }
      else if (e.key === 'e' && step.block !== 'manual') startEdit(step);
      else if (e.key === 's') setMode({ kind: 'reason', verdict: 'skipped' });
      else if (e.key === 'h') void decide(step.stepId, 'manual');
      else if (e.key === 'x') setMode({ kind: 'reason', verdict: 'escalated' });
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [current, run.state, busy, mode.kind, decide, allowVerdictKey]);

  function startEdit(step: RunStep) {
    const base = ((step.inputs ?? step.suggested ?? {}) as Record<string, unknown>);
    setReason('');
    setMode({ kind: 'edit', base, fields: editableFields(step.block, base), values: {}, json: null, problem: null });
  }

  /** What the edit would send, or the first thing wrong with it (a number that is not one, JSON that does not parse). */
  const editedInputs = (m: Extract<Mode, { kind: 'edit' }>): { inputs: Record<string, unknown> } | { problem: string } => {
    if (m.json === null) return applyEdits(m.base, m.fields, m.values);
    try {
      const inputs = JSON.parse(m.json) as Record<string, unknown>;
      if (!inputs || typeof inputs !== 'object' || Array.isArray(inputs)) throw new Error('the inputs must be an object');
      return { inputs };
    } catch (err) {
      return { problem: `Not valid JSON: ${(err as Error).message}` };
    }
  };

  const submitEdit = () => {
    if (mode.kind !== 'edit' || !current) return;
    const out = editedInputs(mode);
    if ('problem' in out) {
      setMode({ ...mode, problem: out.problem });
      return;
    }
    // The form closes once the edit is taken, also when the step stays with a lead (its state does not change then).
    void decide(current.stepId, 'edited', { inputs: out.inputs, reason }).then((ok) => ok && setMode({ kind: 'idle' }));
  };

  const toggleJson = () => {
    if (mode.kind !== 'edit') return;
    const out = editedInputs(mode);
    if ('problem' in out) {
      setMode({ ...mode, problem: out.problem });
      return;
    }
    if (mode.json === null) setMode({ ...mode, json: JSON.stringify(out.inputs, null, 2), problem: null });
    else if (current) setMode({ kind: 'edit', base: out.inputs, fields: editableFields(current.block, out.inputs), values: {}, json: null, problem: null });
  };

  const stateLabel = runStateLabel(run);
  const firstField = mode.kind === 'edit' ? firstContentField(mode.fields) : -1;
  return (
    <section ref={panel} className="panel run" aria-label="Run">
      <h2>
        {run.dryRun ? 'Dry run' : 'Process'} · {run.mapId} v{run.mapVersion} · <span className={`run-state run-${stateLabel.tone}`}>{stateLabel.label}</span>
      </h2>
      {run.escalation && (
        <p className="warning" role="alert">
          {needsField(run) ? 'Needs a field' : 'Escalated'}: {run.escalation}
        </p>
      )}
      {(run.state === 'escalated' || run.state === 'waiting') && !run.dryRun && !run.steps.some((s) => s.sideEffect && ['done', 'running', 'uncertain'].includes(s.state)) && <FieldsEditor run={run} />}
      <ol className="steps">
        {run.steps.map((step) => (
          <li key={step.stepId} className={`step step-${step.state}${step.stepId === current?.stepId ? ' current' : ''}`} data-step-id={step.stepId} aria-current={step.stepId === current?.stepId ? 'step' : undefined}>
            <div className="step-head">
              <span className="step-title">{step.title}</span>
              <span className="step-block">{step.block}{step.mode !== 'suggest' ? ` · ${step.mode}` : ''}</span>
              <span className="step-state">
                {stepStateLabel(step)}
                {step.state === 'running' && step.startedAt ? <Elapsed since={step.startedAt} /> : step.startedAt && step.finishedAt ? ` · ${duration(step.finishedAt - step.startedAt)}` : ''}
              </span>
            </div>
            {step.note && <p className="muted small">{step.note}</p>}
            <StepBody step={step} />
            {step.error && <ErrorState message={step.error.message} hint={step.error.hint} />}
            {step.error?.screenshot && <StepScreenshot name={step.error.screenshot} />}
            <DecidedBy decision={decisions.find((d) => d.runId === run.id && d.stepId === step.stepId && d.kind !== 'triage' && d.kind !== 'revert')} />
            <Reverted decision={revertOf(decisions, run.id, step.stepId)} />
            {revertible(run, step, decisions) && <RevertForm stepId={step.stepId} />}
            {step.stepId === current?.stepId && actionable(step, run.state) && (
              <div className="step-actions">
                {mode.kind === 'edit' ? (
                  <form
                    ref={editor}
                    className="edit"
                    aria-label="Edit the step"
                    onSubmit={(e) => {
                      e.preventDefault();
                      submitEdit();
                    }}
                    onKeyDown={(e) => {
                      if (e.key === 'Escape') setMode({ kind: 'idle' });
                    }}
                  >
                    {mode.json === null ? (
                      <div className="edit-fields">
                        {mode.fields.length === 0 && <p className="muted small">This step has no value to change here; edit it as JSON.</p>}
                        {mode.fields.map((f, i) => {
                          const value = mode.values[f.key] ?? f.value;
                          const set = (v: string) => setMode({ ...mode, values: { ...mode.values, [f.key]: v }, problem: null });
                          const first = i === firstField ? { 'data-first': true } : {};
                          const hintId = `edit-hint-${f.key}`;
                          return (
                            <label key={f.key} className={value !== f.value ? 'changed' : undefined}>
                              {f.label}
                              {f.kind === 'long' ? (
                                <textarea rows={6} value={value} onChange={(e) => set(e.target.value)} {...first} />
                              ) : f.kind === 'boolean' ? (
                                <select value={value} onChange={(e) => set(e.target.value)} {...first}>
                                  <option value="true">yes</option>
                                  <option value="false">no</option>
                                </select>
                              ) : (
                                <input value={value} inputMode={f.kind === 'number' ? (f.cents ? 'numeric' : 'decimal') : undefined} onChange={(e) => set(e.target.value)} aria-describedby={f.cents ? hintId : undefined} {...first} />
                              )}
                              {f.cents && (
                                <span id={hintId} className="muted small money-hint" aria-live="polite">
                                  {typedCents(value, currencyOf(mode.base, f.path)) ?? 'whole cents, e.g. 26900 for $269.00'}
                                </span>
                              )}
                            </label>
                          );
                        })}
                      </div>
                    ) : (
                      <label>
                        Inputs (JSON): change a value, then run it as edited
                        <textarea rows={8} value={mode.json} onChange={(e) => setMode({ ...mode, json: e.target.value, problem: null })} />
                      </label>
                    )}
                    <label>
                      Why change it? (optional; your lead reads this)
                      <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} />
                    </label>
                    {mode.json === null && changedFields(mode.fields, mode.values).length > 0 && <p className="muted small">Changed: {changedFields(mode.fields, mode.values).join('; ')}</p>}
                    {mode.problem && <p className="warning">{mode.problem}</p>}
                    {error && <ErrorState message={error.message} hint={error.hint} />}
                    <div className="actions">
                      <button type="submit" className="primary" disabled={busy !== null}>
                        Run as edited
                      </button>
                      <button type="button" onClick={toggleJson}>
                        {mode.json === null ? 'Edit as JSON' : 'Back to the form'}
                      </button>
                      <button type="button" onClick={() => setMode({ kind: 'idle' })}>
                        Cancel <kbd>Esc</kbd>
                      </button>
                    </div>
                  </form>
                ) : mode.kind === 'reason' ? (
                  <form
                    className="reason"
                    onSubmit={(e) => {
                      e.preventDefault();
                      void decide(step.stepId, mode.verdict, { reason }).then((ok) => ok && setMode({ kind: 'idle' }));
                    }}
                  >
                    <label>
                      {mode.verdict === 'skipped' ? 'Why skip it? (optional)' : 'Why escalate? The lead reads this.'}
                      <input ref={reasonBox} value={reason} onChange={(e) => setReason(e.target.value)} required={mode.verdict === 'escalated'} maxLength={2000} />
                    </label>
                    <div className="actions">
                      <button type="submit" className="primary" disabled={busy !== null}>
                        {mode.verdict === 'skipped' ? 'Skip step' : 'Escalate'}
                      </button>
                      <button type="button" onClick={() => setMode({ kind: 'idle' })}>
                        Cancel
                      </button>
                    </div>
                  </form>
                ) : (
                  <div className="actions">
                    {waitsForLead(step) ? (
                      <span className="muted small">Waiting for a lead’s answer; meanwhile you may change it so it needs none, skip it or escalate.</span>
                    ) : rejectedByLead(step, run.id, decisions) ? (
                      // The lead said no: changing it is the main action (Enter or E); accepting it as it is asks the lead again.
                      <>
                        <button type="button" className="primary" disabled={busy !== null} onClick={() => startEdit(step)}>
                          Edit <kbd>E</kbd> <kbd>Enter</kbd>
                        </button>
                        <button type="button" disabled={busy !== null} onClick={() => void decide(step.stepId, 'accepted')}>
                          Accept as it is
                        </button>
                      </>
                    ) : (
                      <button type="button" className="primary" disabled={busy !== null} onClick={() => void decide(step.stepId, 'accepted')}>
                        {step.block === 'manual' ? 'Done' : step.state === 'uncertain' || step.state === 'failed' ? 'Run again' : 'Accept'} <kbd>Enter</kbd>
                      </button>
                    )}
                    {step.block !== 'manual' && !rejectedByLead(step, run.id, decisions) && (
                      <button type="button" disabled={busy !== null} onClick={() => startEdit(step)}>
                        Edit <kbd>E</kbd>
                      </button>
                    )}
                    <button type="button" disabled={busy !== null} onClick={() => setMode({ kind: 'reason', verdict: 'skipped' })}>
                      Skip <kbd>S</kbd>
                    </button>
                    <button type="button" disabled={busy !== null} onClick={() => void decide(step.stepId, 'manual')}>
                      {step.state === 'uncertain' ? 'It happened' : 'Done by hand'} <kbd>H</kbd>
                    </button>
                    <button type="button" disabled={busy !== null} onClick={() => setMode({ kind: 'reason', verdict: 'escalated' })}>
                      Escalate <kbd>X</kbd>
                    </button>
                  </div>
                )}
              </div>
            )}
          </li>
        ))}
      </ol>
      {error && mode.kind !== 'edit' && <ErrorState message={error.message} hint={error.hint} />}
    </section>
  );
}

/** A running step's time so far, ticking each second: a sign-in or a slow page is visibly alive, not stuck. */
function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <span className="elapsed"> · {now - since < 1000 ? 'just started' : duration(Math.floor((now - since) / 1000) * 1000)}</span>;
}

function DecidedBy({ decision }: { decision: Decision | undefined }) {
  if (!decision) return null;
  return (
    <p className="muted small decided">
      {decidedBy(decision)} at {new Date(decision.decidedAt).toLocaleTimeString()}
      {decision.reason ? ` — “${decision.reason}”` : ''}
    </p>
  );
}

function Reverted({ decision }: { decision: Decision | undefined }) {
  if (!decision) return null;
  return (
    <p className="warning small reverted" data-testid="reverted">
      Reverted by {decision.actor} at {new Date(decision.decidedAt).toLocaleTimeString()} — “{decision.reason}”
    </p>
  );
}

/**
 * "Mark as reverted…" on a step Tandem ran on its own: the associate or lead found it wrong and undid it by hand in the
 * target system. Tandem undoes nothing itself; it records the revert, and reverts count toward demoting the step.
 */
function RevertForm({ stepId }: { stepId: string }) {
  const { busy, revert } = useRun();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const box = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (open) box.current?.focus();
  }, [open]);
  if (!open)
    return (
      <div className="step-actions">
        <div className="actions">
          <button type="button" disabled={busy !== null} onClick={() => setOpen(true)}>
            Mark as reverted…
          </button>
        </div>
      </div>
    );
  return (
    <div className="step-actions">
      <form
        className="reason"
        aria-label="Mark as reverted"
        onSubmit={(e) => {
          e.preventDefault();
          if (!reason.trim()) return;
          void revert(stepId, reason).then((ok) => ok && setOpen(false));
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setOpen(false);
        }}
      >
        <p className="muted small">Tandem does not undo anything itself: undo it by hand in the system first (refund back, reply deleted), then record it here. Reverts count toward putting the step back to suggest.</p>
        <label>
          What was wrong, and what did you undo? The lead reads this.
          <input ref={box} value={reason} onChange={(e) => setReason(e.target.value)} required maxLength={2000} />
        </label>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy !== null || !reason.trim()}>
            Mark as reverted
          </button>
          <button type="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
