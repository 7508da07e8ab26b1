// runs.revert through the contract: a person marks a step Tandem ran alone as undone by hand; the record gets it
// once, with the reason, and the step is demoted as after a failure, with the same notice to the lead.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload, ReviewItem, Run, Stats, TicketDetail } from '../contract/index.ts';
import { SMALL_WORKSPACE, tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { acceptReadings } from '../testing/decisions.ts';
import { createApp, type App } from './create-app.ts';

const REFUND = `id: refund_request\nversion: 1\nintent:\n  title: Refund request\n  description: Money back\n  examples: [I want a refund for my order, please refund me]\nfields:\n  - name: order_id\n    type: string\n    pattern: '(\\\\d{6})'\nsteps:\n  - id: tell\n    block: reply   # the answer\n    mode: auto\n    body: Refunded\n  - id: check\n    block: manual\n    instructions: Check the refund went out\n`;

describe('runs.revert', () => {
  let data: ReturnType<typeof tempDir>;
  let ws: ReturnType<typeof tempDir>;
  let app: App;
  let run: Run;
  const demoted: EventPayload<'step.demoted'>[] = [];
  const recorded: EventPayload<'decision.recorded'>[] = [];

  beforeEach(async () => {
    data = tempDir();
    ws = tempDir();
    writeFiles(ws.path, { ...SMALL_WORKSPACE, 'maps/refund.yaml': REFUND });
    app = createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: 't', user: 'lee' });
    demoted.length = 0;
    recorded.length = 0;
    app.events.on('step.demoted', (e) => demoted.push(e));
    app.events.on('decision.recorded', (e) => recorded.push(e));
    await acceptReadings(app, ['files:A-1']);
    const detail = await call<TicketDetail>('tickets.get', { id: 'files:A-1' });
    run = detail.run!;
    // The reply went out on its own (a ticket from a file: kept in the record); the manual check waits for a person.
    expect(run.steps.map((s) => [s.stepId, s.state])).toEqual([['tell', 'done'], ['check', 'awaiting_verdict']]);
  });
  afterEach(() => {
    app.close();
    data.cleanup();
    ws.cleanup();
  });

  async function call<T>(name: string, input: unknown): Promise<T> {
    const r = await app.invoke(name, input);
    if (!r.ok) throw Object.assign(new Error(r.error.message), r.error);
    return r.value as T;
  }
  const count = () => Number(app.db.prepare('SELECT count(*) FROM decisions').pluck().get());
  const revert = (input: Record<string, unknown>) => app.invoke('runs.revert', { runId: run.id, stepId: 'tell', decisionId: randomUUID(), reason: 'wrong customer; deleted the reply in the helpdesk', ...input });

  it('records the revert, notes it on the step, and demotes the step with a notice naming the revert', async () => {
    const after = await call<Run>('runs.revert', { runId: run.id, stepId: 'tell', decisionId: randomUUID(), reason: 'wrong customer; deleted the reply in the helpdesk' });
    expect(after.steps[0]).toMatchObject({ stepId: 'tell', state: 'done', note: 'reverted by lee: wrong customer; deleted the reply in the helpdesk' });
    expect(recorded.at(-1)).toMatchObject({ kind: 'revert', verdict: 'reverted', actor: 'lee', runId: run.id, stepId: 'tell', ticketId: 'files:A-1', reason: 'wrong customer; deleted the reply in the helpdesk' });
    // 1 bad run of 1: the Wilson lower bound of 1/1 at 95% is 20.7%, above the 5% tolerated by the default 95% threshold.
    expect(demoted).toHaveLength(1);
    expect(demoted[0]).toMatchObject({ mapId: 'refund_request', stepId: 'tell', from: 'auto', to: 'suggest', runs: 1, failures: 0, reverted: 1, error: null });
    expect(demoted[0]!.reason).toBe('automatic runs get reverted — evidence: 1 of the last 1 automatic runs went wrong (0 failed, 1 reverted by hand): the rate is at least 20.7% at 95%, above the 5.0% tolerated');
    const file = readFileSync(join(ws.path, 'maps/refund.yaml'), 'utf8');
    expect(file).toContain('version: 2\n');
    expect(file).toContain('    block: reply   # the answer\n    body: Refunded\n'); // suggest is the default: no mode line
    expect(app.workspace.maps.find((m) => m.id === 'refund_request')!.steps[0]!.mode).toBe('suggest');
    const stats = await call<Stats>('stats.get', {});
    expect(stats.modeChanges[0]).toMatchObject({ verdict: 'demoted', actor: 'tandem', mapId: 'refund_request', stepId: 'tell' });
    expect(stats.steps.find((s) => s.stepId === 'tell')).toMatchObject({ autoRuns: 1, autoFailures: 0, autoReverts: 1, autoReverted: { rate: 1 } });
    const review = await call<{ total: number; items: ReviewItem[] }>('review.list', { verdict: 'reverted' });
    expect(review.total).toBe(1);
    expect(review.items[0]).toMatchObject({ kind: 'revert', reason: 'wrong customer; deleted the reply in the helpdesk', ticket: { id: 'files:A-1' } });
  });

  it('refuses an empty reason, a step a person decides, and a second revert, writing nothing', async () => {
    const before = count();
    const empty = await revert({ reason: '   ' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    expect(!empty.ok && empty.error.message).toMatch(/runs\.revert got bad input: reason: say what was wrong and what you undid by hand/);
    const noId = await app.invoke('runs.revert', { runId: run.id, stepId: 'tell', reason: 'x' });
    expect(noId).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    const manual = await revert({ stepId: 'check' });
    expect(manual).toMatchObject({ ok: false, error: { code: 'bad_input', message: `Step "check" of run ${run.id} was not run automatically by Tandem (it has no verdict): only an automatic run can be marked as reverted.` } });
    expect(count()).toBe(before);

    expect((await revert({})).ok).toBe(true);
    const afterFirst = count();
    const second = await revert({ reason: 'also this' });
    expect(second).toMatchObject({ ok: false, error: { code: 'already_decided' } });
    expect(!second.ok && second.error.message).toMatch(new RegExp(`^Step "tell" of run ${run.id} was already marked as reverted by lee on `));
    expect(count()).toBe(afterFirst);
    expect(demoted).toHaveLength(1);
  });
});
