import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dirs.ts';
import { loadWorkspace } from './load.ts';
import { LlmSettingsSchema } from './schema.ts';
import { writeLlmSettings } from './write-settings.ts';

const YAML = '# Our team\nname: Team\ntriage:\n  # people first below this\n  escalate_below: 0.4\n';

describe('writing triage.llm to tandem.yaml', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
    writeFileSync(join(dir.path, 'tandem.yaml'), YAML);
  });
  afterEach(() => {
    chmodSync(dir.path, 0o755);
    dir.cleanup();
  });

  it('adds only what differs from the defaults, keeps the comments, and the loader reads it back', () => {
    writeLlmSettings(dir.path, LlmSettingsSchema.parse({ base_url: 'https://api.openai.com/v1', model: 'gpt-4o-mini', max_concurrency: 2 }));
    const text = readFileSync(join(dir.path, 'tandem.yaml'), 'utf8');
    expect(text).toContain('# Our team');
    expect(text).toContain('# people first below this');
    expect(text).toContain('max_concurrency: 2');
    expect(text).not.toContain('timeout_ms');
    expect(loadWorkspace(dir.path).settings.triage.llm).toMatchObject({ base_url: 'https://api.openai.com/v1', model: 'gpt-4o-mini', max_concurrency: 2, timeout_ms: 30_000 });
    writeLlmSettings(dir.path, null);
    expect(loadWorkspace(dir.path).settings.triage.llm).toBeUndefined();
  });

  it('refuses invalid settings and leaves the file as it was', () => {
    expect(() => writeLlmSettings(dir.path, { base_url: 'not a url', model: '' } as never)).toThrow(/not valid.*nothing was saved|not valid/i);
    expect(readFileSync(join(dir.path, 'tandem.yaml'), 'utf8')).toBe(YAML);
  });

  it('says so when the workspace folder is read-only', () => {
    chmodSync(dir.path, 0o555);
    let error: unknown;
    try {
      writeLlmSettings(dir.path, LlmSettingsSchema.parse({ base_url: 'http://127.0.0.1:1/v1', model: 'm' }));
    } catch (err) {
      error = err;
    }
    // root ignores permissions; then the write simply succeeds
    if (error) expect(error).toMatchObject({ code: 'workspace_invalid', message: expect.stringMatching(/cannot write .*tandem\.yaml/) });
    else expect(readFileSync(join(dir.path, 'tandem.yaml'), 'utf8')).toContain('model: m');
  });
});
