import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TandemError } from '../domain/errors.ts';
import { MapSchema, StepSchema } from '../maps/schema.ts';
import { openDatabase, type Db } from '../store/db.ts';
import { createDecisionsRepo } from '../store/decisions-repo.ts';
import { createRunsRepo } from '../store/runs-repo.ts';
import { createTicketsRepo } from '../store/tickets-repo.ts';
import { tempDir } from '../testing/temp-dirs.ts';
import { dryRun } from './dry-run.ts';
import type { Executors } from './executors.ts';
import { prepareStep, type RunContext } from './prepare.ts';
import { createRunner } from './runner.ts';

const ticket = { id: 'files:T-1', externalId: 'T-1', source: 'files', subject: 'Cancel', body: 'cancel my plan', requester: { name: 'Ann', email: 'ann@example.com' }, channel: 'email' };
const ctx = (steps: RunContext['steps'], fields: Record<string, unknown> = {}): RunContext => ({ ticket, fields, steps });
const step = (s: unknown) => StepSchema.parse(s);
const failure = async (p: Promise<unknown>): Promise<TandemError> => {
  try {
    await p;
  } catch (err) {
    if (err instanceof TandemError) return err;
    throw err;
  }
  throw new Error('expected the preparation to fail');
};

const CANCEL = step({ id: 'cancel', title: 'Cancel it in Billing', block: 'http', connector: 'billing', method: 'POST', path: '/api/subscriptions/{{ steps.find.subscription_id }}/cancel', idempotency_key: 'cancel-{{ steps.find.subscription_id }}' });

describe('prepareStep: a request path', () => {
  it('with a value that found nothing is refused, naming the step, the template and the value', async () => {
    const e = await failure(prepareStep(CANCEL, ctx({ find: { status: 200, subscription_id: null } })));
    expect(e.code).toBe('bad_input');
    expect(e.message).toBe('Step "Cancel it in Billing": the path /api/subscriptions/{{ steps.find.subscription_id }}/cancel would have an empty value where {{ steps.find.subscription_id }} goes: step "find" gave no subscription_id (it is null).');
    expect(e.hint).toMatch(/^Nothing was sent\. .*\$boolean\(steps\.find\.subscription_id\)/);
  });

  it('is refused whatever made the part empty: a skipped step, an unset field, "", "null", a value with a slash', async () => {
    expect((await failure(prepareStep(CANCEL, ctx({})))).message).toMatch(/step "find" did not run \(it was skipped\), so it has no subscription_id\.$/);
    const byField = step({ id: 'find', block: 'http', connector: 'orders', path: '/api/orders/{{ fields.order_id }}' });
    expect((await failure(prepareStep(byField, ctx({}, {}))))!.message).toMatch(/where \{\{ fields\.order_id \}\} goes: the field order_id is not set\.$/);
    expect((await failure(prepareStep(byField, ctx({}, { order_id: ' ' })))).message).toMatch(/it gives " "\.$/);
    const stringified = step({ id: 'find', block: 'http', connector: 'orders', path: '/api/orders/{{ $string(fields.order_id) }}' });
    expect((await failure(prepareStep(stringified, ctx({}, { order_id: null })))).message).toMatch(/where \{\{ \$string\(fields\.order_id\) \}\} goes: the field order_id is not set\.$/);
    expect((await failure(prepareStep(byField, ctx({}, { order_id: 'null' })))).message).toMatch(/where \{\{ fields\.order_id \}\} goes: it gives "null"\.$/);
    expect((await failure(prepareStep(byField, ctx({}, { order_id: '/104233' })))).message).toBe('Step "find": the path /api/orders/{{ fields.order_id }} renders as /api/orders//104233, which has an empty part.');
  });

  it('keeps a trailing slash the template itself has, and sends a full path as it is', async () => {
    const list = step({ id: 'list', block: 'http', connector: 'orders', path: '/api/orders/', query: { email: '{{ ticket.requester.email }}' } });
    expect((await prepareStep(list, ctx({}))).inputs).toEqual({ connector: 'orders', method: 'GET', path: '/api/orders/', query: { email: 'ann@example.com' } });
    expect((await prepareStep(CANCEL, ctx({ find: { status: 200, subscription_id: 'sub_1' } })))).toEqual({
      inputs: { connector: 'billing', method: 'POST', path: '/api/subscriptions/sub_1/cancel' },
      idempotencyKey: 'cancel-sub_1',
      unknown: [],
    });
  });

  it('refuses an idempotency key with a gap: it could match another request, which the system would then not do', async () => {
    const refund = step({ id: 'refund', block: 'http', connector: 'payments', method: 'POST', path: '/v1/refunds', idempotency_key: 'refund-{{ ticket.id }}-{{ steps.find.charge_id }}' });
    const e = await failure(prepareStep(refund, ctx({ find: { status: 200, charge_id: null } })));
    expect(e.message).toBe('Step "refund": the idempotency key refund-{{ ticket.id }}-{{ steps.find.charge_id }} would have an empty value where {{ steps.find.charge_id }} goes: step "find" gave no charge_id (it is null).');
    expect(e.hint).toMatch(/A key with a gap can match another request/);
  });

  it('refuses a query value that needs a missing value', async () => {
    const find = step({ id: 'find', block: 'http', connector: 'billing', path: '/api/subscriptions', query: { email: '{{ $exists(fields.account_email) ? fields.account_email : ticket.requester.email }}' } });
    expect((await failure(prepareStep(find, ctx({}, { account_email: null })))).message).toMatch(/^Step "find" query\.email: .* would leave a blank in the query: the field account_email is not set\.$/);
    const fixed = step({ id: 'find', block: 'http', connector: 'billing', path: '/api/subscriptions', query: { email: '{{ fields.account_email ?: ticket.requester.email }}' } });
    expect((await prepareStep(fixed, ctx({}, { account_email: null }))).inputs.query).toEqual({ email: 'ann@example.com' });
  });
});

