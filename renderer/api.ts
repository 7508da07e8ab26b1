// The renderer's one door to the core: window.tandem under Electron, the same API over HTTP in a browser.
import type { CommandInput, CommandName, CommandOutput, EventName, EventPayload, Result, TandemApi } from '../src/contract/index.ts';
import { createHostReachability } from './host-reachability.ts';

declare global {
  interface Window {
    tandem?: TandemApi;
  }
}

/** What a call says when the host cannot be reached; the app-level banner says it, views recognise it by this. */
export const HOST_UNREACHABLE = 'Tandem’s host is not answering.';

/** Whether an error a store kept is the host being unreachable (the banner says so; a view need not repeat it). */
export function isHostUnreachable(error: { message: string; code?: string | undefined } | null | undefined): boolean {
  return !!error && (error.code === 'offline' || error.message === HOST_UNREACHABLE);
}

interface HostHooks {
  /** A request or the event stream reached the host. */
  reached(): void;
  /** A request could not reach it, in the browser's words ("Failed to fetch"). */
  unreachable(detail: string): void;
  /** The event stream dropped: the host may be gone. */
  dropped(): void;
}

function httpApi(base: string, hooks: HostHooks): TandemApi {
  let source: EventSource | null = null;
  const handlers = new Map<string, Set<(payload: unknown) => void>>();
  const ensureSource = (event: string) => {
    if (!source) {
      source = new EventSource(`${base}/api/events`);
      source.addEventListener('open', () => hooks.reached());
      source.addEventListener('error', () => hooks.dropped());
    }
    if (!handlers.has(event)) {
      handlers.set(event, new Set());
      source.addEventListener(event, (e) => {
        const payload = JSON.parse((e as MessageEvent<string>).data) as unknown;
        for (const h of handlers.get(event) ?? []) h(payload);
      });
    }
    return handlers.get(event)!;
  };
  return {
    async invoke<K extends CommandName>(name: K, input: CommandInput<K>): Promise<Result<CommandOutput<K>>> {
      try {
        const res = await fetch(`${base}/api/${encodeURIComponent(name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(input),
        });
        const result = (await res.json()) as Result<CommandOutput<K>>;
        hooks.reached();
        return result;
      } catch (err) {
        hooks.unreachable((err as Error).message);
        return {
          ok: false,
          error: { code: 'offline', message: HOST_UNREACHABLE, hint: `Check that \`tandem serve\` is still running (${(err as Error).message}).` },
        };
      }
    },
    on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void) {
      const set = ensureSource(event);
      const h = handler as (payload: unknown) => void;
      set.add(h);
      return () => set.delete(h);
    },
  };
}

/** Whether the host answers, for the one banner that says so and the views that reload when it is back. */
export const hostReachability = createHostReachability(
  async () => {
    const r = await api.invoke('app.info', {});
    return r.ok || r.error.code !== 'offline';
  },
  { now: () => Date.now(), setTimeout: (fn, ms) => window.setTimeout(fn, ms), clearTimeout: (h) => window.clearTimeout(h as number) },
);

/** Under Electron the core is in the same app and always answers; over HTTP every call says whether it got through. */
export const api: TandemApi =
  window.tandem ??
  httpApi('', {
    reached: () => hostReachability.report(true),
    unreachable: (detail) => hostReachability.report(false, detail),
    // The stream drops the moment the host stops: ask now, so the banner does not wait for the next call to fail.
    dropped: () => {
      if (hostReachability.get().reachable) hostReachability.checkNow();
    },
  });

/** Unwraps a Result for store actions, which turn the error into state for the view. */
export class ApiError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  constructor(error: { code: string; message: string; hint?: string | undefined }) {
    super(error.message);
    this.code = error.code;
    this.hint = error.hint;
  }
}

export async function call<K extends CommandName>(name: K, input: CommandInput<K>): Promise<CommandOutput<K>> {
  const result = await api.invoke(name, input);
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}
