// The open ticket's run: step verdicts sent to the core, one decision id per attempt so a retry never doubles a side effect.
import { create } from 'zustand';
import type { Run, StepVerdict } from '../../../src/contract/index.ts';
import { api, call, ApiError } from '../../api.ts';

type ErrorInfo = { message: string; hint?: string | undefined };

interface RunState {
  /** The ticket on screen: a run started for it in the background shows up as soon as it exists. */
  ticketId: string | null;
  run: Run | null;
  busy: string | null;
  error: ErrorInfo | null;
  /** When the current step was first shown, for time-to-decision. */
  shownAt: number;
  decisionId: string;
  set(run: Run | null): void;
  watch(ticketId: string, run: Run | null): void;
  start(ticketId: string, dryRun?: boolean): Promise<void>;
  decide(stepId: string, verdict: StepVerdict, extra?: { inputs?: Record<string, unknown>; reason?: string }): Promise<boolean>;
  supplyFields(fields: Record<string, unknown>): Promise<boolean>;
  /** Marks a step Tandem ran automatically as reverted (undone by hand in the target system), with the reason. */
  revert(stepId: string, reason: string): Promise<boolean>;
  /** Screenshots of where browser steps stopped, loaded on demand. */
  shots: Record<string, string>;
  loadShot(name: string): Promise<void>;
}

const asInfo = (err: unknown): ErrorInfo => ({ message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined });

export const useRun = create<RunState>((set, get) => ({
  ticketId: null,
  run: null,
  shots: {},
  async loadShot(name) {
    if (get().shots[name]) return;
    try {
      const { dataUrl } = await call('artifacts.screenshot', { name });
      set({ shots: { ...get().shots, [name]: dataUrl } });
    } catch (err) {
      set({ error: asInfo(err) });
    }
  },
  busy: null,
  error: null,
  shownAt: Date.now(),
  decisionId: crypto.randomUUID(),
  set(run) {
    set({ run, error: null, shownAt: Date.now(), decisionId: crypto.randomUUID() });
  },
  watch(ticketId, run) {
    if (get().ticketId !== ticketId || get().run?.id !== run?.id || (run && get().run?.updatedAt !== run.updatedAt)) {
      set({ ticketId });
      get().set(run);
    }
  },
  async start(ticketId, dryRun = false) {
    set({ busy: 'start', error: null });
    try {
      const run = await call('runs.start', { ticketId, dryRun });
      get().set(run);
    } catch (err) {
      set({ error: asInfo(err) });
    } finally {
      set({ busy: null });
    }
  },
  async supplyFields(fields) {
    const { run, busy } = get();
    if (!run || busy) return false;
    set({ busy: 'fields', error: null });
    try {
      get().set(await call('runs.fields', { runId: run.id, decisionId: crypto.randomUUID(), fields }));
      return true;
    } catch (err) {
      set({ error: asInfo(err) });
      return false;
    } finally {
      set({ busy: null });
    }
  },
  async revert(stepId, reason) {
    const { run, busy } = get();
    if (!run || busy) return false;
    set({ busy: `revert:${stepId}`, error: null });
    try {
      // The ticket's decisions hear of the revert through decision.recorded; the run comes back with the step's note.
      get().set(await call('runs.revert', { runId: run.id, stepId, decisionId: crypto.randomUUID(), reason: reason.trim() }));
      return true;
    } catch (err) {
      set({ error: asInfo(err) });
      return false;
    } finally {
      set({ busy: null });
    }
  },
  async decide(stepId, verdict, extra = {}) {
    const { run, decisionId, shownAt, busy } = get();
    if (!run || busy) return false;
    set({ busy: stepId, error: null });
    try {
      const next = await call('runs.decide', {
        runId: run.id,
        stepId,
        decisionId,
        verdict,
        ...(extra.inputs ? { inputs: extra.inputs } : {}),
        ...(extra.reason?.trim() ? { reason: extra.reason.trim() } : {}),
        decisionMs: Math.max(0, Date.now() - shownAt),
      });
      get().set(next);
      return true;
    } catch (err) {
      set({ error: asInfo(err) });
      return false;
    } finally {
      set({ busy: null });
    }
  },
}));

api.on('run.changed', ({ runId, ticketId }) => {
  const { run, ticketId: shown } = useRun.getState();
  if (run?.id !== runId && shown !== ticketId) return;
  void call('runs.get', { runId }).then(
    (fresh) => {
      if (useRun.getState().ticketId === fresh.ticketId) useRun.setState({ run: fresh });
    },
    () => undefined,
  );
});
