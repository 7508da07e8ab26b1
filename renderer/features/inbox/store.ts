// The inbox's state: the ticket list, the filter and the focused row; refreshed when the core says a ticket changed.
import { create } from 'zustand';
import type { TicketSummary } from '../../../src/contract/index.ts';
import { api, call, ApiError } from '../../api.ts';
import type { InboxFilter } from './selectors.ts';

interface InboxState {
  status: 'loading' | 'ready' | 'error';
  error: { message: string; hint?: string | undefined } | null;
  tickets: TicketSummary[];
  filter: InboxFilter;
  query: string;
  focused: number;
  refreshing: boolean;
  /** Sources that could not be read on the last refresh, with why. */
  sourceErrors: { source: string; message: string; hint?: string | undefined }[];
  load(): Promise<void>;
  refresh(): Promise<void>;
  setFilter(filter: InboxFilter): void;
  setQuery(query: string): void;
  focus(index: number): void;
}

export const useInbox = create<InboxState>((set, get) => ({
  status: 'loading',
  error: null,
  tickets: [],
  filter: 'all',
  query: '',
  focused: 0,
  refreshing: false,
  sourceErrors: [],
  async refresh() {
    if (get().refreshing) return;
    set({ refreshing: true });
    try {
      const { sources } = await call('tickets.refresh', {});
      set({ sourceErrors: sources.flatMap((s) => (s.error ? [{ source: s.source, message: s.error.message, hint: s.error.hint }] : [])) });
      await get().load();
    } catch (err) {
      set({ sourceErrors: [{ source: 'all', message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined }] });
    } finally {
      set({ refreshing: false });
    }
  },
  async load() {
    if (get().tickets.length === 0) set({ status: 'loading' });
    try {
      const tickets = await call('tickets.list', {});
      set({ status: 'ready', tickets, error: null });
    } catch (err) {
      set({ status: 'error', error: { message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined } });
    }
  },
  setFilter: (filter) => set({ filter, focused: 0 }),
  setQuery: (query) => set({ query, focused: 0 }),
  focus: (index) => set({ focused: Math.max(0, index) }),
}));

api.on('ticket.changed', ({ ticketId, state }) =>
  useInbox.setState((s) => ({ tickets: s.tickets.map((t) => (t.id === ticketId ? { ...t, state } : t)) })),
);

// A source read in the background (at start, or by another window) refreshes the list.
api.on('queue.synced', ({ source, imported, error }) => {
  useInbox.setState((s) => ({
    sourceErrors: [...s.sourceErrors.filter((e) => e.source !== source), ...(error ? [{ source, message: error.message, hint: error.hint }] : [])],
  }));
  if (imported > 0) void useInbox.getState().load();
});

// The model finished reading a ticket in the background: its intent and confidence in the list are new.
api.on('triage.progress', ({ pending, running }) => {
  if (pending + running === 0) void useInbox.getState().load();
});
