// Which model triage uses: the workspace's `triage.llm`, or a host override (TANDEM_LLM_BASE_URL / TANDEM_LLM_MODEL
// for a demo or a test server); whether it needs a key (a server on this machine does not).
import { TandemError } from '../../domain/errors.ts';
import { LlmSettingsSchema, type LlmSettings } from '../../workspace/schema.ts';

/** Where the API key lives in the keychain (the same vault as connector secrets). */
export const LLM_KEY = 'triage.llm.api_key';

export type LlmOverride = Partial<LlmSettings> & { base_url: string };

/** Reads the override from a host's environment; null when unset. */
export function llmOverrideFrom(env: Record<string, string | undefined>): LlmOverride | null {
  const base = env.TANDEM_LLM_BASE_URL?.trim();
  if (!base) return null;
  return { base_url: base, ...(env.TANDEM_LLM_MODEL?.trim() ? { model: env.TANDEM_LLM_MODEL.trim() } : {}) };
}

/** The settings in force: the override on top of the workspace's (the model defaults to the workspace's, or "tandem-test"). */
export function effectiveLlmSettings(fromWorkspace: LlmSettings | undefined, override: LlmOverride | null | undefined): LlmSettings | null {
  if (!override) return fromWorkspace ?? null;
  const r = LlmSettingsSchema.safeParse({ ...(fromWorkspace ?? {}), model: fromWorkspace?.model ?? 'tandem-test', ...override });
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new TandemError('bad_input', `The model override (TANDEM_LLM_BASE_URL / TANDEM_LLM_MODEL) is not valid: ${issue?.path.join('.')}: ${issue?.message}.`, {
      hint: 'Give a full URL such as http://127.0.0.1:8787/v1, or unset TANDEM_LLM_BASE_URL to use the workspace’s settings.',
    });
  }
  return r.data;
}

/** A server on this machine (Ollama, LM Studio, vLLM, the test server) needs no key. */
export function needsKey(settings: LlmSettings): boolean {
  try {
    const host = new URL(settings.base_url).hostname;
    return !(host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1');
  } catch {
    return true;
  }
}
