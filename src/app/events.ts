// A typed in-process event bus for the contract's events; hosts subscribe and forward to their UI.
import type { EventName, EventPayload } from '../contract/index.ts';

type Listener<E extends EventName> = (payload: EventPayload<E>) => void;

export interface EventBus {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  on<E extends EventName>(event: E, listener: Listener<E>): () => void;
  /** Every event, for hosts that forward them all (SSE, IPC). */
  onAny(listener: (event: EventName, payload: unknown) => void): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const any = new Set<(event: EventName, payload: unknown) => void>();
  return {
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
      for (const l of any) l(event, payload);
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    onAny(listener) {
      any.add(listener);
      return () => any.delete(listener);
    },
  };
}
