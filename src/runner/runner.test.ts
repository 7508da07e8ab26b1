import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MapSchema, type ProcessMap } from '../maps/schema.ts';
import { openDatabase, type Db } from '../store/db.ts';
import { createDecisionsRepo } from '../store/decisions-repo.ts';
import { createRunsRepo } from '../store/runs-repo.ts';
import { createTicketsRepo } from '../store/tickets-repo.ts';
import { tempDir } from '../testing/temp-dirs.ts';
import type { Executors } from './executors.ts';
import { createRunner, type Runner } from './runner.ts';
import { TandemError } from '../domain/errors.ts';

const REFUND: ProcessMap = MapSchema.parse({
  id: 'refund_request',
  version: 4,
  intent: { title: 'Refund', description: 'Money back', examples: ['refund'] },
  fields: [{ name: 'order_id', type: 'string', required: true }],
  policy: [
    // An approval is for one step's exact inputs, so a rule that asks for one names the step it is about.
    { id: 'large', when: "step.id = 'refund' and steps.amount.cents > 20000", then: 'approval', reason: 'Over $200 needs a lead.' },
    { id: 'too_much', when: 'steps.amount.cents > steps.find.total', then: 'block', reason: 'More than the order.' },
  ],
  steps: [
    { id: 'find', block: 'http', connector: 'orders', path: '/orders/{{ fields.order_id }}', outputs: { total: 'body.total', email: 'body.email' } },
    { id: 'owner', block: 'condition', if: 'steps.find.email = ticket.requester.email', else: { escalate: 'Order {{ fields.order_id }} is not theirs' } },
    { id: 'amount', block: 'set', values: { cents: '$exists(fields.amount) ? fields.amount * 100 : steps.find.total' } },
    { id: 'refund', block: 'http', connector: 'payments', method: 'POST', path: '/refunds', body: { order: '{{ fields.order_id }}', amount: '{{ steps.amount.cents }}' }, idempotency_key: 'refund-{{ ticket.id }}-{{ steps.amount.cents }}', outputs: { refund_id: 'body.id' } },
    { id: 'note', block: 'browser', connector: 'crm', actions: [{ fill: { target: { label: 'Note' }, value: 'Refunded {{ steps.refund.refund_id }}' } }] },
    { id: 'reply', block: 'reply', body: 'Refunded {{ steps.amount.cents / 100 }}' },
  ],
});

/** A payments system that de-duplicates by idempotency key, like the real ones. */
function fakeSystems(orders: Record<string, { total: number; email: string }>) {
  const refunds = new Map<string, { id: string; amount: unknown }>();
  const calls: { kind: string; inputs: Record<string, unknown>; key: string | null }[] = [];
  let failNext: Error | null = null;
  const executors: Executors = {
    async http(inputs, env) {
      calls.push({ kind: 'http', inputs, key: env.idempotencyKey });
      if (failNext) {
        const e = failNext;
        failNext = null;
        throw e;
      }
      if (inputs.method === 'GET') {
        const order = orders[String(inputs.path).split('/').pop()!];
        if (!order) throw new Error('Orders has no such order');
        return { status: 200, body: order, headers: {} };
      }
      const key = env.idempotencyKey!;
      if (!refunds.has(key)) refunds.set(key, { id: `re_${refunds.size + 1}`, amount: (inputs.body as { amount: unknown }).amount });
      return { status: 200, body: refunds.get(key), headers: {} };
    },
    async browser(inputs) {
      calls.push({ kind: 'browser', inputs, key: null });
      return {};
    },
    async reply(inputs) {
      calls.push({ kind: 'reply', inputs, key: null });
      return { comment_id: 'c1' };
    },
  };
  return { executors, refunds, calls, failOnce: (e: Error) => (failNext = e) };
}

