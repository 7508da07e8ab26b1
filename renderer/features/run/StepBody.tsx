// What a step card shows of a step: the exact preview of what it will send (or sent), what came back, and where a
// browser step stopped.
import type { RunStep } from '../../../src/contract/index.ts';
import { jsonWithMoney, paymentContext } from './money.ts';
import { useRun } from './store.ts';

export function StepScreenshot({ name }: { name: string }) {
  const { shots, loadShot } = useRun();
  if (!shots[name])
    return (
      <button type="button" className="link" onClick={() => void loadShot(name)}>
        Show where the browser stopped
      </button>
    );
  return <img className="step-shot" src={shots[name]} alt="The page where the browser step stopped" />;
}

export function StepBody({ step }: { step: RunStep }) {
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
          <pre>{jsonWithMoney(step.outputs, step.block === 'http' && paymentContext(shown as Record<string, unknown> | null))}</pre>
        </div>
      )}
    </>
  );
}

function formatInputs(block: string, inputs: unknown): string {
  if (block === 'browser' && inputs && typeof inputs === 'object' && Array.isArray((inputs as { actions?: unknown }).actions)) {
    const i = inputs as { connector?: string; actions: Record<string, unknown>[] };
    return [`In ${i.connector ?? 'the browser'}:`, ...i.actions.map((a, n) => `${n + 1}. ${describeAction(a)}`)].join('\n');
  }
  if (block === 'http' && inputs && typeof inputs === 'object') {
    const i = inputs as { connector?: string; method?: string; path?: string; query?: Record<string, unknown>; body?: unknown };
    const query = i.query ? `?${new URLSearchParams(Object.entries(i.query).map(([k, v]) => [k, String(v)])).toString()}` : '';
    return `${i.method ?? 'GET'} ${i.connector ?? ''} ${i.path ?? ''}${query}${i.body !== undefined ? `\n${jsonWithMoney(i.body, paymentContext(i))}` : ''}`;
  }
  return JSON.stringify(inputs, null, 2);
}

type Target = { role?: string; name?: string; label?: string; text?: string; placeholder?: string; selector?: string };

function describeTarget(t: Target | undefined): string {
  if (!t) return '?';
  if (t.role) return `${t.role} “${t.name ?? ''}”`;
  if (t.label) return `field “${t.label}”`;
  if (t.placeholder) return `field “${t.placeholder}”`;
  if (t.text) return `“${t.text}”`;
  return t.selector ?? '?';
}

/** A browser action in the words an associate would use. */
export function describeAction(a: Record<string, unknown>): string {
  if ('goto' in a) return `Open ${String(a.goto)}`;
  if ('fill' in a) {
    const f = a.fill as { target: Target; value: string; secret?: boolean };
    return `Type ${f.secret ? '••••••' : `“${f.value}”`} into ${describeTarget(f.target)}`;
  }
  if ('click' in a) return `Click ${describeTarget(a.click as Target)}`;
  if ('select' in a) {
    const f = a.select as { target: Target; value: string };
    return `Choose “${f.value}” in ${describeTarget(f.target)}`;
  }
  if ('check' in a) return `Tick ${describeTarget(a.check as Target)}`;
  if ('wait_for' in a) return `Wait for ${describeTarget(a.wait_for as Target)}`;
  if ('extract' in a) {
    const f = a.extract as { target: Target; into: string };
    return `Read ${describeTarget(f.target)} into ${f.into}`;
  }
  if ('screenshot' in a) return 'Take a screenshot';
  return JSON.stringify(a);
}
