// The Maps screen and the builder: the list, the draft being edited, its live check, tries, the save with its diff,
// and a recording in progress. Actions talk to the core through api.ts only.
import { create } from 'zustand';
import type { DryRunResult, HistoryReplay, MapCheck, MapDraft, MapSave, MapSummary, Recording, TicketSummary } from '../../../src/contract/index.ts';
import { api, call, ApiError } from '../../api.ts';
import type { Draft } from './selectors.ts';

type ErrorInfo = { message: string; hint?: string | undefined; code?: string };
const asInfo = (err: unknown): ErrorInfo => ({ message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined, ...(err instanceof ApiError ? { code: err.code } : {}) });

interface MapsState {
  list: { status: 'loading' | 'ready' | 'error'; maps: MapSummary[]; error: ErrorInfo | null };
  loadList(): Promise<void>;

  opened: MapDraft | null;
  draft: Draft | null;
  dirty: boolean;
  openError: ErrorInfo | null;
  check: MapCheck | null;
  open(mapId: string): Promise<void>;
  edit(draft: Draft): void;

  tickets: TicketSummary[];
  ticketId: string | null;
  chooseTicket(id: string): void;
  tryResult: DryRunResult | null;
  history: HistoryReplay | null;
  busy: string | null;
  error: ErrorInfo | null;
  tryIt(): Promise<void>;
  tryHistory(limit: number): Promise<void>;

  preview: MapSave | null;
  notice: string | null;
  reviewSave(): Promise<void>;
  /** Writes the previewed change; `reason` is required when it changes a step's mode (recorded as a promotion). */
  confirmSave(reason?: string): Promise<void>;
  cancelSave(): void;

  recording: (Recording & { stepIndex: number }) | null;
  startRecording(stepIndex: number, connectorId: string, path: string): Promise<void>;
  pollRecording(): Promise<void>;
  stopRecording(): Promise<Record<string, unknown>[] | null>;
}

let checkSeq = 0;
/** The newest check in flight, so a save asked for while the draft is still being checked waits for its answer. */
let checking: Promise<void> = Promise.resolve();

export const useMaps = create<MapsState>((set, get) => ({
  list: { status: 'loading', maps: [], error: null },
  async loadList() {
    try {
      set({ list: { status: 'ready', maps: await call('maps.list', {}), error: null } });
    } catch (err) {
      set({ list: { status: 'error', maps: [], error: asInfo(err) } });
    }
  },

  opened: null,
  draft: null,
  dirty: false,
  openError: null,
  check: null,
  async open(mapId) {
    set({ opened: null, draft: null, openError: null, check: null, tryResult: null, history: null, preview: null, notice: null, error: null, dirty: false });
    try {
      const [opened, tickets] = await Promise.all([call('maps.open', { mapId }), call('tickets.list', {})]);
      set({ opened, draft: opened.value, tickets, ticketId: get().ticketId ?? tickets.find((t) => t.intent === mapId)?.id ?? tickets[0]?.id ?? null });
      await runCheck(opened.value);
    } catch (err) {
      set({ openError: asInfo(err) });
    }
  },
  edit(draft) {
    set({ draft, dirty: true, preview: null, notice: null });
    void runCheck(draft);
  },

  tickets: [],
  ticketId: null,
  chooseTicket(id) {
    set({ ticketId: id, tryResult: null });
  },
  tryResult: null,
  history: null,
  busy: null,
  error: null,
  async tryIt() {
    const { draft, ticketId } = get();
    if (!draft || !ticketId) return;
    set({ busy: 'try', error: null });
    try {
      set({ tryResult: await call('maps.tryIt', { value: draft, ticketId }) });
    } catch (err) {
      set({ error: asInfo(err), tryResult: null });
    } finally {
      set({ busy: null });
    }
  },
  async tryHistory(limit) {
    const { draft } = get();
    if (!draft) return;
    set({ busy: 'history', error: null });
    try {
      set({ history: await call('maps.tryHistory', { value: draft, limit }) });
    } catch (err) {
      set({ error: asInfo(err), history: null });
    } finally {
      set({ busy: null });
    }
  },

  preview: null,
  notice: null,
  async reviewSave() {
    // Ctrl+S right after an edit must not be lost (nor save a draft with problems): wait for the newest check.
    for (let seen = -1; seen !== checkSeq; ) {
      seen = checkSeq;
      await checking;
    }
    const { draft, opened, check } = get();
    if (!draft || !opened || !check || check.issues.length > 0) return;
    set({ busy: 'save', error: null });
    try {
      set({ preview: await call('maps.save', { mapId: opened.mapId, value: draft, baseHash: opened.hash }) });
    } catch (err) {
      set({ error: asInfo(err) });
    } finally {
      set({ busy: null });
    }
  },
  async confirmSave(reason) {
    const { draft, opened } = get();
    if (!draft || !opened) return;
    set({ busy: 'save', error: null });
    try {
      const saved = await call('maps.save', { mapId: opened.mapId, value: draft, baseHash: opened.hash, confirm: true, ...(reason?.trim() ? { reason: reason.trim() } : {}) });
      const reopened = await call('maps.open', { mapId: opened.mapId });
      set({ opened: reopened, draft: reopened.value, dirty: false, preview: null, notice: `Saved ${saved.file} as version ${saved.version}.` });
      await runCheck(reopened.value);
      void get().loadList();
    } catch (err) {
      set({ error: asInfo(err), preview: null });
    } finally {
      set({ busy: null });
    }
  },
  cancelSave() {
    set({ preview: null });
  },

  recording: null,
  async startRecording(stepIndex, connectorId, path) {
    set({ busy: 'record', error: null });
    try {
      const r = await call('maps.recordStart', { connectorId, path });
      set({ recording: { ...r, stepIndex } });
    } catch (err) {
      set({ error: asInfo(err) });
    } finally {
      set({ busy: null });
    }
  },
  async pollRecording() {
    const r = get().recording;
    if (!r) return;
    try {
      const next = await call('maps.recordPoll', { sessionId: r.sessionId });
      if (get().recording?.sessionId === r.sessionId) set({ recording: { ...next, stepIndex: r.stepIndex } });
    } catch (err) {
      set({ error: asInfo(err), recording: null });
    }
  },
  async stopRecording() {
    const { recording, draft, ticketId } = get();
    if (!recording || !draft) return null;
    set({ busy: 'record', error: null });
    try {
      const out = await call('maps.recordStop', { sessionId: recording.sessionId, value: draft, stepIndex: recording.stepIndex, ...(ticketId ? { ticketId } : {}) });
      set({ recording: null, notice: out.skipped.length ? `Not recorded: ${out.skipped.join('; ')}.` : null });
      return out.actions;
    } catch (err) {
      set({ error: asInfo(err), recording: null });
      return null;
    } finally {
      set({ busy: null });
    }
  },
}));

/** Checks the draft in the core; only the newest answer counts when edits come faster than answers. */
function runCheck(value: Draft): Promise<void> {
  const seq = ++checkSeq;
  checking = (async () => {
    try {
      const check = await call('maps.check', { value });
      if (seq === checkSeq) useMaps.setState({ check });
    } catch (err) {
      if (seq === checkSeq) useMaps.setState({ error: asInfo(err) });
    }
  })();
  return checking;
}

api.on('workspace.problems', () => void useMaps.getState().loadList());