describe('prepareStep: a reply or a browser action', () => {
  const REPLY = step({ id: 'reply', title: 'Tell the customer', block: 'reply', body: 'Hi {{ ticket.requester.name }},\n\nOrder {{ fields.order_id }} is {{ steps.find_order.order_status }}.' });

  it('that reads an output of a skipped step is refused before anything is sent', async () => {
    const e = await failure(prepareStep(REPLY, ctx({}, { order_id: '106746' })));
    expect(e.message).toBe('Step "Tell the customer" body: {{ steps.find_order.order_status }} would leave a blank in the reply: step "find_order" did not run (it was skipped), so it has no order_status.');
    expect(e.hint).toMatch(/^Nothing was sent\. Fix the map so the reply reads only values that exist on its path: a "when" on the step, or an alternative such as \{\{ steps\.find_order\.order_status \?: '…' \}\}/);
  });

  it('that reads an output that came back null is refused, even inside a longer expression', async () => {
    const r = step({ id: 'reply', block: 'reply', body: "{{ steps.find.status = 'processing' ? 'Not shipped yet.' : 'With ' & steps.find.carrier & '.' }}" });
    expect((await failure(prepareStep(r, ctx({ find: { status: 'shipped', carrier: null } })))).message).toMatch(/would leave a blank in the reply: step "find" gave no carrier \(it is null\)\.$/);
    // The branch that does not need it is fine.
    expect((await prepareStep(r, ctx({ find: { status: 'processing', carrier: null } }))).inputs.body).toBe('Not shipped yet.');
  });

  it('with an alternative for what may be missing, or an empty text on purpose, is prepared', async () => {
    const r = step({ id: 'reply', block: 'reply', body: "Your {{ steps.find.plan ?: 'plan' }} ends{{ fields.when ? ' on ' & fields.when : '' }}." });
    expect((await prepareStep(r, ctx({}))).inputs).toEqual({ public: true, body: 'Your plan ends.' });
  });

  it('that types a missing value into a browser field is refused', async () => {
    const note = step({ id: 'note', title: 'Note it in the CRM', block: 'browser', connector: 'crm', actions: [{ goto: '/customers' }, { fill: { target: { label: 'Note' }, value: 'Refunded {{ $formatNumber(steps.refund.cents / 100, "#,##0.00") }} USD' } }] });
    expect((await failure(prepareStep(note, ctx({ refund: { status: 200, cents: null } })))).message).toBe(
      'Step "Note it in the CRM" actions[1].fill.value: {{ $formatNumber(steps.refund.cents / 100, "#,##0.00") }} would leave a blank in the browser action: step "refund" gave no cents (it is null).',
    );
  });

  it('shows what a step done by hand did not tell Tandem, for the associate to fill in — but never in a step that runs alone', async () => {
    const reply = step({ id: 'reply', block: 'reply', body: 'Your refund {{ steps.refund.refund_id }} is on its way.' });
    expect(await prepareStep(reply, ctx({ refund: {} }))).toEqual({ inputs: { public: true, body: 'Your refund ‹steps.refund.refund_id› is on its way.' }, idempotencyKey: null, unknown: ['steps.refund.refund_id'] });
    // Marked where it goes inside a longer expression; where it cannot be (arithmetic), the expression's place is.
    const longer = step({ id: 'reply', block: 'reply', body: "{{ $exists(steps.refund) ? 'Refund ' & steps.refund.refund_id & ' is on its way.' : 'No refund.' }} {{ steps.refund.cents / 100 }} USD" });
    expect((await prepareStep(longer, ctx({ refund: {} }))).inputs.body).toBe('Refund ‹steps.refund.refund_id› is on its way. ‹steps.refund.cents› USD');
    const wait = step({ id: 'note', block: 'browser', connector: 'crm', actions: [{ wait_for: { text: '{{ steps.refund.refund_id }}' } }] });
    expect((await prepareStep(wait, ctx({ refund: {} }))).inputs.actions).toEqual([{ wait_for: { text: '‹steps.refund.refund_id›' } }]);
    const auto = step({ id: 'reply', block: 'reply', mode: 'auto', body: 'Your refund {{ steps.refund.refund_id }} is on its way.' });
    expect((await failure(prepareStep(auto, ctx({ refund: {} })))).message).toMatch(/step "refund" gave Tandem no outputs \(it was done by hand, or simulated\), so its refund_id is not known, and this step runs alone, so nobody would fill it in\.$/);
    // Nor in a path: a lookup runs at once.
    const lookup = step({ id: 'find', block: 'http', connector: 'payments', path: '/v1/refunds/{{ steps.refund.refund_id }}' });
    expect((await failure(prepareStep(lookup, ctx({ refund: {} })))).message).toMatch(/^Step "find": the path .* so its refund_id is not known\.$/);
  });

  it('in a dry run, shows what a simulated step would give as unknown, in any place', async () => {
    const simulated = new Set(['refund']);
    const lookup = step({ id: 'find', block: 'http', connector: 'payments', path: '/v1/refunds/{{ steps.refund.refund_id }}' });
    expect(await prepareStep(lookup, ctx({ refund: {} }), { simulated })).toMatchObject({ inputs: { path: '/v1/refunds/‹steps.refund.refund_id›' }, unknown: ['steps.refund.refund_id'] });
    // A value missing for another reason is still refused.
    const reply = step({ id: 'reply', block: 'reply', body: '{{ steps.refund.refund_id }} for {{ steps.find.order_id }}' });
    expect((await failure(prepareStep(reply, ctx({ refund: {}, find: { order_id: null } }), { simulated })))).toBeInstanceOf(TandemError);
  });
});

