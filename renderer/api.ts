// The renderer's one door to the core: window.tandem under Electron, the same API over HTTP in a browser.
import type { CommandInput, CommandName, CommandOutput, EventName, EventPayload, Result, TandemApi } from '../src/contract/index.ts';

declare global {
  interface Window {
    tandem?: TandemApi;
  }
}

function httpApi(base = ''): TandemApi {
  let source: EventSource | null = null;
  const handlers = new Map<string, Set<(payload: unknown) => void>>();
  const ensureSource = (event: string) => {
    source ??= new EventSource(`${base}/api/events`);
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
        return (await res.json()) as Result<CommandOutput<K>>;
      } catch (err) {
        return {
          ok: false,
          error: { code: 'offline', message: 'Tandem’s host is not answering.', hint: `Check that \`tandem serve\` is still running (${(err as Error).message}).` },
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

export const api: TandemApi = window.tandem ?? httpApi();

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