describe('runner', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  let runner: Runner;
  let sys: ReturnType<typeof fakeSystems>;
  let clock = 1_000;
  const ticketId = 'files:T-1';

  const make = () =>
    createRunner({ db, runs: createRunsRepo(db), decisions: createDecisionsRepo(db), tickets: createTicketsRepo(db), executors: sys.executors, now: () => ++clock });

  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(`${dir.path}/tandem.db`);
    createTicketsRepo(db).upsertMany([{ id: ticketId, source: 'files', externalId: 'T-1', subject: 'refund', body: 'refund order 100001', requester: { name: 'Ann', email: 'ann@example.com' }, channel: 'email', createdAt: 1, contentHash: 'h' }], 1);
    sys = fakeSystems({ '100001': { total: 4500, email: 'ann@example.com' }, '100002': { total: 45000, email: 'ann@example.com' }, '100003': { total: 100, email: 'bob@example.com' } });
    runner = make();
  });
  afterEach(() => {
    db.close();
    dir.cleanup();
  });

  const start = (fields: Record<string, unknown>, extra: Partial<Parameters<Runner['start']>[0]> = {}) =>
    runner.start({ ticketId, map: REFUND, fields, confidence: 0.9, threshold: 0.5, actor: 'ann', ...extra });
  const accept = (run: { id: string }, stepId: string, extra: Partial<Parameters<Runner['decide']>[0]> = {}) =>
    runner.decide({ runId: run.id, stepId, decisionId: randomUUID(), verdict: 'accepted', actor: 'ann', ...extra });
  const stateOf = (run: { steps: { stepId: string; state: string }[] }) => Object.fromEntries(run.steps.map((s) => [s.stepId, s.state]));
  const stepDecisions = () => db.prepare("SELECT step_id, verdict, actor FROM decisions WHERE kind IN ('step','approval') ORDER BY seq").all();

  it('gathers lookups at once, then waits with a preview of exactly what the refund will send', async () => {
    const run = await start({ order_id: '100001' });
    expect(run.state).toBe('waiting');
    expect(stateOf(run)).toEqual({ find: 'done', owner: 'done', amount: 'done', refund: 'awaiting_verdict', note: 'pending', reply: 'pending' });
    expect(run.steps[3]!.suggested).toEqual({ connector: 'payments', method: 'POST', path: '/refunds', body: { order: '100001', amount: 4500 } });
    expect(sys.calls.map((c) => c.kind)).toEqual(['http']); // only the lookup so far
  });

  it('runs each accepted step once, records each verdict, and finishes the ticket', async () => {
    let run = await start({ order_id: '100001' });
    run = await accept(run, 'refund');
    expect(stateOf(run).refund).toBe('done');
    expect(run.steps[3]!.outputs).toEqual({ status: 200, refund_id: 're_1' });
    run = await accept(run, 'note');
    expect(run.steps[4]!.state).toBe('done');
    run = await accept(run, 'reply', { verdict: 'edited', inputs: { public: true, body: 'Refunded 45 USD, sorry for the trouble' } });
    expect(run.state).toBe('done');
    expect(sys.refunds.size).toBe(1);
    expect(sys.calls.find((c) => c.kind === 'browser')!.inputs.actions).toEqual([{ fill: { target: { label: 'Note' }, value: 'Refunded re_1' } }]);
    expect(sys.calls.find((c) => c.kind === 'reply')!.inputs.body).toBe('Refunded 45 USD, sorry for the trouble');
    expect(stepDecisions()).toEqual([
      { step_id: 'refund', verdict: 'accepted', actor: 'ann' },
      { step_id: 'note', verdict: 'accepted', actor: 'ann' },
      { step_id: 'reply', verdict: 'edited', actor: 'ann' },
    ]);
    const edited = db.prepare("SELECT suggested, final FROM decisions WHERE step_id = 'reply'").get() as { suggested: string; final: string };
    expect(JSON.parse(edited.suggested).body).toBe('Refunded 45');
    expect(JSON.parse(edited.final).body).toBe('Refunded 45 USD, sorry for the trouble');
    expect(createTicketsRepo(db).get(ticketId)!.state).toBe('done');
  });

  it('asks a lead before a refund over $200, then the associate', async () => {
    let run = await start({ order_id: '100002' });
    expect(stateOf(run).refund).toBe('awaiting_approval');
    expect(run.steps[3]!.note).toMatch(/Over \$200/);
    run = await runner.approve({ runId: run.id, stepId: 'refund', decisionId: randomUUID(), approve: true, actor: 'lead' });
    expect(stateOf(run).refund).toBe('awaiting_verdict');
    run = await accept(run, 'refund');
    expect(sys.refunds.size).toBe(1);
    expect(stepDecisions()).toEqual([
      { step_id: 'refund', verdict: 'approved', actor: 'lead' },
      { step_id: 'refund', verdict: 'accepted', actor: 'ann' },
    ]);
  });

  it('lets policy, not the ticket, bound what can happen: a refund above the order is blocked', async () => {
    const run = await start({ order_id: '100001', amount: 5000 });
    expect(run.state).toBe('escalated');
    expect(run.escalation).toMatch(/More than the order/);
    expect(stateOf(run).refund).toBe('failed');
    expect(sys.refunds.size).toBe(0);
    await expect(accept(run, 'refund')).rejects.toThrow(/blocked by policy: More than the order/);
  });

  it('escalates when the order belongs to someone else, before anything is changed', async () => {
    const run = await start({ order_id: '100003' });
    expect(run.state).toBe('escalated');
    expect(run.escalation).toBe('Order 100003 is not theirs');
    expect(createTicketsRepo(db).get(ticketId)!.state).toBe('escalated');
  });

  it('escalates at start on low confidence or a missing required field', async () => {
    expect((await start({ order_id: '100001' }, { confidence: 0.2 })).escalation).toMatch(/confidence 20% is under this map's 50%/);
    db.prepare("UPDATE runs SET state = 'cancelled'").run();
    expect((await start({})).escalation).toMatch(/could not find order_id/);
  });

  it('in shadow mode acts only on the verdict, and records what Tandem would have sent beside what was sent', async () => {
    const shadow: ProcessMap = { ...REFUND, policy: [], steps: REFUND.steps.map((s) => (s.id === 'refund' || s.id === 'reply' ? { ...s, mode: 'shadow' as const } : s)) };
    let run = await runner.start({ ticketId, map: shadow, fields: { order_id: '100001' }, confidence: 0.95, threshold: 0.9, actor: 'ann' });
    // Nothing was sent on Tandem's own: the refund waits for the associate like a suggestion.
    expect(stateOf(run).refund).toBe('awaiting_verdict');
    expect(run.steps[3]!.note).toMatch(/^shadow: Tandem would send this on its own/);
    expect(sys.calls.map((c) => c.kind)).toEqual(['http']);
    run = await accept(run, 'refund', { decisionMs: 1200 });
    run = await accept(run, 'note');
    run = await accept(run, 'reply', { verdict: 'edited', inputs: { public: true, body: 'Refunded 45 USD' } });
    expect(run.state).toBe('done');
    const rows = db.prepare("SELECT step_id, kind, actor, verdict, suggested, final, decision_ms FROM decisions WHERE kind = 'shadow' ORDER BY seq").all() as Record<string, unknown>[];
    expect(rows.map((r) => [r.step_id, r.actor, r.verdict, r.decision_ms])).toEqual([
      ['refund', 'tandem (shadow)', 'accepted', 1200],
      ['reply', 'tandem (shadow)', 'overridden', null],
    ]);
    expect(JSON.parse(rows[0]!.suggested as string)).toEqual({ connector: 'payments', method: 'POST', path: '/refunds', body: { order: '100001', amount: 4500 } });
    expect(JSON.parse(rows[1]!.final as string).body).toBe('Refunded 45 USD');
    // The note step is not in shadow: no shadow row; the live verdicts are all there as before.
    expect(stepDecisions()).toEqual([
      { step_id: 'refund', verdict: 'accepted', actor: 'ann' },
      { step_id: 'note', verdict: 'accepted', actor: 'ann' },
      { step_id: 'reply', verdict: 'edited', actor: 'ann' },
    ]);
    expect(createDecisionsRepo(db).verify().broken).toBeNull();
  });

  it('in shadow mode records a skip as differing from what Tandem would have sent', async () => {
    const shadow: ProcessMap = { ...REFUND, policy: [], steps: REFUND.steps.map((s) => (s.id === 'refund' ? { ...s, mode: 'shadow' as const } : s)) };
    const run = await runner.start({ ticketId, map: shadow, fields: { order_id: '100001' }, confidence: 0.6, threshold: 0.5, actor: 'ann' });
    expect(stateOf(run).refund).toBe('awaiting_verdict');
    await runner.decide({ runId: run.id, stepId: 'refund', decisionId: randomUUID(), verdict: 'skipped', reason: 'customer changed their mind', actor: 'ann' });
    // Above threshold: Tandem would have sent the refund, the associate sent nothing — they differ.
    expect(db.prepare("SELECT verdict, final, reason FROM decisions WHERE kind = 'shadow'").get()).toMatchObject({ verdict: 'overridden', final: 'null', reason: null });
  });

  it('in shadow mode counts "would only have suggested" as matching an associate who sent nothing', async () => {
    const shadow: ProcessMap = { ...REFUND, policy: [], steps: REFUND.steps.map((s) => (s.id === 'refund' ? { ...s, mode: 'shadow' as const } : s)) };
    // Below the run's threshold an auto step is only suggested, so in shadow Tandem "would have sent" nothing.
    const run = await runner.start({ ticketId, map: shadow, fields: { order_id: '100001' }, confidence: 0.8, threshold: 0.5, actor: 'ann' });
    db.prepare('UPDATE runs SET threshold = 0.9 WHERE id = ?').run(run.id);
    runner = make(); // a new process reads the run as stored
    await runner.decide({ runId: run.id, stepId: 'refund', decisionId: randomUUID(), verdict: 'skipped', actor: 'ann' });
    const row = db.prepare("SELECT verdict, suggested, final, reason FROM decisions WHERE kind = 'shadow'").get() as Record<string, string>;
    expect(row).toMatchObject({ verdict: 'accepted', suggested: 'null', final: 'null' });
    expect(row.reason).toMatch(/under 0.9: would have suggested, not run/);
  });

  it('records an automatic run that failed as Tandem escalating, in the same transaction as the failure', async () => {
    const auto: ProcessMap = { ...REFUND, policy: [], steps: REFUND.steps.map((s) => (s.id === 'refund' ? { ...s, mode: 'auto' as const } : s)) };
    const seen: { stepId: string; ok: boolean }[] = [];
    runner = createRunner({ db, runs: createRunsRepo(db), decisions: createDecisionsRepo(db), tickets: createTicketsRepo(db), executors: sys.executors, now: () => ++clock, onAutoRun: (_run, step, ok) => seen.push({ stepId: step.id, ok }) });
    const first = runner.start({ ticketId, map: auto, fields: { order_id: '100001' }, confidence: 0.95, threshold: 0.9, actor: 'ann' });
    const run = await first;
    expect(stateOf(run).refund).toBe('done');
    await runner.cancel(run.id, 'ann');
    sys.failOnce(new TandemError('connector_unavailable', 'Payments answered 503'));
    // Without the lookup steps, the armed failure hits the automatic refund itself.
    const again = await runner.start({ ticketId, map: { ...auto, steps: auto.steps.filter((s) => s.id !== 'find' && s.id !== 'owner') }, fields: { order_id: '100001', amount: 45 }, confidence: 0.95, threshold: 0.9, actor: 'ann' });
    expect(again.state).toBe('escalated');
    expect(seen).toEqual([{ stepId: 'refund', ok: true }, { stepId: 'refund', ok: false }]);
    const esc = db.prepare("SELECT kind, verdict, actor, reason, final FROM decisions WHERE kind = 'escalation'").get() as { final: string; reason: string };
    expect(esc).toMatchObject({ kind: 'escalation', verdict: 'escalated', actor: 'tandem (auto)' });
    expect(esc.reason).toBe('automatic run failed: Payments answered 503');
    expect(JSON.parse(esc.final!)).toMatchObject({ message: 'Payments answered 503' });
  });

  it('runs auto steps alone when confidence allows, and suggests them when it does not', async () => {
    const auto: ProcessMap = { ...REFUND, policy: [], steps: REFUND.steps.map((s) => (s.id === 'refund' ? { ...s, mode: 'auto' as const } : s)) };
    let run = await runner.start({ ticketId, map: auto, fields: { order_id: '100001' }, confidence: 0.95, threshold: 0.9, actor: 'ann' });
    expect(stateOf(run).refund).toBe('done');
    expect(stepDecisions()).toEqual([{ step_id: 'refund', verdict: 'auto', actor: 'tandem (auto)' }]);
    await runner.cancel(run.id, 'ann');
    run = await runner.start({ ticketId, map: auto, fields: { order_id: '100001' }, confidence: 0.6, threshold: 0.5, actor: 'ann' });
    run = await runner.start({ ticketId, map: { ...auto, id: 'x' }, fields: { order_id: '100001' }, confidence: 0.6, threshold: 0.7, actor: 'ann' });
    expect(run.state).not.toBe('done');
  });

  it('tells the UI an accepted step is running before it finishes (a sign-in may wait minutes for a code)', async () => {
    const heard: { state: string; note: string }[] = [];
    let release!: () => void;
    const signIn = new Promise<void>((r) => (release = r));
    const browser = sys.executors.browser;
    sys.executors.browser = async (inputs, env) => {
      await signIn;
      return browser(inputs, env);
    };
    runner = createRunner({ db, runs: createRunsRepo(db), decisions: createDecisionsRepo(db), tickets: createTicketsRepo(db), executors: sys.executors, now: () => ++clock, onChange: (r) => heard.push({ state: r.state, note: stateOf(r).note! }) });
    let run = await start({ order_id: '100001' });
    run = await accept(run, 'refund');
    heard.length = 0;
    const accepted = accept(run, 'note');
    await expect.poll(() => heard).toEqual([{ state: 'running', note: 'running' }]);
    release();
    run = await accepted;
    expect(stateOf(run).note).toBe('done');
    expect(heard.at(-1)).toEqual({ state: 'waiting', note: 'done' }); // and the reply waits for its verdict
  });

  it('runs a browser read set to auto at once, like a lookup, without a misleading confidence note or a verdict', async () => {
    const read: ProcessMap = {
      ...REFUND,
      policy: [],
      steps: [{ id: 'peek', block: 'browser', connector: 'crm', mode: 'auto', side_effect: false, actions: [{ goto: '/customers/{{ fields.order_id }}' }] } as ProcessMap['steps'][number], ...REFUND.steps.slice(0, 1)],
    };
    const run = await runner.start({ ticketId, map: read, fields: { order_id: '100001' }, confidence: 0.95, threshold: 0.9, actor: 'ann' });
    expect(stateOf(run)).toEqual({ peek: 'done', find: 'done' });
    expect(run.steps[0]!.note ?? null).toBeNull();
    expect(sys.calls.filter((c) => c.kind === 'browser').map((c) => c.inputs.actions)).toEqual([[{ goto: '/customers/100001' }]]);
    expect(stepDecisions()).toEqual([]);
  });

  it('skips, takes over by hand and escalates with a reason, each recorded', async () => {
    let run = await start({ order_id: '100001' });
    run = await runner.decide({ runId: run.id, stepId: 'refund', decisionId: randomUUID(), verdict: 'manual', actor: 'ann', inputs: { refund_id: 're_by_hand' } });
    expect(run.steps[3]!.outputs).toEqual({ refund_id: 're_by_hand' });
    expect(run.steps[4]!.suggested).toMatchObject({ actions: [{ fill: { value: 'Refunded re_by_hand' } }] });
    run = await runner.decide({ runId: run.id, stepId: 'note', decisionId: randomUUID(), verdict: 'skipped', actor: 'ann', reason: 'CRM is down' });
    await expect(runner.decide({ runId: run.id, stepId: 'reply', decisionId: randomUUID(), verdict: 'escalated', actor: 'ann' })).rejects.toThrow(/Say why/);
    run = await runner.decide({ runId: run.id, stepId: 'reply', decisionId: randomUUID(), verdict: 'escalated', actor: 'ann', reason: 'customer is a VIP' });
    expect(run.state).toBe('escalated');
    expect(sys.refunds.size).toBe(0);
    expect(stepDecisions().map((d) => (d as { verdict: string }).verdict)).toEqual(['manual', 'skipped', 'escalated']);
  });

  it('records one decision for a retried call and refuses a second verdict', async () => {
    const run = await start({ order_id: '100001' });
    const decisionId = randomUUID();
    await Promise.all([accept(run, 'refund', { decisionId }), accept(run, 'refund', { decisionId })]);
    await expect(accept(run, 'refund')).rejects.toThrow(/not waiting/);
    expect(sys.refunds.size).toBe(1);
    expect(stepDecisions()).toHaveLength(1);
  });

  it('escalates a failed step; after the lead returns it, a retry reuses the idempotency key', async () => {
    let run = await start({ order_id: '100001' });
    sys.failOnce(new Error('Payments failed with 503'));
    run = await accept(run, 'refund');
    expect(run.state).toBe('escalated');
    expect(run.escalation).toMatch(/Payments failed with 503/);
    run = await runner.returnToAssociate({ runId: run.id, decisionId: randomUUID(), note: 'Payments is back, retry', actor: 'lead' });
    expect(run.state).toBe('waiting');
    run = await accept(run, 'refund');
    expect(stateOf(run).refund).toBe('done');
    const keys = sys.calls.filter((c) => c.inputs.method === 'POST').map((c) => c.key);
    expect(keys).toEqual(['refund-files:T-1-4500', 'refund-files:T-1-4500']);
  });

  it('after a crash mid-call, re-sends only what the system de-duplicates and asks about the rest', async () => {
    let run = await start({ order_id: '100001' });
    run = await accept(run, 'refund');
    // Simulate a process killed after writing "running" for the refund a second time and for the browser step.
    db.prepare("UPDATE run_steps SET state = 'running' WHERE step_id = 'refund'").run();
    db.prepare("UPDATE runs SET state = 'running'").run();
    runner = make();
    run = await runner.resume(run.id);
    expect(sys.refunds.size).toBe(1); // same key: replayed, not refunded twice
    expect(stateOf(run).note).toBe('awaiting_verdict');
    db.prepare("UPDATE run_steps SET state = 'running' WHERE step_id = 'note'").run();
    db.prepare("UPDATE runs SET state = 'running'").run();
    run = await make().resume(run.id);
    expect(stateOf(run).note).toBe('uncertain');
    expect(run.steps[4]!.note).toMatch(/check in the system whether it happened/);
    run = await runner.decide({ runId: run.id, stepId: 'note', decisionId: randomUUID(), verdict: 'manual', actor: 'ann' });
    expect(stateOf(run).note).toBe('done');
  });

  it('dry-runs the whole map: lookups are real, changes are only shown', async () => {
    const run = await start({ order_id: '100001' }, { dryRun: true });
    expect(run.state).toBe('done');
    expect((await start({}, { dryRun: true })).escalation).toMatch(/could not find order_id/); // a dry run shows escalations too
    expect(sys.refunds.size).toBe(0);
    expect(sys.calls.map((c) => c.kind)).toEqual(['http']);
    expect(run.steps[3]).toMatchObject({ state: 'done', note: 'simulated: nothing was sent', inputs: { body: { order: '100001', amount: 4500 } } });
    // The simulated refund's id is unknown, not missing: the CRM note shows where it would go instead of failing.
    expect(run.steps[4]!.inputs).toEqual({ connector: 'crm', actions: [{ fill: { target: { label: 'Note' }, value: 'Refunded ‹steps.refund.refund_id›' } }] });
    expect(stepDecisions()).toEqual([]);
  });

  it('returns the open run instead of starting a second one for the same ticket', async () => {
    const a = await start({ order_id: '100001' });
    const b = await start({ order_id: '100001' });
    expect(b.id).toBe(a.id);
  });

  const allDecisions = () => db.prepare('SELECT kind, step_id, verdict, actor, final FROM decisions ORDER BY seq').all() as { kind: string; step_id: string; verdict: string; actor: string; final: string }[];
  const edit = (run: { id: string }, stepId: string, inputs: Record<string, unknown>, extra: Partial<Parameters<Runner['decide']>[0]> = {}) =>
    runner.decide({ runId: run.id, stepId, decisionId: randomUUID(), verdict: 'edited', inputs, actor: 'ann', ...extra });
  const approve = (run: { id: string }, stepId: string, yes = true, reason?: string) =>
    runner.approve({ runId: run.id, stepId, decisionId: randomUUID(), approve: yes, actor: 'lead', ...(reason ? { reason } : {}) });
  const refundBody = (amount: unknown) => ({ method: 'POST', path: '/refunds', body: { order: '100002', amount } });

  it('asks the lead again when the associate edits a step after its approval, and sends exactly what the lead approved', async () => {
    let run = await start({ order_id: '100002' });
    run = await approve(run, 'refund');
    expect(stateOf(run).refund).toBe('awaiting_verdict');
    // The approval was for 45000 cents; the associate now wants to send 90000: that is not what the lead saw.
    run = await edit(run, 'refund', refundBody(90000), { reason: 'the customer also returned the lamp' });
    expect(run.state).toBe('waiting');
    expect(stateOf(run).refund).toBe('awaiting_approval');
    expect(run.steps[3]!.inputs).toMatchObject({ body: { amount: 90000 } });
    expect(run.steps[3]!.note).toBe('policy large: Over $200 needs a lead. (ann’s edit waits for a lead: “the customer also returned the lamp”)');
    expect(run.steps[3]!.proposalReason).toBe('the customer also returned the lamp');
    expect(sys.refunds.size).toBe(0);
    expect(allDecisions().filter((d) => d.kind === 'step')).toEqual([]); // nothing ran, so no verdict yet
    // The lead approves the edited values; the step comes back to the associate with them on screen.
    run = await approve(run, 'refund');
    expect(stateOf(run).refund).toBe('awaiting_verdict');
    expect(run.steps[3]!.inputs).toMatchObject({ body: { amount: 90000 } });
    expect(run.steps[3]!.note).toBe('lead approved the edited values: accept to send them');
    run = await accept(run, 'refund');
    expect(stateOf(run).refund).toBe('done');
    expect([...sys.refunds.values()].map((r) => r.amount)).toEqual([90000]);
    const rows = allDecisions().filter((d) => d.step_id === 'refund');
    expect(rows.map((d) => [d.kind, d.verdict, d.actor])).toEqual([
      ['approval', 'approved', 'lead'],
      ['approval', 'approved', 'lead'],
      ['step', 'edited', 'ann'],
    ]);
    expect(JSON.parse(rows[1]!.final).body.amount).toBe(90000);
    // The reason given with the edit is the verdict's, though the accept that sent it came after the lead's approval.
    expect(db.prepare("SELECT reason FROM decisions WHERE kind = 'step' AND step_id = 'refund'").pluck().get()).toBe('the customer also returned the lamp');
    expect(run.steps[3]!.proposalReason).toBeNull();
    expect(JSON.parse(rows[2]!.final).body.amount).toBe(90000);
    // The rule is about the refund: the CRM note does not wait for a lead.
    expect(stateOf(run).note).toBe('awaiting_verdict');
  });

  it('lets a rule read what the step would send, so an edit that crosses it waits for a lead, and a rejected edit brings back the suggestion', async () => {
    const map: ProcessMap = { ...REFUND, policy: [{ id: 'large', when: "step.id = 'refund' and $number(step.inputs.body.amount) > 20000", then: 'approval', reason: 'Over $200 needs a lead.' }] };
    let run = await runner.start({ ticketId, map, fields: { order_id: '100001' }, confidence: 0.9, threshold: 0.5, actor: 'ann' });
    expect(stateOf(run).refund).toBe('awaiting_verdict'); // 4500 cents: no approval needed
    run = await edit(run, 'refund', { method: 'POST', path: '/refunds', body: { order: '100001', amount: '30000' } });
    expect(stateOf(run).refund).toBe('awaiting_approval');
    expect(sys.refunds.size).toBe(0);
    run = await approve(run, 'refund', false, 'the order was 45 USD');
    expect(run.state).toBe('waiting');
    expect(stateOf(run).refund).toBe('awaiting_verdict');
    expect(run.steps[3]!.inputs).toBeNull();
    expect(run.steps[3]!.note).toBe("lead rejected the edited values: the order was 45 USD; Tandem's suggestion is back");
    run = await accept(run, 'refund');
    expect([...sys.refunds.values()].map((r) => r.amount)).toEqual([4500]);
    expect(allDecisions().filter((d) => d.step_id === 'refund').map((d) => [d.kind, d.verdict])).toEqual([
      ['approval', 'rejected'],
      ['step', 'accepted'],
    ]);
  });

  it('refuses an edit that breaks a rule that forbids, naming the rule, and writes and sends nothing', async () => {
    const map: ProcessMap = { ...REFUND, policy: [{ id: 'too_much', when: "step.id = 'refund' and step.inputs.body.amount > steps.find.total", then: 'block', reason: 'More than the order.' }] };
    const run = await runner.start({ ticketId, map, fields: { order_id: '100001' }, confidence: 0.9, threshold: 0.5, actor: 'ann' });
    const before = allDecisions();
    const err = (await edit(run, 'refund', { method: 'POST', path: '/refunds', body: { order: '100001', amount: 9000 } }).catch((e: unknown) => e)) as TandemError;
    expect(err).toMatchObject({ code: 'policy_blocked', message: 'Your edit of step "refund" breaks policy too_much: More than the order.' });
    expect(err.hint).toMatch(/Change the values, or escalate/);
    expect(allDecisions()).toEqual(before);
    expect(stateOf(await runner.advance(run.id)).refund).toBe('awaiting_verdict');
    expect(sys.refunds.size).toBe(0);
  });

  it('takes an approval only from a second person, unless the workspace turns four eyes off', async () => {
    const run = await start({ order_id: '100002' });
    expect(stateOf(run).refund).toBe('awaiting_approval');
    const before = allDecisions();
    await expect(runner.approve({ runId: run.id, stepId: 'refund', decisionId: randomUUID(), approve: true, actor: 'Ann' })).rejects.toMatchObject({
      code: 'policy_blocked',
      message: 'Ann started this run, so Ann cannot also approve "refund": an approval is a second person’s.',
    });
    expect(allDecisions()).toEqual(before);
    expect(sys.refunds.size).toBe(0);
    const solo = createRunner({ db, runs: createRunsRepo(db), decisions: createDecisionsRepo(db), tickets: createTicketsRepo(db), executors: sys.executors, now: () => ++clock, fourEyes: () => false });
    expect(stateOf(await solo.approve({ runId: run.id, stepId: 'refund', decisionId: randomUUID(), approve: true, actor: 'ann' })).refund).toBe('awaiting_verdict');
  });

  it('hands a step the lead rejected back to the associate, who skips it and goes on, with no second action by the lead', async () => {
    let run = await start({ order_id: '100002' });
    expect(stateOf(run).refund).toBe('awaiting_approval');
    run = await approve(run, 'refund', false, 'store credit instead');
    expect(run.state).toBe('waiting');
    expect(stateOf(run).refund).toBe('awaiting_verdict');
    expect(run.steps[3]!.note).toBe('lead rejected it: store credit instead — change it (E), skip it (S) or escalate (X)');
    run = await runner.decide({ runId: run.id, stepId: 'refund', decisionId: randomUUID(), verdict: 'skipped', reason: 'lead said store credit', actor: 'ann' });
    expect(stateOf(run).refund).toBe('skipped');
    // The CRM note quotes the refund's id: with the refund skipped it stops, naming why, instead of noting a blank.
    expect(stateOf(run).note).toBe('failed');
    expect(run.steps[4]!.error?.message).toMatch(/steps\.refund\.refund_id/);
    expect(sys.refunds.size).toBe(0);
  });

  it('lets the associate revise a step while it waits for a lead: an amount under the rule runs without the lead', async () => {
    const map: ProcessMap = { ...REFUND, policy: [{ id: 'large', when: "step.id = 'refund' and $number(step.inputs.body.amount) > 20000", then: 'approval', reason: 'Over $200 needs a lead.' }] };
    let run = await runner.start({ ticketId, map, fields: { order_id: '100002' }, confidence: 0.9, threshold: 0.5, actor: 'ann' });
    expect(stateOf(run).refund).toBe('awaiting_approval');
    await expect(accept(run, 'refund')).rejects.toMatchObject({ code: 'already_decided', message: 'Step "refund" waits for a lead\'s approval: accepting it again changes nothing.' });
    // Still over: the new values wait for the lead instead of the old ones.
    run = await edit(run, 'refund', { method: 'POST', path: '/refunds', body: { order: '100002', amount: 30000 } });
    expect(stateOf(run).refund).toBe('awaiting_approval');
    expect(run.steps[3]!.inputs).toMatchObject({ body: { amount: 30000 } });
    // Under: it runs at once, as edited.
    run = await edit(run, 'refund', { method: 'POST', path: '/refunds', body: { order: '100002', amount: 15000 } }, { reason: 'partial refund, one item kept' });
    expect(stateOf(run).refund).toBe('done');
    expect([...sys.refunds.values()].map((r) => r.amount)).toEqual([15000]);
    expect(allDecisions().filter((d) => d.step_id === 'refund').map((d) => [d.kind, d.verdict, d.actor])).toEqual([['step', 'edited', 'ann']]);
  });

  it('refuses an edited path with an empty part, naming it, and sends nothing', async () => {
    const run = await start({ order_id: '100001' });
    await expect(edit(run, 'refund', { method: 'POST', path: '/refunds//', body: { order: '100001', amount: 4500 } })).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringMatching(/^Your edit of step "refund": the path .* renders as \/refunds\/\/, which has an empty part\.$/),
    });
    expect(sys.refunds.size).toBe(0);
    expect(allDecisions().filter((d) => d.kind === 'step')).toEqual([]);
  });

  it('does not run a step the associate escalated until a lead hands it back, then records the run beside the escalation', async () => {
    let run = await start({ order_id: '100001' });
    run = await runner.decide({ runId: run.id, stepId: 'refund', decisionId: randomUUID(), verdict: 'escalated', reason: 'the customer mentions a chargeback', actor: 'ann' });
    expect(run.state).toBe('escalated');
    await expect(accept(run, 'refund')).rejects.toMatchObject({ code: 'already_decided', message: 'This run is escalated (ann: the customer mentions a chargeback): step "refund" no longer waits for your verdict.' });
    await expect(runner.decide({ runId: run.id, stepId: 'refund', decisionId: randomUUID(), verdict: 'escalated', reason: 'again', actor: 'ann' })).rejects.toMatchObject({ code: 'already_decided' });
    expect(sys.refunds.size).toBe(0);
    run = await runner.returnToAssociate({ runId: run.id, decisionId: randomUUID(), note: 'no chargeback on file, go ahead', actor: 'lead' });
    expect(run.state).toBe('waiting');
    expect(stateOf(run)).toMatchObject({ refund: 'awaiting_verdict', note: 'pending' });
    run = await accept(run, 'refund');
    expect(stateOf(run)).toMatchObject({ refund: 'done', note: 'awaiting_verdict' });
    expect(sys.refunds.size).toBe(1);
    expect(allDecisions().filter((d) => d.step_id === 'refund').map((d) => [d.kind, d.verdict, d.actor])).toEqual([
      ['step', 'escalated', 'ann'],
      ['escalation', 'returned', 'lead'],
      ['escalation', 'accepted', 'ann'],
    ]);
    expect(createDecisionsRepo(db).verify().broken).toBeNull();
  });
});

