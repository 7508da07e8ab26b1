// Changes tandem.yaml's `triage.llm` from Settings: edits the YAML document (comments elsewhere kept), checks the
// result against the schema before anything is written, and replaces the file in one rename.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { TandemError } from '../domain/errors.ts';
import { SettingsSchema, type LlmSettings } from './schema.ts';

export const SETTINGS_FILE = 'tandem.yaml';

export function writeLlmSettings(root: string, llm: LlmSettings | null): void {
  const file = join(root, SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TandemError('workspace_missing', `${file} cannot be read, so the model settings cannot be saved.`, { cause: err });
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new TandemError('workspace_invalid', `${file} is not valid YAML; fix it before changing settings from Tandem.`);
  if (llm) doc.setIn(['triage', 'llm'], doc.createNode(stripDefaults(llm)));
  else if (doc.hasIn(['triage', 'llm'])) doc.deleteIn(['triage', 'llm']);
  const checked = SettingsSchema.safeParse(doc.toJS());
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new TandemError('bad_input', `These model settings are not valid: ${issue?.path.join('.')}: ${issue?.message}.`, { hint: 'Nothing was saved; correct the value and save again.' });
  }
  const tmp = `${file}.tandem-tmp`;
  try {
    writeFileSync(tmp, doc.toString());
    renameSync(tmp, file);
  } catch (err) {
    throw new TandemError('workspace_invalid', `Tandem cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); the model settings were not saved.`, {
      hint: 'The workspace folder is read-only: copy it somewhere writable and open that, or set triage.llm in tandem.yaml by hand.',
      cause: err,
    });
  }
}

/** Only what differs from the defaults goes into the file, so it stays short and readable. */
function stripDefaults(llm: LlmSettings): Record<string, unknown> {
  const defaults: Record<string, unknown> = { timeout_ms: 30_000, max_concurrency: 4, cascade_above: 0.85, redact_pii: true, few_shot: 4, stream: false, price_per_1k_input: 0, price_per_1k_output: 0 };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(llm)) if (v !== undefined && defaults[k] !== v) out[k] = v;
  return out;
}
