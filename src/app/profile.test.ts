import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppInfo, Decision } from '../contract/index.ts';
import { SMALL_WORKSPACE, tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { createApp, type App } from './create-app.ts';
import { checkName, readProfile } from './profile.ts';

describe('the associate’s name in the record', () => {
  let data: ReturnType<typeof tempDir>;
  let ws: ReturnType<typeof tempDir>;
  let app: App;
  const start = () => createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: 't', watchWorkspace: false });

  beforeEach(() => {
    data = tempDir();
    ws = tempDir();
    writeFiles(ws.path, SMALL_WORKSPACE);
    app = start();
  });
  afterEach(async () => {
    await app.settle();
    app.close();
    data.cleanup();
    ws.cleanup();
  });

  const value = async <T>(name: string, input: unknown = {}): Promise<T> => {
    const r = await app.invoke(name, input);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code, hint: r.error.hint });
    return r.value as T;
  };

  it('records the decisions that follow under the name set in Settings, and keeps it for the next start', async () => {
    const before = (await value<AppInfo>('app.info')).user;
    expect(before.length).toBeGreaterThan(0); // the OS account by default
    expect((await value<AppInfo>('app.setUser', { name: '  Ann Lee ' })).user).toBe('Ann Lee');
    const { triage } = await value<{ triage: { id: string; intent: string } }>('tickets.get', { id: 'files:A-1' });
    const d = await value<Decision>('triage.decide', { decisionId: randomUUID(), ticketId: 'files:A-1', triageId: triage.id, verdict: 'accepted', finalIntent: triage.intent });
    expect(d.actor).toBe('Ann Lee');
    expect(JSON.parse(readFileSync(join(data.path, 'profile.json'), 'utf8'))).toEqual({ name: 'Ann Lee' });
    await app.settle();
    app.close();
    app = start();
    expect((await value<AppInfo>('app.info')).user).toBe('Ann Lee');
  });

  it('refuses a name that is empty, too long, multi-line or Tandem’s own, and keeps the one it had', async () => {
    await value('app.setUser', { name: 'Ann Lee' });
    for (const [name, message] of [
      ['   ', /cannot be empty/],
      ['x'.repeat(81), /81 characters long; 80 is the most/],
      ['Ann\nLee', /line breaks/],
      ['tandem (auto)', /how the record names Tandem itself/],
    ] as const) {
      await expect(value('app.setUser', { name })).rejects.toMatchObject({ code: 'bad_input', message: expect.stringMatching(message) });
    }
    expect((await value<AppInfo>('app.info')).user).toBe('Ann Lee');
    expect(checkName('Zoë Ó Briain')).toBeNull();
  });

  it('falls back to the OS account when profile.json is unreadable or holds a bad name', () => {
    writeFileSync(join(data.path, 'profile.json'), '{ not json');
    expect(readProfile(data.path)).toEqual({});
    writeFileSync(join(data.path, 'profile.json'), JSON.stringify({ name: 'tandem (auto)' }));
    expect(readProfile(data.path)).toEqual({});
  });
});
