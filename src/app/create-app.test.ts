import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDecisionsRepo } from '../store/decisions-repo.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Decision, TicketSummary } from '../contract/index.ts';
import { SMALL_WORKSPACE, tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { createApp, type App } from './create-app.ts';

describe('createApp', () => {
  let data: ReturnType<typeof tempDir>;
  let ws: ReturnType<typeof tempDir>;
  let app: App;
  let clock = Date.parse('2026-11-20T10:00:00Z');
  const start = () => createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: '0.0.0-test', user: 'ann', now: () => clock });

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

  const ok = async <T>(p: Promise<{ ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }>): Promise<T> => {
    const r = await p;
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  const detail = (id: string) => ok<{ ticket: { state: string }; triage: { id: string; intent: string; confidence: number }; decisions: Decision[] }>(app.invoke('tickets.get', { id }));

  it('imports the workspace tickets and triages each one at start', async () => {
    const list = await ok<{ id: string; intent: string; state: string }[]>(app.invoke('tickets.list', {}));
    expect(list.map((t) => [t.id, t.intent, t.state])).toEqual([
      ['files:A-2', 'where_is_my_order', 'triaged'],
      ['files:A-1', 'refund_request', 'triaged'],
    ]);
  });

  it('records an accepted triage with who, when, what and how sure, and moves the ticket on', async () => {
    const events: string[] = [];
    app.events.onAny((e) => events.push(e));
    const { triage } = await detail('files:A-1');
    const decisionId = randomUUID();
    const d = await ok<Decision>(
      app.invoke('triage.decide', { decisionId, ticketId: 'files:A-1', triageId: triage.id, verdict: 'accepted', finalIntent: triage.intent, decisionMs: 1234 }),
    );
    expect(d).toMatchObject({ id: decisionId, actor: 'ann', decidedAt: clock, suggested: 'refund_request', final: 'refund_request', verdict: 'accepted', confidence: triage.confidence, decisionMs: 1234, reason: null });
    expect(events.slice(0, 2)).toEqual(['decision.recorded', 'ticket.changed']);
    // The confirmed intent's map starts by itself; this one has no steps, so its run is done at once.
    await app.settle();
    const after = await detail('files:A-1');
    expect(after.ticket.state).toBe('done');
    expect((after as unknown as { run: { mapId: string; state: string; confidence: number } }).run).toMatchObject({ mapId: 'refund_request', state: 'done', confidence: 1 });
    expect(events).toContain('run.changed');
    expect((await ok<TicketSummary[]>(app.invoke('tickets.list', {}))).find((t) => t.id === 'files:A-1')).toMatchObject({ intent: 'refund_request', verdict: 'accepted', suggested: null });
  });

  it('records an override with its reason', async () => {
    const { triage } = await detail('files:A-2');
    const d = await ok<Decision>(
      app.invoke('triage.decide', { decisionId: randomUUID(), ticketId: 'files:A-2', triageId: triage.id, verdict: 'overridden', finalIntent: 'other', reason: '  a question, not a delivery  ' }),
    );
    expect(d).toMatchObject({ suggested: 'where_is_my_order', final: 'other', verdict: 'overridden', reason: 'a question, not a delivery' });
    // The inbox lists the ticket under the intent the associate chose, with what was suggested and how sure the reading was.
    const list = await ok<TicketSummary[]>(app.invoke('tickets.list', {}));
    expect(list.find((t) => t.id === 'files:A-2')).toMatchObject({ intent: 'other', verdict: 'overridden', suggested: 'where_is_my_order', confidence: triage.confidence });
    expect(list.find((t) => t.id === 'files:A-1')).toMatchObject({ intent: 'refund_request', verdict: null, suggested: null });
  });

  it('writes one row for a retried call, and refuses a second verdict on the same triage', async () => {
    const { triage } = await detail('files:A-1');
    const input = { decisionId: randomUUID(), ticketId: 'files:A-1', triageId: triage.id, verdict: 'accepted' as const, finalIntent: triage.intent };
    const [a, b] = await Promise.all([ok<Decision>(app.invoke('triage.decide', input)), ok<Decision>(app.invoke('triage.decide', input))]);
    expect(a).toEqual(b);
    const again = await app.invoke('triage.decide', { ...input, decisionId: randomUUID() });
    expect(again).toMatchObject({ ok: false, error: { code: 'already_decided' } });
    expect(app.db.prepare('SELECT count(*) FROM decisions').pluck().get()).toBe(1);
  });

  it('refuses verdicts that contradict themselves or name an unknown intent, writing nothing', async () => {
    const { triage } = await detail('files:A-1');
    const base = { ticketId: 'files:A-1', triageId: triage.id };
    const cases = [
      { ...base, decisionId: randomUUID(), verdict: 'accepted', finalIntent: 'other' },
      { ...base, decisionId: randomUUID(), verdict: 'overridden', finalIntent: triage.intent },
      { ...base, decisionId: randomUUID(), verdict: 'overridden', finalIntent: 'teleport' },
      { ...base, decisionId: randomUUID(), ticketId: 'files:A-2', verdict: 'accepted', finalIntent: triage.intent },
      { ...base, decisionId: 'not-a-uuid', verdict: 'accepted', finalIntent: triage.intent },
    ];
    const codes = [];
    for (const c of cases) {
      const r = await app.invoke('triage.decide', c);
      codes.push(r.ok ? 'ok' : r.error.code);
    }
    expect(codes).toEqual(['bad_input', 'bad_input', 'bad_input', 'not_found', 'bad_input']);
    expect(app.db.prepare('SELECT count(*) FROM decisions').pluck().get()).toBe(0);
    expect((await detail('files:A-1')).ticket.state).toBe('triaged');
  });

  it('keeps decisions and readings across a restart without triaging the same input twice', async () => {
    const before = await detail('files:A-1');
    await ok(app.invoke('triage.decide', { decisionId: randomUUID(), ticketId: 'files:A-1', triageId: before.triage.id, verdict: 'accepted', finalIntent: before.triage.intent }));
    await app.settle();
    app.close();
    clock += 60_000;
    app = start();
    const after = await detail('files:A-1');
    expect(after.triage.id).toBe(before.triage.id);
    expect(after.decisions).toHaveLength(1);
    // The app closed before the verdict's retrain: the saved model catches up on it after the restart, and the one
    // undecided ticket is read again by the new model (3 readings); another restart with nothing new to learn loads
    // that model and reads nothing twice.
    await app.settle();
    expect(app.db.prepare('SELECT count(*) FROM triage').pluck().get()).toBe(3);
    app.close();
    app = start();
    await app.settle();
    expect(app.db.prepare('SELECT count(*) FROM triage').pluck().get()).toBe(3);
  });

  it('re-reads a ticket whose content changed in its source', async () => {
    const before = await detail('files:A-1');
    app.close();
    writeFiles(ws.path, {
      'tickets/inbox.yaml': {
        tickets: [{ id: 'A-1', subject: 'Parcel', body: 'Actually: where is my package? It never arrived.', requester: { name: 'Ann', email: 'ann@example.com' }, channel: 'email', created_at: '2026-11-19T08:00:00Z' }],
      },
    });
    app = start();
    const after = await detail('files:A-1');
    expect(after.triage.id).not.toBe(before.triage.id);
    expect(after.triage.intent).toBe('where_is_my_order');
  });

  it('answers unknown tickets and commands with errors as data', async () => {
    expect(await app.invoke('tickets.get', { id: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await app.invoke('tickets.explode', {})).toMatchObject({ ok: false, error: { code: 'unknown_command' } });
    expect(await app.invoke('tickets.list', { state: 'lost' })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
  });

  it('starts with a broken workspace file and reports it in app.info', async () => {
    app.close();
    writeFiles(ws.path, { 'maps/bad.yaml': 'id: Bad Id\nversion: 1\n' });
    app = start();
    const info = await ok<{ workspace: { problems: { file: string; path: string }[] } }>(app.invoke('app.info', {}));
    expect(info.workspace.problems.map((p) => p.file)).toEqual([join('maps', 'bad.yaml'), join('maps', 'bad.yaml')]);
    expect((await ok<unknown[]>(app.invoke('intents.list', {}))).length).toBe(3);
  });
});

describe('promoting a step', () => {
  it('writes the mode back to the map file, records who and why with the evidence, and new runs use it', async () => {
    const data = tempDir();
    const ws = tempDir();
    writeFiles(ws.path, {
      ...SMALL_WORKSPACE,
      'maps/refund.yaml': `# Refunds\nid: refund_request\nversion: 1\nintent:\n  title: Refund request\n  description: Money back\n  examples: [I want a refund for my order, please refund me]\nfields:\n  - name: order_id\n    type: string\n    pattern: '(\\\\d{6})'\nsteps:\n  - id: tell\n    block: reply   # the customer's answer\n    body: Refunded\n`,
    });
    const app = createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: 't', user: 'lead' });
    try {
      const before = await app.invoke('tickets.get', { id: 'files:A-1' });
      expect(before.ok).toBe(true);
      const r = await app.invoke('maps.setMode', { mapId: 'refund_request', stepId: 'tell', mode: 'auto', reason: 'accepted as is for months' });
      expect(r).toMatchObject({ ok: true, value: { previous: 'suggest', mode: 'auto', version: 2 } });
      expect(readFileSync(join(ws.path, 'maps/refund.yaml'), 'utf8')).toContain("    block: reply   # the customer's answer\n    mode: auto\n");
      const row = app.db.prepare("SELECT ticket_id, kind, verdict, actor, suggested, final, map_version, reason FROM decisions WHERE kind = 'promotion'").get();
      expect(row).toMatchObject({ ticket_id: null, kind: 'promotion', verdict: 'promoted', actor: 'lead', suggested: '"suggest"', final: '"auto"', map_version: 2 });
      expect((row as { reason: string }).reason).toMatch(/^accepted as is for months — evidence: /);
      // The reading of the ticket is not redone for a version bump.
      const after = await app.invoke('tickets.get', { id: 'files:A-1' });
      expect((after as { value: { triage: { id: string } } }).value.triage.id).toBe((before as { value: { triage: { id: string } } }).value.triage.id);
      // A run started now is on version 2, and its auto step ran alone.
      const run = await app.invoke('runs.start', { ticketId: 'files:A-1', mapId: 'refund_request' });
      expect(run).toMatchObject({ ok: true, value: { mapVersion: 2, state: 'done' } });
      expect(createDecisionsRepoVerify(app)).toBeNull();
    } finally {
      await app.settle();
      app.close();
      data.cleanup();
      ws.cleanup();
    }
  });
});

describe('a step recommended for auto', () => {
  it('is recommended until it is promoted, then shown in its new mode and never offered again; a second promotion is refused', async () => {
    const data = tempDir();
    const ws = tempDir();
    writeFiles(ws.path, {
      ...SMALL_WORKSPACE,
      'maps/refund.yaml': `id: refund_request\nversion: 1\nintent:\n  title: Refund request\n  description: Money back\n  examples: [I want a refund for my order, please refund me]\nsteps:\n  - id: tell\n    block: reply\n    body: Refunded\n`,
    });
    const app = createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: 't', user: 'lead' });
    try {
      await app.settle();
      // 73 verdicts taken as suggested: the fewest whose lower bound clears the default 95% (73 / 76.84).
      const repo = createDecisionsRepo(app.db);
      const run = app.db.prepare("INSERT INTO runs (id, ticket_id, map_id, map_version, map_snapshot, state, fields, confidence, threshold, created_by, created_at, updated_at) VALUES (?, 'files:A-1', 'refund_request', 1, '{}', 'done', '{}', 1, 0.5, 'ann', 1, 1)");
      for (let i = 0; i < 73; i++) {
        run.run(`r${i}`);
        repo.insert({ id: randomUUID(), ticketId: 'files:A-1', kind: 'step', triageId: null, runId: `r${i}`, stepId: 'tell', mapId: 'refund_request', mapVersion: 1, actor: 'ann', decidedAt: 1000 + i, suggested: '{}', final: '{}', verdict: 'accepted', confidence: 1, reason: null, decisionMs: null });
      }
      const step = async () => {
        const r = await app.invoke('stats.get', {});
        if (!r.ok) throw new Error(r.error.message);
        return (r.value as { steps: { stepId: string; mode: string | null; graduation: { recommended: boolean; needed: number | null } }[] }).steps.find((s) => s.stepId === 'tell')!;
      };
      expect(await step()).toMatchObject({ mode: 'suggest', graduation: { recommended: true, needed: 0 } });
      expect(await app.invoke('maps.setMode', { mapId: 'refund_request', stepId: 'tell', mode: 'auto', reason: 'recommended' })).toMatchObject({ ok: true });
      expect(await step()).toMatchObject({ mode: 'auto', graduation: { recommended: false, needed: null } });
      const again = await app.invoke('maps.setMode', { mapId: 'refund_request', stepId: 'tell', mode: 'auto', reason: 'clicked twice' });
      expect(again).toMatchObject({ ok: false, error: { code: 'bad_input', message: 'refund_request · tell already runs automatically.' } });
      expect(app.db.prepare("SELECT count(*) AS n FROM decisions WHERE kind = 'promotion'").get()).toEqual({ n: 1 });
      expect(readFileSync(join(ws.path, 'maps/refund.yaml'), 'utf8')).toMatch(/^version: 2$/m);
    } finally {
      await app.settle();
      app.close();
      data.cleanup();
      ws.cleanup();
    }
  });
});

function createDecisionsRepoVerify(app: App) {
  return createDecisionsRepo(app.db).verify().broken;
}
