// A second helpdesk shaped unlike Zendesk (refs-only list, text behind a thread call, base64) added with one YAML file: the example workspace against the demo's Casebook.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startSandbox, type Sandbox } from '../../../resources/sandbox/index.ts';
import { createApp } from '../../app/create-app.ts';
import { tempDir } from '../../testing/temp-dirs.ts';
import { createMemoryStore } from '../../vault/secret-store.ts';
import { loadWorkspace } from '../../workspace/load.ts';
import { secretKey } from '../http/http-client.ts';
import { sourceOperation, syncHttpSource, type CursorStore, type SourceEnv } from './source-runtime.ts';

const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'resources', 'examples', 'casebook-workspace');
const TRAIN = join(import.meta.dirname, '..', '..', '..', 'resources', 'demo-workspace', 'tickets', 'train.yaml');

function memoryCursors(): CursorStore {
  const rows = new Map<string, { since: string; definition: string }>();
  return { get: (s) => rows.get(s) ?? null, set: (s, c) => void rows.set(s, { since: c.since, definition: c.definition }) };
}

describe('Casebook through sources/casebook.yaml', { timeout: 30_000 }, () => {
  let sandbox: Sandbox;
  let env: SourceEnv;
  const workspace = loadWorkspace(EXAMPLE);
  const source = workspace.httpSources[0]!;
  const vault = createMemoryStore(null);

  beforeAll(async () => {
    sandbox = await startSandbox();
    await vault.set(secretKey('casebook', 'api_key'), sandbox.systems.casebook.credentials.api_key!);
    env = { connectors: workspace.connectors, sandbox: { casebook: sandbox.systems.casebook.baseUrl }, http: { vault } };
  });
  afterAll(() => sandbox?.stop());

  it('loads as a workspace without a single problem', () => {
    expect(workspace.problems).toEqual([]);
    expect(source).toMatchObject({ id: 'casebook', connector: 'casebook', origin: 'sources/casebook.yaml' });
  });

  it('follows refs to each case and its thread, decodes the text, and pages by cursor', async () => {
    const read = await syncHttpSource(source, env, memoryCursors(), () => 1);
    expect(read.problems).toEqual([]);
    expect(read.pages).toBe(3); // 25 cases, 10 a page
    expect(read.tickets).toHaveLength(25);
    const train = (parse(readFileSync(TRAIN, 'utf8')) as { tickets: { subject: string; body: string; requester: { name: string; email: string }; channel: string }[] }).tickets;
    read.tickets.forEach((t) => {
      const i = Number(t.externalId.slice(3)) - 1001;
      expect(t).toMatchObject({ subject: train[i]!.subject, body: train[i]!.body, requester: train[i]!.requester, channel: train[i]!.channel });
    });
  });

  it('reads only changed cases next time; a reply round-trips UTF-8 through base64; a closed case leaves the queue', async () => {
    const cursors = memoryCursors();
    (await syncHttpSource(source, env, cursors, () => 1)).commit();
    const nothing = await syncHttpSource(source, env, cursors, () => 2);
    expect(nothing.tickets).toEqual([]);

    const ticket = { id: 'casebook:CB-1003', external_id: 'CB-1003', subject: 's', requester: { name: 'n', email: 'n@example.com' } };
    const text = 'Grüße — your refund of €12.50 is on its way ✓';
    const reply = await sourceOperation(source, 'reply', { ticket, body: text }, env);
    const note = await sourceOperation(source, 'note', { ticket, body: 'Carrier confirmed loss.' }, env);
    expect(reply.comment_id).toMatch(/^e\d+$/);
    expect(note.comment_id).not.toBe(reply.comment_id);
    const audit = sandbox.audit('casebook');
    expect(audit.map((e) => [e.action, e.detail.text])).toEqual([
      ['case.reply', text],
      ['case.note', 'Carrier confirmed loss.'],
    ]);
    const changed = await syncHttpSource(source, env, cursors, () => 3);
    expect(changed.tickets.map((t) => t.externalId)).toEqual(['CB-1003']);
    changed.commit();

    expect(await sourceOperation(source, 'set_status', { ticket, status: 'solved' }, env)).toEqual({ status: 'closed' });
    const closed = await syncHttpSource(source, env, cursors, () => 4);
    expect(closed.tickets).toEqual([]);
    expect(closed.pages).toBe(1);
  });

  it('imports into the queue through the app, and a wrong key says where to fix it', async () => {
    const dir = tempDir();
    try {
      const app = createApp({ dataDir: dir.path, workspaceDir: EXAMPLE, host: 'headless', version: 't', vault, sandbox: { casebook: sandbox.systems.casebook.baseUrl } });
      const [first] = await app.sync();
      expect(first).toMatchObject({ source: 'casebook', error: null });
      expect(first!.imported).toBeGreaterThanOrEqual(24); // CB-1003 may have been closed by the test before
      app.close();

      const wrong = createMemoryStore(null);
      await wrong.set(secretKey('casebook', 'api_key'), 'cb_wrong');
      const app2 = createApp({ dataDir: dir.path, workspaceDir: EXAMPLE, host: 'headless', version: 't', vault: wrong, sandbox: { casebook: sandbox.systems.casebook.baseUrl } });
      const [denied] = await app2.sync();
      expect(denied!.error).toMatchObject({ code: 'connector_auth', hint: expect.stringContaining('Settings → Connections → Casebook') });
      app2.close();
    } finally {
      dir.cleanup();
    }
  });
});
