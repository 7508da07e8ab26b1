// Preload (sandboxed): exposes exactly the typed Tandem API to the renderer, nothing else of Electron.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CommandInput, CommandName, CommandOutput, EventName, EventPayload, Result, TandemApi } from '../src/contract/index.ts';

export const INVOKE_CHANNEL = 'tandem:invoke';
export const EVENT_CHANNEL = 'tandem:event';

const api = {
  invoke<K extends CommandName>(name: K, input: CommandInput<K>): Promise<Result<CommandOutput<K>>> {
    return ipcRenderer.invoke(INVOKE_CHANNEL, name, input) as Promise<Result<CommandOutput<K>>>;
  },
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void {
    const listener = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) handler(payload as EventPayload<E>);
    };
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.off(EVENT_CHANNEL, listener);
    };
  },
} satisfies TandemApi;

contextBridge.exposeInMainWorld('tandem', api);
