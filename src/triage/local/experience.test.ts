import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../app/create-app.ts';
import { SMALL_WORKSPACE, tempDir, writeFiles } from '../../testing/temp-dirs.ts';
import { openDatabase } from '../../store/db.ts';
import { createDecisionsRepo } from '../../store/decisions-repo.ts';
import { experienceAfter, experienceFromDecisions, NO_EXPERIENCE } from './experience.ts';

describe('experienceFromDecisions', () => {
  const row = (ticket_id: string | null, final: string, verdict = 'accepted', kind = 'triage') => ({ kind, ticket_id, final, verdict });
  const texts: Record<string, string> = { a: 'text a', b: 'text b', c: 'text c' };

  it('keeps each ticket’s latest accepted or corrected triage, and nothing else', () => {
    const rows = [row('a', 'refund'), row('b', 'wismo'), row('a', 'other', 'overridden'), row('c', 'wismo', 'skipped'), row('b', '{"x":1}', 'edited', 'step'), row(null, 'x', 'promoted', 'promotion'), row('gone', 'wismo')];
    expect(experienceFromDecisions(rows, (id) => texts[id])).toEqual([
      { intent: 'wismo', text: 'text b' },
      { intent: 'other', text: 'text a' },
    ]);
  });
});

describe('experienceAfter: reading the log from a cursor', () => {
  it('reads only the triage verdicts recorded after the last decision learned (a real decision log)', () => {
    const dir = tempDir();
    const db = openDatabase(`${dir.path}/tandem.db`);
    try {
      const repo = createDecisionsRepo(db);
      const texts: Record<string, string> = {};
      const add = (ticketId: string, kind: 'triage' | 'escalation', final: string, verdict: 'accepted' | 'overridden' | 'returned' = 'accepted') => {
        texts[ticketId] = `text of ${ticketId}`;
        db.prepare("INSERT OR IGNORE INTO tickets (id, source, external_id, subject, body, requester_name, requester_email, channel, created_at, content_hash, imported_at) VALUES (?, 'w', ?, 's', 'b', 'n', 'e@x.org', 'email', 1, 'h', 2)").run(ticketId, ticketId);
        repo.insert({ id: randomUUID(), ticketId, kind, triageId: null, runId: null, stepId: null, mapId: null, mapVersion: null, actor: 'ann', decidedAt: 1, suggested: verdict === 'overridden' ? 'refund' : final, final, verdict, confidence: 1, reason: null, decisionMs: null });
      };
      add('a', 'triage', 'refund');
      add('b', 'escalation', '"x"', 'returned');
      add('c', 'triage', 'wismo');
      const first = experienceAfter(NO_EXPERIENCE, repo.triageVerdictsAfter(NO_EXPERIENCE.cursor), (id) => texts[id]);
      expect(first.changes).toEqual({ added: [{ intent: 'refund', text: 'text of a', key: 'a' }, { intent: 'wismo', text: 'text of c', key: 'c' }], removed: [] });
      expect(first.state.cursor).toBe(3);

      add('d', 'triage', 'wismo');
      add('a', 'triage', 'other', 'overridden');
      const after = repo.triageVerdictsAfter(first.state.cursor);
      expect(after.map((r) => r.ticket_id)).toEqual(['d', 'a']); // nothing learned before is read again
      const second = experienceAfter(first.state, after, (id) => texts[id]);
      expect(second.changes).toEqual({ added: [{ intent: 'wismo', text: 'text of d', key: 'd' }, { intent: 'other', text: 'text of a', key: 'a' }], removed: ['a'] });
      expect([...second.state.intents]).toEqual([['c', 'wismo'], ['d', 'wismo'], ['a', 'other']]);
      expect(first.state.intents.get('a')).toBe('refund'); // the earlier state is left as it was
      expect(() => experienceAfter(second.state, repo.triageVerdictsAfter(0), (id) => texts[id])).toThrow(/read again/);
    } finally {
      db.close();
      dir.cleanup();
    }
  });
});

describe('the app retrains the local model from triage verdicts', () => {
  let app: App | undefined;
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(async () => {
    await app?.settle();
    app?.close();
    for (const d of dirs) d.cleanup();
  });

  it('reads an undecided look-alike ticket the way a person corrected the first one', async () => {
    const data = tempDir();
    const ws = tempDir();
    dirs.push(data, ws);
    const lookAlike = { id: 'A-3', subject: 'Voucher', body: 'Can I pay with a store voucher from my aunt?', requester: { name: 'Cy', email: 'cy@example.com' }, channel: 'email', created_at: '2026-11-19T10:00:00Z' };
    const first = { ...lookAlike, id: 'A-4', body: 'Can I pay with a store voucher?' };
    writeFiles(ws.path, { ...SMALL_WORKSPACE, 'tickets/more.yaml': { tickets: [first, lookAlike] } });
    app = createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: '0', user: 'ann', retrainDelayMs: 0 });
    const get = async (id: string) => {
      const r = await app!.invoke('tickets.get', { id });
      if (!r.ok) throw new Error(r.error.message);
      return r.value as { triage: { id: string; intent: string; confidence: number } };
    };
    const before = (await get('files:A-3')).triage;
    const t4 = (await get('files:A-4')).triage;
    const finalIntent = before.intent === 'refund_request' ? 'where_is_my_order' : 'refund_request';
    const r = await app.invoke('triage.decide', { decisionId: randomUUID(), ticketId: 'files:A-4', triageId: t4.id, verdict: t4.intent === finalIntent ? 'accepted' : 'overridden', finalIntent });
    expect(r.ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the debounced retrain (delay 0) starts on the next turn
    await app.settle(); // and settle() waits for it to finish
    const after = (await get('files:A-3')).triage;
    expect(after.id).not.toBe(before.id);
    expect(after.intent).toBe(finalIntent);
    // The decided ticket's own reading stands.
    expect((await get('files:A-4')).triage.id).toBe(t4.id);
  });
});