describe('a run over a lookup that found nothing', () => {
  // The demo's cancel map as it was: $exists() holds for null, so the condition let a missing id through.
  const MAP = MapSchema.parse({
    id: 'cancel_subscription',
    version: 1,
    intent: { title: 'Cancel', description: 'Stop a plan', examples: ['cancel my plan'] },
    steps: [
      { id: 'find', block: 'http', connector: 'billing', path: '/api/subscriptions', query: { email: '{{ ticket.requester.email }}' }, outputs: { subscription_id: 'body.subscriptions[status = "active"][0].id', plan: 'body.subscriptions[status = "active"][0].plan' } },
      { id: 'has', block: 'condition', if: '$exists(steps.find.subscription_id)', else: { escalate: 'No active subscription.' } },
      { id: 'cancel', block: 'http', connector: 'billing', method: 'POST', title: 'Cancel it in Billing', path: '/api/subscriptions/{{ steps.find.subscription_id }}/cancel', idempotency_key: 'cancel-{{ steps.find.subscription_id }}' },
      { id: 'reply', block: 'reply', body: 'Your {{ steps.find.plan }} plan is cancelled.' },
    ],
  });
  const calls: Record<string, unknown>[] = [];
  const executors: Executors = {
    async http(inputs) {
      calls.push(inputs);
      return { status: 200, body: { subscriptions: [{ id: 'sub_9', status: 'cancelled', plan: 'Plus' }] }, headers: {} };
    },
    async browser() {
      throw new Error('no browser here');
    },
    async reply(inputs) {
      calls.push(inputs);
      return { comment_id: 'c1' };
    },
  };
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  beforeEach(() => {
    calls.length = 0;
    dir = tempDir();
    db = openDatabase(`${dir.path}/tandem.db`);
    createTicketsRepo(db).upsertMany([{ ...ticket, channel: 'email', createdAt: 1, contentHash: 'h' }], 1);
  });
  afterEach(() => {
    db.close();
    dir.cleanup();
  });

  it('escalates at the step whose path would have an empty part, and never calls the system with it', async () => {
    let clock = 1;
    const runner = createRunner({ db, runs: createRunsRepo(db), decisions: createDecisionsRepo(db), tickets: createTicketsRepo(db), executors, now: () => ++clock });
    const run = await runner.start({ ticketId: ticket.id, map: MAP, fields: {}, confidence: 1, threshold: 0.7, actor: 'ann' });
    expect(run.state).toBe('escalated');
    expect(run.escalation).toMatch(/^Step "Cancel it in Billing" could not be prepared: Step "Cancel it in Billing": the path \/api\/subscriptions\/\{\{ steps\.find\.subscription_id \}\}\/cancel would have an empty value where \{\{ steps\.find\.subscription_id \}\} goes: step "find" gave no subscription_id \(it is null\)\.$/);
    expect(run.steps.map((s) => [s.stepId, s.state])).toEqual([['find', 'done'], ['has', 'done'], ['cancel', 'failed'], ['reply', 'pending']]);
    expect(run.steps[2]!.error).toMatchObject({ code: 'bad_input', hint: expect.stringMatching(/^Nothing was sent\./) as string });
    expect(calls).toEqual([{ connector: 'billing', method: 'GET', path: '/api/subscriptions', query: { email: 'ann@example.com' } }]);
  });

  it('escalates at a reply that needs the output of a step the associate skipped', async () => {
    let clock = 1;
    const runner = createRunner({ db, runs: createRunsRepo(db), decisions: createDecisionsRepo(db), tickets: createTicketsRepo(db), executors, now: () => ++clock });
    const map = MapSchema.parse({ ...MAP, steps: [MAP.steps[0], { ...MAP.steps[2], path: '/api/subscriptions/sub_9/cancel', idempotency_key: 'cancel-sub_9' }, { id: 'reply', block: 'reply', body: 'Cancelled at {{ steps.cancel.cancelled_at }}.' }] });
    const cancel = map.steps[1]!;
    if (cancel.block !== 'http') throw new Error('the cancel step is an http step');
    cancel.outputs = { cancelled_at: 'body.cancelled_at' };
    let run = await runner.start({ ticketId: ticket.id, map, fields: {}, confidence: 1, threshold: 0.7, actor: 'ann' });
    run = await runner.decide({ runId: run.id, stepId: 'cancel', decisionId: randomUUID(), verdict: 'skipped', actor: 'ann' });
    expect(run.state).toBe('escalated');
    expect(run.steps.map((s) => s.state)).toEqual(['done', 'skipped', 'failed']);
    expect(run.steps[2]!.error!.message).toBe('Step "reply" body: {{ steps.cancel.cancelled_at }} would leave a blank in the reply: step "cancel" did not run (it was skipped), so it has no cancelled_at.');
    expect(calls.filter((c) => 'body' in c)).toEqual([]); // no reply went out
  });

  it('a dry run reports the same, and shows what it could not know instead of a blank', async () => {
    const lookup = { http: executors.http };
    const r = await dryRun(MAP, ctx({}), lookup);
    expect(r.outcome).toBe('escalated');
    expect(r.steps.map((s) => s.state)).toEqual(['looked_up', 'would_run', 'failed', 'not_reached']);
    expect(r.escalation).toMatch(/^Step "Cancel it in Billing" could not be prepared: Step "Cancel it in Billing": the path .* step "find" gave no subscription_id \(it is null\)\.$/);

    // Without lookups, what the map decides on values it could not know says so.
    const blind = await dryRun(MAP, ctx({}), null);
    expect(blind.steps.map((s) => s.state)).toEqual(['would_run', 'would_escalate', 'not_reached', 'not_reached']);
    expect(blind.steps[1]!.note).toBe('No active subscription. (it reads steps.find.subscription_id, which this dry run does not know)');
  });

  it('a dry run never looks something up with a value it does not know', async () => {
    const seen: unknown[] = [];
    const map = MapSchema.parse({
      ...MAP,
      steps: [
        { id: 'create', block: 'http', connector: 'billing', method: 'POST', path: '/api/subscriptions', idempotency_key: 'create-{{ ticket.id }}', outputs: { id: 'body.id' } },
        { id: 'read', block: 'http', connector: 'billing', path: '/api/subscriptions/{{ steps.create.id }}', outputs: { plan: 'body.plan' } },
      ],
    });
    const r = await dryRun(map, ctx({}), { http: async (inputs) => (seen.push(inputs), { status: 200, body: {}, headers: {} }) });
    expect(seen).toEqual([]);
    expect(r.steps[1]).toMatchObject({ state: 'would_run', note: 'simulated (it reads steps.create.id, which this dry run does not know)' });
  });
});
