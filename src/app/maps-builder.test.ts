import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CommandName, CommandOutput } from '../contract/index.ts';
import { SMALL_WORKSPACE, tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { createApp, type App } from './create-app.ts';

const REFUND = `# Refund: hand-written, with comments.
id: refund_request
version: 1
intent:
  title: Refund request   # shown in the inbox
  description: Money back
  examples: [I want a refund for my order, please refund me, give me my money back]
fields:
  - name: order_id
    type: string
    pattern: '(\\d{6})'
steps:
  # Tell the customer.
  - id: reply
    block: reply
    body: "Hi {{ ticket.requester.name }}, order {{ fields.order_id }} is refunded."
`;

describe('the map builder commands', () => {
  let data: ReturnType<typeof tempDir>;
  let ws: ReturnType<typeof tempDir>;
  let app: App;
  beforeEach(() => {
    data = tempDir();
    ws = tempDir();
    writeFiles(ws.path, { ...SMALL_WORKSPACE, 'maps/refund.yaml': REFUND });
    app = createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: '0.0.0-test', user: 'ann' });
  });
  afterEach(async () => {
    await app.settle();
    app.close();
    data.cleanup();
    ws.cleanup();
  });

  const ok = async <K extends CommandName>(name: K, input: unknown): Promise<CommandOutput<K>> => {
    const r = await app.invoke(name, input);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as CommandOutput<K>;
  };

  it('lists maps with their steps, and a hand-broken file too', async () => {
    writeFileSync(join(ws.path, 'maps', 'broken.yaml'), 'id: broken\nversion: 1\n');
    await app.close();
    app = createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: '0.0.0-test', user: 'ann' });
    const list = await ok('maps.list', {});
    expect(list.find((m) => m.id === 'refund_request')).toMatchObject({ version: 1, loads: true, steps: [{ id: 'reply', block: 'reply', mode: 'suggest', n: 0 }] });
    expect(list.find((m) => m.id === 'broken')).toMatchObject({ loads: false, file: 'maps/broken.yaml' });
    expect(list.find((m) => m.id === 'broken')!.problems.join(' ')).toMatch(/intent/);
  });

  it('checks a draft with the loader’s messages and offers what each step may use', async () => {
    const draft = await ok('maps.open', { mapId: 'refund_request' });
    const value = structuredClone(draft.value) as { steps: Record<string, unknown>[] };
    value.steps.unshift({ id: 'look', block: 'http', connector: 'nowhere', path: '/x/{{ fields.order }}', outputs: { total: 'body.total' } });
    const check = await ok('maps.check', { value });
    expect(check.issues.map((i) => `${i.path}: ${i.message}`)).toEqual(['steps[0].connector: unknown connector "nowhere"', 'steps[0].path: fields.order is not a field of this map']);
    expect(check.available[0]!.map((r) => r.expr)).toContain('fields.order_id');
    expect(check.available[0]!.map((r) => r.expr)).not.toContain('steps.look.total');
    expect(check.available[1]!.map((r) => r.expr)).toContain('steps.look.total');
  });

  it('shows the diff, saves with the version bumped and comments kept, and refuses to overwrite a hand edit', async () => {
    const draft = await ok('maps.open', { mapId: 'refund_request' });
    const value = structuredClone(draft.value) as { intent: { title: string } };
    value.intent.title = 'Refund';
    const preview = await ok('maps.save', { mapId: 'refund_request', value, baseHash: draft.hash });
    expect(preview.saved).toBe(false);
    expect(preview.diff.filter((l) => l.op !== ' ' && l.op !== '…')).toEqual([
      { op: '-', text: 'version: 1' },
      { op: '+', text: 'version: 2' },
      { op: '-', text: '  title: Refund request   # shown in the inbox' },
      { op: '+', text: '  title: Refund   # shown in the inbox' },
    ]);
    expect(readFileSync(join(ws.path, 'maps', 'refund.yaml'), 'utf8')).toBe(REFUND); // a preview writes nothing
    const saved = await ok('maps.save', { mapId: 'refund_request', value, baseHash: draft.hash, confirm: true });
    expect(saved).toMatchObject({ saved: true, version: 2 });
    expect(readFileSync(join(ws.path, 'maps', 'refund.yaml'), 'utf8')).toBe(REFUND.replace('version: 1', 'version: 2').replace('title: Refund request ', 'title: Refund '));
    expect((await ok('intents.list', {})).find((i) => i.intent === 'refund_request')!.title).toBe('Refund');

    // Someone edits the file by hand meanwhile: the builder's next save is refused and the hand edit stays.
    const handEdited = readFileSync(join(ws.path, 'maps', 'refund.yaml'), 'utf8').replace('Money back', 'Money back, by hand');
    writeFileSync(join(ws.path, 'maps', 'refund.yaml'), handEdited);
    const again = await app.invoke('maps.save', { mapId: 'refund_request', value, baseHash: saved.hash, confirm: true });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.message).toMatch(/maps\/refund.yaml changed on disk since you opened it/);
    expect(readFileSync(join(ws.path, 'maps', 'refund.yaml'), 'utf8')).toBe(handEdited);
    // Opened again, the builder sees the hand edit.
    expect(((await ok('maps.open', { mapId: 'refund_request' })).value as { intent: { description: string } }).intent.description).toBe('Money back, by hand');
  });

  it('records a step switched to auto in the builder as a promotion, and asks why first', async () => {
    const draft = await ok('maps.open', { mapId: 'refund_request' });
    const value = structuredClone(draft.value) as { steps: { id: string; mode?: string }[] };
    value.steps.find((st) => st.id === 'reply')!.mode = 'auto';
    const preview = await ok('maps.save', { mapId: 'refund_request', value, baseHash: draft.hash });
    expect(preview.modeChanges).toEqual([{ stepId: 'reply', from: 'suggest', to: 'auto', evidence: 'no verdicts on this step yet', recommended: false }]);
    const refused = await app.invoke('maps.save', { mapId: 'refund_request', value, baseHash: draft.hash, confirm: true });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toBe('This save changes how reply runs (suggest → auto): say why.');
    expect(readFileSync(join(ws.path, 'maps', 'refund.yaml'), 'utf8')).toBe(REFUND); // nothing saved
    const saved = await ok('maps.save', { mapId: 'refund_request', value, baseHash: draft.hash, confirm: true, reason: 'the reply never changes' });
    expect(saved.modeChanges).toHaveLength(1);
    const promotions = (await ok('decisions.list', {})).filter((d) => d.kind === 'promotion');
    expect(promotions.map((d) => [d.stepId, d.verdict, d.actor, d.final, d.mapVersion, d.reason])).toEqual([
      ['reply', 'promoted', 'ann', '"auto"', 2, 'the reply never changes — evidence: no verdicts on this step yet (saved in the map builder)'],
    ]);
  });

  it('creates a new map from an empty file, and refuses to save one that would not load', async () => {
    const draft = await ok('maps.open', { mapId: 'gift_card' });
    expect(draft).toMatchObject({ exists: false, text: '', file: 'maps/gift-card.yaml', value: { id: 'gift_card' } });
    const bad = await app.invoke('maps.save', { mapId: 'gift_card', value: draft.value, baseHash: draft.hash, confirm: true });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/The map is not ready: intent: /);
    const value = { id: 'gift_card', intent: { title: 'Gift card', description: 'Questions about gift cards', examples: ['do you sell gift cards'] }, steps: [{ id: 'reply', block: 'reply', body: 'Hi {{ ticket.requester.name }}' }] };
    const saved = await ok('maps.save', { mapId: 'gift_card', value, baseHash: draft.hash, confirm: true });
    expect(saved.version).toBe(1);
    expect(readFileSync(join(ws.path, 'maps', 'gift-card.yaml'), 'utf8')).toBe(
      'id: gift_card\nversion: 1\nintent:\n  title: Gift card\n  description: Questions about gift cards\n  examples:\n    - do you sell gift cards\nsteps:\n  - id: reply\n    block: reply\n    body: Hi {{ ticket.requester.name }}\n',
    );
    expect((await ok('maps.list', {})).some((m) => m.id === 'gift_card' && m.loads)).toBe(true);
  });

  it('tries a draft on a ticket: inputs resolved, nothing sent, nothing stored', async () => {
    const draft = await ok('maps.open', { mapId: 'refund_request' });
    const result = await ok('maps.tryIt', { value: draft.value, ticketId: 'files:A-1' });
    expect(result.fields).toEqual({ order_id: '104233' });
    expect(result.steps).toMatchObject([{ stepId: 'reply', state: 'would_run', inputs: { body: 'Hi Ann, order 104233 is refunded.' }, note: 'simulated: nothing was sent' }]);
    expect(result.steps[0]!.call[0]).toMatch(/^reply \(public\): Hi Ann/);
    expect(await ok('runs.list', {})).toEqual([]);
    expect(await ok('decisions.list', {})).toEqual([]);
  });

  it('replays a draft on the tickets decided for its intent and says where it differs from the associate', async () => {
    const detail = await ok('tickets.get', { id: 'files:A-1' });
    await ok('triage.decide', { decisionId: crypto.randomUUID(), ticketId: 'files:A-1', triageId: detail.triage!.id, verdict: 'accepted', finalIntent: 'refund_request' });
    await app.settle();
    const run = (await ok('tickets.get', { id: 'files:A-1' })).run!;
    await ok('runs.decide', { runId: run.id, stepId: 'reply', decisionId: crypto.randomUUID(), verdict: 'edited', inputs: { public: true, body: 'Hi Ann, done.' } });
    const draft = await ok('maps.open', { mapId: 'refund_request' });
    const replay = await ok('maps.tryHistory', { value: draft.value, limit: 10 });
    expect(replay.summary).toMatchObject({ tickets: 1, compared: 1, same: 0, differ: 1 });
    expect(replay.tickets[0]!.steps[0]).toMatchObject({ stepId: 'reply', verdict: 'differs', suggested: { body: 'Hi Ann, order 104233 is refunded.' }, associate: { verdict: 'edited', final: { body: 'Hi Ann, done.' } } });
    const value = structuredClone(draft.value) as { steps: { body: string }[] };
    value.steps[0]!.body = 'Hi Ann, done.';
    expect((await ok('maps.tryHistory', { value, limit: 10 })).summary).toMatchObject({ same: 1, differ: 0 });
  });

  it('turns a recording into a browser block whose typed values are references to the chosen ticket', async () => {
    app.close();
    writeFiles(ws.path, { 'connectors/crm.yaml': { id: 'crm', title: 'CRM', type: 'browser', base_url: 'http://127.0.0.1:9' } });
    const recorded = {
      sessionId: 's1', connector: 'crm', url: 'http://127.0.0.1:9/customers', open: true, visible: false, skipped: ['typing into the password field “Password”'],
      actions: [{ goto: '/customers' }, { fill: { target: { label: 'Search by name or email' }, value: 'ann@example.com' } }, { fill: { target: { label: 'Order' }, value: '104233' } }],
    };
    app = createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: '0.0.0-test', user: 'ann', recorder: { start: async () => recorded, poll: () => recorded, stop: async () => recorded, close: async () => undefined } });
    const draft = await ok('maps.open', { mapId: 'refund_request' });
    const out = await ok('maps.recordStop', { sessionId: 's1', value: draft.value, stepIndex: 0, ticketId: 'files:A-1' });
    expect(out.actions).toEqual([
      { goto: '/customers' },
      { fill: { target: { label: 'Search by name or email' }, value: '{{ ticket.requester.email }}' } },
      { fill: { target: { label: 'Order' }, value: '{{ fields.order_id }}' } },
    ]);
    expect(out.skipped).toHaveLength(1);
    const refused = await app.invoke('maps.recordStart', { connectorId: 'orders', path: '/' });
    expect(refused.ok).toBe(false);
  });
});
