// The Zendesk preset, a YAML source definition and no code, against the demo helpdesk: pages, updated-since, 429, reply, note, status.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../resources/sandbox/index.ts';
import { createMemoryStore } from '../../vault/secret-store.ts';
import { HttpConnectorSchema } from '../../workspace/schema.ts';
import { PRESETS_DIR, readSourceDefinition, type HttpSource } from '../../workspace/sources.ts';
import { secretKey } from '../http/http-client.ts';
import { syncHttpSource, sourceOperation, type CursorStore, type SourceEnv } from './source-runtime.ts';

function memoryCursors(): CursorStore & { rows: Map<string, { since: string; definition: string }> } {
  const rows = new Map<string, { since: string; definition: string }>();
  return { rows, get: (s) => rows.get(s) ?? null, set: (s, c) => void rows.set(s, { since: c.since, definition: c.definition }) };
}

function zendeskSource(): HttpSource {
  const read = readSourceDefinition(join(PRESETS_DIR, 'zendesk.yaml'), 'preset zendesk');
  if (!read.ok) throw new Error(JSON.stringify(read.problems));
  return { id: 'helpdesk', connector: 'helpdesk', definition: read.value, origin: 'preset zendesk' };
}

async function envFor(sandbox: Sandbox, extra: { sleep?: (ms: number) => Promise<void> } = {}): Promise<SourceEnv> {
  const vault = createMemoryStore(null);
  await vault.set(secretKey('helpdesk', 'api_token'), sandbox.systems.helpdesk.credentials.api_token!);
  const connector = HttpConnectorSchema.parse({
    id: 'helpdesk',
    title: 'Helpdesk',
    type: 'http',
    base_url: sandbox.systems.helpdesk.baseUrl,
    auth: { type: 'zendesk_token', email: sandbox.systems.helpdesk.credentials.email, secret: 'api_token' },
  });
  return { connectors: [connector], sandbox: {}, http: { vault, ...(extra.sleep ? { sleep: extra.sleep } : {}) } };
}

