// The run as step cards: state, the exact preview of what a step will send, outputs, errors and who decided;
// Enter accept, E edit, S skip, H by hand, X escalate on the current step.
import { useEffect, useRef, useState } from 'react';
import type { Decision, Run, RunStep } from '../../../src/contract/index.ts';
import { ErrorState } from '../../components/StateView.tsx';
import { actionable, currentStep, RUN_STATE_LABEL, STEP_STATE_LABEL } from './selectors.ts';
import { useRun } from './store.ts';

type Mode = { kind: 'idle' } | { kind: 'edit'; text: string; problem: string | null } | { kind: 'reason'; verdict: 'skipped' | 'escalated' };

export function RunPanel({ run, decisions }: { run: Run; decisions: Decision[] }) {
  const { busy, error, decide } = useRun();
  const current = currentStep(run);
  const [mode, setMode] = useState<Mode>({ kind: 'idle' });
  const [reason, setReason] = useState('');
  const editor = useRef<HTMLTextAreaElement>(null);
  const reasonBox = useRef<HTMLInputElement>(null);

  useEffect(() => {
    setMode({ kind: 'idle' });
    setReason('');
  }, [current?.stepId, current?.state]);

  useEffect(() => {
    if (mode.kind === 'edit') editor.current?.focus();
    if (mode.kind === 'reason') reasonBox.current?.focus();
  }, [mode.kind]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!actionable(current) || busy || mode.kind !== 'idle') return;
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLButtonElement) return;
      const step = current!;
      if (e.key === 'Enter') void decide(step.stepId, 'accepted');
      else if (e.key === 'e' && step.block !== 'manual') setMode({ kind: 'edit', text: JSON.stringify(step.inputs ?? step.suggested ?? {}, null, 2), problem: null });
      else if (e.key === 's') setMode({ kind: 'reason', verdict: 'skipped' });
      else if (e.key === 'h') void decide(step.stepId, 'manual');
      else if (e.key === 'x') setMode({ kind: 'reason', verdict: 'escalated' });
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [current, busy, mode.kind, decide]);

  const submitEdit = () => {
    if (mode.kind !== 'edit' || !current) return;
    let inputs: Record<string, unknown>;
    try {
      inputs = JSON.parse(mode.text) as Record<string, unknown>;
      if (!inputs || typeof inputs !== 'object' || Array.isArray(inputs)) throw new Error('the inputs must be an object');
    } catch (err) {
      setMode({ ...mode, problem: `Not valid JSON: ${(err as Error).message}` });
      return;
    }
    void decide(current.stepId, 'edited', { inputs });
  };

  return (
    <section className="panel run" aria-label="Run">
      <h2>
        {run.dryRun ? 'Dry run' : 'Process'} · {run.mapId} v{run.mapVersion} · <span className={`run-state run-${run.state}`}>{RUN_STATE_LABEL[run.state]}</span>
      </h2>
      {run.escalation && (
        <p className="warning" role="alert">
          Escalated: {run.escalation}
        </p>
      )}
      <ol className="steps">
        {run.steps.map((step) => (
          <li key={step.stepId} className={`step step-${step.state}${step.stepId === current?.stepId ? ' current' : ''}`} data-step-id={step.stepId} aria-current={step.stepId === current?.stepId ? 'step' : undefined}>
            <div className="step-head">
              <span className="step-title">{step.title}</span>
              <span className="step-block">{step.block}{step.mode !== 'suggest' ? ` · ${step.mode}` : ''}</span>
              <span className="step-state">{STEP_STATE_LABEL[step.state]}</span>
            </div>
            {step.note && <p className="muted small">{step.note}</p>}
            <StepBody step={step} />
            {step.error && <ErrorState message={step.error.message} hint={step.error.hint} />}
            <DecidedBy decision={decisions.find((d) => d.runId === run.id && d.stepId === step.stepId && d.kind !== 'triage')} />
            {step.stepId === current?.stepId && actionable(step) && (
              <div className="step-actions">
                {mode.kind === 'edit' ? (
                  <div className="edit">
                    <label>
                      Inputs (JSON): change a value, then run it as edited
                      <textarea ref={editor} rows={8} value={mode.text} onChange={(e) => setMode({ ...mode, text: e.target.value, problem: null })} />
                    </label>
                    {mode.problem && <p className="warning">{mode.problem}</p>}
                    <div className="actions">
                      <button type="button" className="primary" disabled={busy !== null} onClick={submitEdit}>
                        Run as edited
                      </button>
                      <button type="button" onClick={() => setMode({ kind: 'idle' })}>
                        Cancel
                      </button>
                    </div>
                  </div>
                ) : mode.kind === 'reason' ? (
                  <form
                    className="reason"
                    onSubmit={(e) => {
                      e.preventDefault();
                      void decide(step.stepId, mode.verdict, { reason });
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
                    <button type="button" className="primary" disabled={busy !== null} onClick={() => void decide(step.stepId, 'accepted')}>
                      {step.block === 'manual' ? 'Done' : step.state === 'uncertain' || step.state === 'failed' ? 'Run again' : 'Accept'} <kbd>Enter</kbd>
                    </button>
                    {step.block !== 'manual' && (
                      <button type="button" disabled={busy !== null} onClick={() => setMode({ kind: 'edit', text: JSON.stringify(step.inputs ?? step.suggested ?? {}, null, 2), problem: null })}>
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
      {error && <ErrorState message={error.message} hint={error.hint} />}
    </section>
  );
}

function StepBody({ step }: { step: RunStep }) {
  const shown = step.inputs ?? step.suggested;
  if (step.block === 'manual' && shown && typeof shown === 'object') return <p className="instructions">{String((shown as { instructions?: unknown }).instructions ?? '')}</p>;
  if (step.block === 'reply' && shown && typeof shown === 'object') {
    const r = shown as { body?: unknown; public?: unknown };
    return (
      <div className="preview">
        <span className="muted small">{r.public === false ? 'Internal note' : 'Public reply'} to the customer</span>
        <pre>{String(r.body ?? '')}</pre>
      </div>
    );
  }
  return (
    <>
      {shown !== null && shown !== undefined && (
        <div className="preview">
          <span className="muted small">{step.state === 'done' ? 'Sent' : 'Will send'}</span>
          <pre>{formatInputs(step.block, shown)}</pre>
        </div>
      )}
      {step.outputs !== null && step.outputs !== undefined && Object.keys(step.outputs as object).length > 0 && (
        <div className="preview">
          <span className="muted small">Came back</span>
          <pre>{JSON.stringify(step.outputs, null, 2)}</pre>
        </div>
      )}
    </>
  );
}

function formatInputs(block: string, inputs: unknown): string {
  if (block === 'http' && inputs && typeof inputs === 'object') {
    const i = inputs as { connector?: string; method?: string; path?: string; query?: Record<string, unknown>; body?: unknown };
    const query = i.query ? `?${new URLSearchParams(Object.entries(i.query).map(([k, v]) => [k, String(v)])).toString()}` : '';
    return `${i.method ?? 'GET'} ${i.connector ?? ''} ${i.path ?? ''}${query}${i.body !== undefined ? `\n${JSON.stringify(i.body, null, 2)}` : ''}`;
  }
  return JSON.stringify(inputs, null, 2);
}

function DecidedBy({ decision }: { decision: Decision | undefined }) {
  if (!decision) return null;
  return (
    <p className="muted small decided">
      {decision.verdict} by {decision.actor} at {new Date(decision.decidedAt).toLocaleTimeString()}
      {decision.reason ? ` — “${decision.reason}”` : ''}
    </p>
  );
}
