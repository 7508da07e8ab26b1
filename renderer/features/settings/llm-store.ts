// Settings → Triage: the model triage asks (saved in tandem.yaml) and its API key (sent once to the keychain, never read back).
import { create } from 'zustand';
import type { LlmSettingsInput, TriageStatus } from '../../../src/contract/index.ts';
import { call, ApiError } from '../../api.ts';

type ErrorInfo = { message: string; hint?: string | undefined };

interface LlmState {
  status: 'loading' | 'ready' | 'error';
  value: TriageStatus | null;
  error: ErrorInfo | null;
  busy: boolean;
  load(): Promise<void>;
  save(llm: LlmSettingsInput | null): Promise<boolean>;
  setKey(value: string): Promise<boolean>;
  deleteKey(): Promise<void>;
}

const asInfo = (err: unknown): ErrorInfo => ({ message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined });

export const useLlmSettings = create<LlmState>((set) => {
  async function act(work: () => Promise<TriageStatus>): Promise<boolean> {
    set({ busy: true, error: null });
    try {
      set({ value: await work(), status: 'ready' });
      return true;
    } catch (err) {
      set({ error: asInfo(err) });
      return false;
    } finally {
      set({ busy: false });
    }
  }
  return {
    status: 'loading',
    value: null,
    error: null,
    busy: false,
    async load() {
      try {
        set({ status: 'ready', value: await call('triage.status', {}), error: null });
      } catch (err) {
        set({ status: 'error', error: asInfo(err) });
      }
    },
    save: (llm) => act(() => call('triage.setLlm', { llm })),
    setKey: (value) => act(() => call('triage.setLlmKey', { value })),
    deleteKey: async () => void (await act(() => call('triage.deleteLlmKey', {}))),
  };
});