describe('Zendesk preset against the demo helpdesk', { timeout: 30_000 }, () => {
  let sandbox: Sandbox;
  let env: SourceEnv;
  const source = zendeskSource();
  beforeAll(async () => {
    sandbox = await startSandbox();
    env = await envFor(sandbox);
  });
  afterAll(() => sandbox?.stop());

  it('reads every open ticket across pages, with requesters and channels, and keeps the latest change as the cursor', async () => {
    const cursors = memoryCursors();
    const read = await syncHttpSource(source, env, cursors, () => 1);
    // 220 seeded tickets at 100 a page: three pages, every one read.
    expect(read.pages).toBe(3);
    expect(read.problems).toEqual([]);
    expect(read.tickets).toHaveLength(220);
    const t = read.tickets.find((x) => x.externalId === '1101')!;
    expect(t).toMatchObject({ subject: 'Moving overseas', requester: { name: 'Grace Thompson', email: 'grace.thompson@example.net' }, channel: 'email' });
    expect(t.body).toContain('Please send order 106361');
    expect(new Set(read.tickets.map((x) => x.channel))).toEqual(new Set(['email', 'chat', 'web', 'phone']));
    const latest = Math.max(...read.tickets.map((x) => x.createdAt));
    expect(read.since).toBe(new Date(latest).toISOString());
    expect(cursors.rows.size).toBe(0); // nothing is kept before the tickets are stored
    read.commit();
    expect(cursors.rows.get('helpdesk')?.since).toBe(read.since);
  });

  it('reads only what changed since the last sync, and drops tickets that were solved meanwhile', async () => {
    const cursors = memoryCursors();
    (await syncHttpSource(source, env, cursors, () => 1)).commit();
    const again = await syncHttpSource(source, env, cursors, () => 2);
    // The start time is inclusive: only the latest ticket(s) come back, not the 220.
    expect(again.tickets.length).toBeLessThanOrEqual(2);
    expect(again.pages).toBe(1);

    const ticket = { id: 'helpdesk:1005', external_id: '1005', subject: 's', requester: { name: 'n', email: 'n@example.com' } };
    await sourceOperation(source, 'reply', { ticket, body: 'Refund is on its way.' }, env);
    const afterReply = await syncHttpSource(source, env, cursors, () => 3);
    expect(afterReply.tickets.map((x) => x.externalId)).toContain('1005');
    afterReply.commit();
    await sourceOperation(source, 'set_status', { ticket, status: 'solved' }, env);
    const afterSolve = await syncHttpSource(source, env, cursors, () => 4);
    expect(afterSolve.tickets.map((x) => x.externalId)).not.toContain('1005');
    expect(afterSolve.problems).toEqual([]);
  });

  it('posts a public reply, an internal note and a status change, each where Zendesk expects it', async () => {
    const before = sandbox.audit('helpdesk').length;
    const ticket = { id: 'helpdesk:1010', external_id: '1010', subject: 's', requester: { name: 'n', email: 'n@example.com' } };
    const reply = await sourceOperation(source, 'reply', { ticket, body: 'Hello from Tandem' }, env);
    const note = await sourceOperation(source, 'note', { ticket, body: 'Checked the order: delivered.' }, env);
    const status = await sourceOperation(source, 'set_status', { ticket, status: 'pending' }, env);
    expect(typeof reply.comment_id).toBe('number');
    expect(note.comment_id).not.toBe(reply.comment_id);
    expect(status).toEqual({ status: 'pending' });
    const audit = sandbox.audit('helpdesk').slice(before);
    expect(audit.map((e) => [e.action, e.target])).toEqual([
      ['ticket.reply', 'ticket:1010'],
      ['ticket.note', 'ticket:1010'],
      ['ticket.status', 'ticket:1010'],
    ]);
    expect(audit[1]!.detail).toMatchObject({ body: 'Checked the order: delivered.' });
  });

  it('names the ticket a reply could not find', async () => {
    const ticket = { id: 'helpdesk:999', external_id: '999', subject: 's', requester: { name: 'n', email: 'n@example.com' } };
    await expect(sourceOperation(source, 'reply', { ticket, body: 'x' }, env)).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('ticket 999') });
  });
});

describe('Zendesk preset when the helpdesk rate-limits', { timeout: 30_000 }, () => {
  let sandbox: Sandbox;
  let strict: Sandbox;
  beforeAll(async () => {
    // Two calls per 4 s: the third page is refused however slowly a loaded machine makes the first two.
    sandbox = await startSandbox({ rateLimit: { max: 2, perMs: 4000 } });
    strict = await startSandbox({ rateLimit: { max: 1, perMs: 600_000 } });
  });
  afterAll(async () => {
    await sandbox?.stop();
    await strict?.stop();
  });

  it('waits as Retry-After asks, then reads the rest', async () => {
    const waits: number[] = [];
    const env = await envFor(sandbox, { sleep: (ms) => (waits.push(ms), new Promise((r) => setTimeout(r, ms))) });
    const read = await syncHttpSource(zendeskSource(), env, memoryCursors(), () => 1);
    expect(read.tickets).toHaveLength(220);
    // Three pages at two calls per 4 s: the third page came after the 1–4 s the helpdesk asked for (whole seconds).
    expect(waits.filter((ms) => ms >= 1000 && ms <= 4000 && ms % 1000 === 0).length).toBeGreaterThan(0);
  });

  it('gives the 429 back with the wait when the helpdesk asks for longer than Tandem waits on its own', async () => {
    const env = await envFor(strict, { sleep: async () => undefined });
    await expect(syncHttpSource(zendeskSource(), env, memoryCursors(), () => 1)).rejects.toMatchObject({ code: 'rate_limited', message: expect.stringMatching(/429.*wait (59\d|600) s/) });
  });
});