describe('runner policies at start', () => {
  it('escalates a map whose policy always escalates before any step runs', async () => {
    const dir = tempDir();
    const db = openDatabase(`${dir.path}/tandem.db`);
    try {
      createTicketsRepo(db).upsertMany([{ id: 't', source: 'files', externalId: 't', subject: 's', body: 'b', requester: { name: 'A', email: 'a@example.com' }, channel: 'email', createdAt: 1, contentHash: 'h' }], 1);
      const sys = fakeSystems({});
      const runner = createRunner({ db, runs: createRunsRepo(db), decisions: createDecisionsRepo(db), tickets: createTicketsRepo(db), executors: sys.executors, now: () => 5 });
      const other = MapSchema.parse({
        id: 'other',
        version: 1,
        intent: { title: 'Other', description: 'x', examples: ['something else'] },
        policy: [{ id: 'always', when: 'true', then: 'escalate', reason: 'No map covers this request.' }, { id: 'later', when: 'steps.x.y > 1', then: 'block', reason: 'n/a' }],
        steps: [{ id: 'handle', block: 'manual', instructions: 'Answer by hand' }],
      });
      const run = await runner.start({ ticketId: 't', map: other, fields: {}, confidence: 1, threshold: 0.5, actor: 'ann' });
      expect(run.state).toBe('escalated');
      expect(run.escalation).toBe('Policy always: No map covers this request.');
      expect(run.steps[0]!.state).toBe('pending');
    } finally {
      db.close();
      dir.cleanup();
    }
  });
});

describe('runner fields supplied by a person', () => {
  it('restarts an escalated run with the order id the associate supplies, and records that', async () => {
    const dir = tempDir();
    const db = openDatabase(`${dir.path}/tandem.db`);
    try {
      createTicketsRepo(db).upsertMany([{ id: 'files:T-1', source: 'files', externalId: 'T-1', subject: 's', body: 'refund please', requester: { name: 'Ann', email: 'ann@example.com' }, channel: 'email', createdAt: 1, contentHash: 'h' }], 1);
      const sys = fakeSystems({ '100001': { total: 4500, email: 'ann@example.com' } });
      const runner = createRunner({ db, runs: createRunsRepo(db), decisions: createDecisionsRepo(db), tickets: createTicketsRepo(db), executors: sys.executors, now: () => 9 });
      let run = await runner.start({ ticketId: 'files:T-1', map: REFUND, fields: {}, confidence: 1, threshold: 0.5, actor: 'ann' });
      expect(run.escalation).toMatch(/could not find order_id/);
      run = await runner.supplyFields({ runId: run.id, decisionId: randomUUID(), fields: { order_id: '100001' }, actor: 'ann' });
      expect(run.state).toBe('waiting');
      expect(run.steps.find((s) => s.stepId === 'refund')!.suggested).toMatchObject({ body: { order: '100001', amount: 4500 } });
      expect(db.prepare("SELECT kind, verdict, final FROM decisions").get()).toEqual({ kind: 'escalation', verdict: 'edited', final: '{"order_id":"100001"}' });
      run = await runner.decide({ runId: run.id, stepId: 'refund', decisionId: randomUUID(), verdict: 'accepted', actor: 'ann' });
      await expect(runner.supplyFields({ runId: run.id, decisionId: randomUUID(), fields: { order_id: '100002' }, actor: 'ann' })).rejects.toThrow(/already changed something/);
    } finally {
      db.close();
      dir.cleanup();
    }
  });
});

describe('runner.revert: a person marks an automatic run as reverted', () => {
  const AUTO_REFUND: ProcessMap = { ...REFUND, policy: [], steps: REFUND.steps.map((s) => (s.id === 'refund' ? { ...s, mode: 'auto' as const } : s)) };
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  let runner: Runner;
  let sys: ReturnType<typeof fakeSystems>;
  let reverted: string[];
  const ticketId = 'files:T-1';

  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(`${dir.path}/tandem.db`);
    createTicketsRepo(db).upsertMany([{ id: ticketId, source: 'files', externalId: 'T-1', subject: 'refund', body: 'refund order 100001', requester: { name: 'Ann', email: 'ann@example.com' }, channel: 'email', createdAt: 1, contentHash: 'h' }], 1);
    sys = fakeSystems({ '100001': { total: 4500, email: 'ann@example.com' } });
    reverted = [];
    let clock = 1_000;
    runner = createRunner({ db, runs: createRunsRepo(db), decisions: createDecisionsRepo(db), tickets: createTicketsRepo(db), executors: sys.executors, now: () => ++clock, onRevert: (run, step) => reverted.push(`${run.id}/${step.id}`) });
  });
  afterEach(() => {
    db.close();
    dir.cleanup();
  });

  const rows = () => db.prepare('SELECT kind, verdict, actor, step_id, suggested, final, reason FROM decisions ORDER BY seq').all();
  const revert = (runId: string, stepId: string, extra: Partial<Parameters<Runner['revert']>[0]> = {}) =>
    runner.revert({ runId, stepId, decisionId: randomUUID(), reason: 'refunded twice; reversed in Payments', actor: 'lee', ...extra });

  it('records who reverted a finished automatic run, when and why, notes it on the step, and tells the app', async () => {
    const run = await runner.start({ ticketId, map: AUTO_REFUND, fields: { order_id: '100001' }, confidence: 0.95, threshold: 0.9, actor: 'ann' });
    expect(run.steps.find((s) => s.stepId === 'refund')!.state).toBe('done');
    const after = await revert(run.id, 'refund', { reason: '  refunded twice; reversed in Payments  ' });
    expect(after.steps.find((s) => s.stepId === 'refund')).toMatchObject({ state: 'done', note: 'reverted by lee: refunded twice; reversed in Payments' });
    const sent = JSON.stringify({ connector: 'payments', method: 'POST', path: '/refunds', body: { order: '100001', amount: 4500 } });
    expect(rows().at(-1)).toEqual({ kind: 'revert', verdict: 'reverted', actor: 'lee', step_id: 'refund', suggested: sent, final: 'null', reason: 'refunded twice; reversed in Payments' });
    expect(db.prepare("SELECT ticket_id, run_id, map_id, map_version, decided_at > 0 AS timed FROM decisions WHERE kind = 'revert'").get()).toEqual({ ticket_id: ticketId, run_id: run.id, map_id: 'refund_request', map_version: 4, timed: 1 });
    expect(reverted).toEqual([`${run.id}/refund`]);
    expect(createDecisionsRepo(db).verify().broken).toBeNull();
  });

  it('reverts once: a second revert names the run and step and writes nothing; the same call retried is not a second', async () => {
    const run = await runner.start({ ticketId, map: AUTO_REFUND, fields: { order_id: '100001' }, confidence: 0.95, threshold: 0.9, actor: 'ann' });
    const decisionId = randomUUID();
    await revert(run.id, 'refund', { decisionId });
    const before = rows();
    await revert(run.id, 'refund', { decisionId }); // a double click
    expect(rows()).toEqual(before);
    const err = await revert(run.id, 'refund', { actor: 'max', reason: 'it was wrong' }).catch((e: unknown) => e as TandemError);
    expect(err).toBeInstanceOf(TandemError);
    expect(err).toMatchObject({ code: 'already_decided' });
    expect((err as TandemError).message).toMatch(new RegExp(`^Step "refund" of run ${run.id} was already marked as reverted by lee on \\d{4}-`));
    expect((err as TandemError).hint).toMatch(/refunded twice; reversed in Payments\. Nothing was written\./);
    expect(rows()).toEqual(before);
    expect(reverted).toHaveLength(1);
  });

  it('refuses a step a person decided, a step that never ran, a failed automatic run, an unknown step and an empty reason, writing nothing', async () => {
    // A person accepted the refund: not automatic.
    let run = await runner.start({ ticketId, map: REFUND, fields: { order_id: '100001' }, confidence: 0.95, threshold: 0.9, actor: 'ann' });
    run = await runner.decide({ runId: run.id, stepId: 'refund', decisionId: randomUUID(), verdict: 'accepted', actor: 'ann' });
    const before = rows();
    await expect(revert(run.id, 'refund')).rejects.toThrow(new RegExp(`^Step "refund" of run ${run.id} was not run automatically by Tandem \\(its verdict is accepted, by ann\\)`));
    await expect(revert(run.id, 'note')).rejects.toThrow(/was not run automatically by Tandem \(it has no verdict\)/);
    await expect(revert(run.id, 'find')).rejects.toThrow(/was not run automatically by Tandem/); // a lookup has no verdict
    await expect(revert(run.id, 'nope')).rejects.toMatchObject({ code: 'not_found', message: `Run ${run.id} has no step "nope".` });
    await expect(revert('no-such-run', 'refund')).rejects.toMatchObject({ code: 'not_found' });
    expect(rows()).toEqual(before);
    await runner.cancel(run.id, 'ann');

    // An automatic run that failed: it changed nothing to undo, and already counts against the step.
    sys.failOnce(new TandemError('connector_unavailable', 'Payments answered 503'));
    const failed = await runner.start({ ticketId, map: { ...AUTO_REFUND, steps: AUTO_REFUND.steps.filter((s) => s.id !== 'find' && s.id !== 'owner') }, fields: { order_id: '100001', amount: 45 }, confidence: 0.95, threshold: 0.9, actor: 'ann' });
    expect(failed.steps.find((s) => s.stepId === 'refund')!.state).toBe('failed');
    const beforeFailed = rows();
    const err = await revert(failed.id, 'refund').catch((e: unknown) => e as TandemError);
    expect((err as TandemError).message).toBe(`Step "refund" of run ${failed.id} ran automatically but is failed, not done: only a finished automatic run can be marked as reverted.`);
    expect((err as TandemError).hint).toMatch(/already counts against the step/);
    await runner.cancel(failed.id, 'ann');
    expect(rows()).toEqual(beforeFailed);

    const done = await runner.start({ ticketId, map: AUTO_REFUND, fields: { order_id: '100001' }, confidence: 0.95, threshold: 0.9, actor: 'ann' });
    const beforeEmpty = rows();
    await expect(revert(done.id, 'refund', { reason: '   ' })).rejects.toMatchObject({ code: 'bad_input', message: `Say why step "refund" of run ${done.id} is marked as reverted: what was wrong, and what you undid by hand.` });
    expect(rows()).toEqual(beforeEmpty);
    expect(reverted).toEqual([]);
  });
});
