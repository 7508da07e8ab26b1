// The done-when of issue 8, through createApp and the demo sandbox: a scripted day of an associate's work, after which
// the dashboard's figures match a tally kept by the script itself; the reply step crosses the workspace's threshold in
// shadow, is promoted, then demoted by Tandem after injected failures, promoted again and demoted after reverts; the
// export opens as a spreadsheet would read it; and `tandem log verify` names a row edited behind Tandem's back.
import { randomUUID } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload, ReviewItem, Stats, TicketDetail, TicketSummary, TimelinePoint } from '../contract/index.ts';
import type { Run } from '../domain/run.ts';
import { startDemoSandbox, type DemoSandbox } from '../demo/start-demo.ts';
import { runCli } from '../cli/main.ts';
import { tempDir } from '../testing/temp-dirs.ts';
import { captureIo as cliIo } from '../testing/cli-io.ts';
import { createMemoryStore } from '../vault/secret-store.ts';
import { loadWorkspace } from '../workspace/load.ts';
import { createApp, type App } from './create-app.ts';
import { packageRoot } from './paths.ts';

/** The Wilson lower bound written out again, independently of stats.ts, for the hand computation. */
function wilson(k: number, n: number): number {
  const z = 1.96; // the 95% two-sided normal quantile, rounded as stats.ts documents
  const p = k / n;
  return (p + (z * z) / (2 * n) - z * Math.sqrt((p * (1 - p) + (z * z) / (4 * n)) / n)) / (1 + (z * z) / n);
}

const MAP = 'where_is_my_order';

/** The demo tickets' true primary intents (tickets/labels), keyed by requester email and subject as the helpdesk serves them. */
function trueIntents(): Map<string, string> {
  const dir = join(packageRoot(), 'resources', 'demo-workspace', 'tickets');
  const truth = new Map<string, string>();
  for (const split of ['train', 'test', 'hostile']) {
    const labels = new Map((parseYaml(readFileSync(join(dir, 'labels', `${split}.yaml`), 'utf8')) as { labels: { id: string; intents: string[] }[] }).labels.map((l) => [l.id, l.intents[0]!]));
    for (const t of (parseYaml(readFileSync(join(dir, `${split}.yaml`), 'utf8')) as { tickets: { id: string; subject: string; requester: { email: string } }[] }).tickets) {
      truth.set(`${t.requester.email}|${t.subject}`, labels.get(t.id)!);
    }
  }
  return truth;
}
const STEP = 'reply';
const START = Date.parse('2026-11-24T08:00:00Z');

describe('a day of demo work, analysed', () => {
  const data = tempDir();
  const ws = tempDir();
  let sandbox: DemoSandbox | null = null;
  let app: App;
  let clock = START;
  /** How many reply calls to the helpdesk fail from now on (the injected failures). */
  let failReplies = 0;
  const demoted: EventPayload<'step.demoted'>[] = [];

  // What the associate did to the reply step, kept by the script: the hand tally the dashboard is checked against.
  const tally = { verdicts: {} as Record<string, number>, decisionMs: [] as number[], reasons: [] as string[], shadowMatched: 0, shadowN: 0, triageAccepted: 0, triageOverridden: 0 };
  const count = (v: string) => (tally.verdicts[v] = (tally.verdicts[v] ?? 0) + 1);

  async function call<T>(name: string, input: unknown): Promise<T> {
    const r = await app.invoke(name, input);
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.value as T;
  }

  beforeAll(async () => {
    cpSync(join(packageRoot(), 'resources', 'demo-workspace'), ws.path, { recursive: true });
    // The workspace's own graduation settings: the demo has about 35 order questions to answer, so a 25-verdict window and 85%.
    const settings = join(ws.path, 'tandem.yaml');
    // The day works the whole demo helpdesk, its 100 history tickets included: so the model does not learn them first
    // (a workspace's learn_from splits are solved history, out of the queue), only from the maps and the day's verdicts.
    const yaml = readFileSync(settings, 'utf8').replace(/^  learn_from: \[train\]$/m, '  learn_from: []');
    expect(yaml).toContain('learn_from: []');
    writeFileSync(settings, `${yaml}graduation:\n  threshold: 0.85\n  window: 25\n  min_samples: 25\n`);
    const vault = createMemoryStore(null);
    sandbox = await startDemoSandbox(loadWorkspace(ws.path), vault, join(packageRoot(), 'resources'), undefined);
    const injected: typeof fetch = async (input, init) => {
      if (failReplies > 0 && init?.method === 'PUT' && String(input).includes('/tickets/')) {
        failReplies--;
        return new Response(JSON.stringify({ error: 'RecordInvalid', description: 'Comment rejected by a helpdesk rule' }), { status: 422, headers: { 'content-type': 'application/json' } });
      }
      return fetch(input, init);
    };
    app = createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: 't', user: 'ann', vault, sandbox: sandbox?.addresses ?? {}, browser: null, fetch: injected, now: () => (clock += 5_000) });
    app.events.on('step.demoted', (e) => demoted.push(e));
    const synced = await app.sync();
    expect(synced.every((s) => s.error === null)).toBe(true);
  }, 60_000);

  afterAll(async () => {
    await app?.settle();
    app?.close();
    await sandbox?.stop();
    data.cleanup();
    ws.cleanup();
  });

  /** Opens a ticket, confirms Tandem's intent, and returns the run once its lookups are done. */
  // The associate confirms Tandem's reading when it is right, and corrects it to the ticket's true intent when not.
  async function open(ticketId: string): Promise<Run | null> {
    const detail = await call<TicketDetail>('tickets.get', { id: ticketId });
    if (detail.triage!.intent === MAP) {
      await call('triage.decide', { decisionId: randomUUID(), ticketId, triageId: detail.triage!.id, verdict: 'accepted', finalIntent: MAP, decisionMs: 2000 });
      tally.triageAccepted++;
    } else {
      await call('triage.decide', { decisionId: randomUUID(), ticketId, triageId: detail.triage!.id, verdict: 'overridden', finalIntent: MAP, reason: 'asks where the order is', decisionMs: 4000 });
      tally.triageOverridden++;
    }
    await app.settle();
    return (await call<TicketDetail>('tickets.get', { id: ticketId })).run;
  }

  const waitingOnReply = (run: Run | null) => run?.state === 'waiting' && run.steps.find((s) => s.stepId === STEP)?.state === 'awaiting_verdict';
  const stats = () => call<Stats>('stats.get', {});
  const replyStats = async () => (await stats()).steps.find((s) => s.mapId === MAP && s.stepId === STEP)!;

  it('records the morning in shadow, and the step crosses the threshold on its evidence', async () => {
    await call('maps.setMode', { mapId: MAP, stepId: STEP, mode: 'shadow', reason: 'collect evidence before letting it run alone' });
    // Every ticket that asks where an order is (45 in the demo helpdesk), and those the model reads so: the associate
    // confirms a right reading, corrects a wrong one, and (as associates do) lets a near miss with an order number go.
    const truth = trueIntents();
    const queue = (await call<TicketSummary[]>('tickets.list', {})).filter((t) => t.intent === MAP || truth.get(`${t.requester.email}|${t.subject}`) === MAP).map((t) => t.id);
    expect(queue.length).toBeGreaterThanOrEqual(45);
    // The first five replies get every kind of verdict; then 25 in a row are sent as suggested.
    const plan: { verdict: 'edited' | 'skipped' | 'manual' | 'escalated' | 'accepted'; reason?: string }[] = [
      { verdict: 'edited', reason: 'added the "carrier hotline", as asked' },
      { verdict: 'edited', reason: 'softer tone, customer is upset' },
      { verdict: 'skipped', reason: 'customer already answered by phone' },
      { verdict: 'manual', reason: 'replied from the helpdesk directly' },
      { verdict: 'escalated', reason: 'VIP customer, lead replies' },
      ...Array.from({ length: 25 }, () => ({ verdict: 'accepted' as const })),
    ];
    let replies = 0;
    while (replies < plan.length) {
      const ticketId = queue.shift()!;
      const run = await open(ticketId);
      if (!waitingOnReply(run)) continue; // no order number in the ticket: the run escalated at its lookup
      const step = run!.steps.find((s) => s.stepId === STEP)!;
      const { verdict, reason } = plan[replies]!;
      const decisionMs = 1000 + 250 * replies;
      const inputs = verdict === 'edited' ? { ...(step.suggested as Record<string, unknown>), body: `${String((step.suggested as { body: string }).body)}\nCall the carrier hotline: 0800 123, "option 2".` } : undefined;
      await call('runs.decide', { runId: run!.id, stepId: STEP, decisionId: randomUUID(), verdict, ...(inputs ? { inputs } : {}), ...(reason ? { reason } : {}), decisionMs });
      count(verdict);
      tally.decisionMs.push(decisionMs);
      if (reason) tally.reasons.push(reason);
      tally.shadowN++;
      if (verdict === 'accepted') tally.shadowMatched++;
      replies++;
    }
    remaining = queue;

    const s = await replyStats();
    const n = replies;
    expect(n).toBe(30);
    expect(s.n).toBe(n);
    expect(s.verdicts).toEqual(tally.verdicts);
    expect(s.asSuggested.rate).toBeCloseTo(25 / 30, 12);
    expect(s.asSuggested.lower).toBeCloseTo(wilson(25, 30), 12);
    expect(s.edited.rate).toBeCloseTo(2 / 30, 12);
    expect(s.edited.lower).toBeCloseTo(wilson(2, 30), 12);
    expect(s.topEditedFields).toEqual([{ field: 'body', count: 2 }]);
    expect(s.overrideReasons.map((r) => r.reason).sort()).toEqual([...tally.reasons].sort());
    const sorted = [...tally.decisionMs].sort((a, b) => a - b);
    // 30 values: the lower median, the 15th, 1000 + 250·14 (the median a stats.ts of its own computes the same way).
    expect(s.medianDecisionMs).toBe(sorted[(sorted.length - 1) >> 1]);
    expect(s.medianDecisionMs).toBe(4500);
    expect(s.shadow).toEqual({ n: 30, matched: 25, asSuggested: { rate: 25 / 30, lower: expect.closeTo(wilson(25, 30), 12) } });
    // Over the window of the last 25 verdicts all were as suggested: at least 86.7% at 95%, above the 85% set.
    expect(wilson(25, 25)).toBeCloseTo(0.8668, 4);
    expect(s.graduation).toMatchObject({ window: 25, recommended: true, source: 'live' });
    expect(s.graduation.asSuggested.lower).toBeCloseTo(wilson(25, 25), 12);
    const t = (await stats()).triage;
    expect(t).toMatchObject({ n: tally.triageAccepted + tally.triageOverridden, accepted: tally.triageAccepted, overridden: tally.triageOverridden });
  }, 120_000);

  let remaining: string[] = [];

  it('is promoted by the lead, runs alone, and is demoted by Tandem when its runs keep failing', async () => {
    const promoted = await call<{ previous: string; mode: string }>('maps.setMode', { mapId: MAP, stepId: STEP, mode: 'auto', reason: 'recommended: 25 of 25 as suggested' });
    expect(promoted).toMatchObject({ previous: 'shadow', mode: 'auto' });
    const file = join(ws.path, 'maps', 'where-is-my-order.yaml');
    expect(readFileSync(file, 'utf8')).toContain('    block: reply\n    mode: auto\n');

    const outcomes: string[] = [];
    for (const ticketId of remaining) {
      // The first automatic reply goes through; then the helpdesk starts rejecting them.
      if (outcomes.length === 1) failReplies = 10;
      const run = await open(ticketId);
      const reply = run?.steps.find((s) => s.stepId === STEP);
      if (!run || !reply || reply.state === 'pending') continue;
      outcomes.push(reply.state);
      if (demoted.length > 0) break;
    }
    failReplies = 0;
    // One failure in two runs is within the bound; the second in three is not (at least 20.8% > the 15% tolerated).
    expect(outcomes).toEqual(['done', 'failed', 'failed']);
    expect(wilson(1, 2)).toBeLessThan(0.15);
    expect(wilson(2, 3)).toBeGreaterThan(0.15);
    expect(demoted).toHaveLength(1);
    expect(demoted[0]).toMatchObject({ mapId: MAP, stepId: STEP, from: 'auto', to: 'suggest', runs: 3, failures: 2, reverted: 0, error: null });
    expect(readFileSync(file, 'utf8')).not.toMatch(/mode: auto/);
    expect(app.workspace.maps.find((m) => m.id === MAP)!.steps.find((x) => x.id === STEP)!.mode).toBe('suggest');

    const after = await stats();
    expect(after.modeChanges[0]).toMatchObject({ mapId: MAP, stepId: STEP, verdict: 'demoted', actor: 'tandem', from: 'auto', to: 'suggest' });
    expect(after.modeChanges[0]!.reason).toMatch(/^automatic runs fail — evidence: 2 of the last 3 automatic runs went wrong \(2 failed, 0 reverted by hand\): the rate is at least 20\.8% at 95%, above the 15\.0% tolerated/);
    const s = after.steps.find((x) => x.mapId === MAP && x.stepId === STEP)!;
    expect(s.n).toBe(33);
    expect(s.autoRuns).toBe(3);
    expect(s.autoFailures).toBe(2);
    expect(s.asSuggested.rate).toBeCloseTo(28 / 33, 12); // 25 accepted + 3 run alone
    expect(s.graduation).toMatchObject({ source: 'live', window: 25 }); // the morning's shadow samples are no longer current
    expect(s.graduation.asSuggested.lower).toBeCloseTo(wilson(23, 25), 12); // last 25: 22 accepted, 1 good auto, 2 failed
    expect(s.graduation.recommended).toBe(false);
  }, 120_000);

  it('charts the day: per-day volume, rates with lower bounds, escalations and automatic runs add up to the tally', async () => {
    const points = await call<TimelinePoint[]>('stats.timeline', { bucket: 'day' });
    expect(points.length).toBeGreaterThan(0);
    expect(points[0]!.start).toBe(Date.parse('2026-11-24T00:00:00Z'));
    const sum = (f: (p: TimelinePoint) => number) => points.reduce((a, p) => a + f(p), 0);
    const triageN = Number(app.db.prepare("SELECT count(*) FROM decisions WHERE kind = 'triage'").pluck().get());
    expect(sum((p) => p.steps.n)).toBe(33);
    expect(sum((p) => p.volume)).toBe(33 + triageN);
    expect(sum((p) => p.escalations)).toBe(1 + 2); // the associate's escalation, and the two automatic runs that failed
    expect(sum((p) => p.autoRuns)).toBe(3);
    expect(sum((p) => p.autoFailures)).toBe(2);
    expect(sum((p) => p.shadow.n)).toBe(30);
    expect(sum((p) => p.steps.edited)).toBe(2);
    for (const p of points) if (p.steps.n > 0) expect(p.steps.asSuggested.lower).toBeCloseTo(wilson(Math.round(p.steps.asSuggested.rate * p.steps.n), p.steps.n), 12);
    const weeks = await call<TimelinePoint[]>('stats.timeline', { bucket: 'week', mapId: MAP, stepId: STEP });
    expect(weeks).toHaveLength(1);
    expect(weeks[0]!.start).toBe(Date.parse('2026-11-23T00:00:00Z')); // the Monday
    expect(weeks[0]!.steps).toEqual({ n: 33, edited: 2, asSuggested: { rate: 28 / 33, lower: expect.closeTo(wilson(28, 33), 12) } });
  });

  it('lets the lead review overrides and escalations, and turn one into a triage example', async () => {
    const page = await call<{ total: number; items: ReviewItem[] }>('review.list', { limit: 5 });
    // 2 edits, a skip, one done by hand, one escalation by the associate, 2 automatic runs that failed, and the
    // readings the associate corrected.
    expect(page.total).toBe(7 + tally.triageOverridden);
    expect(page.items).toHaveLength(5);
    expect(page.items[0]).toMatchObject({ kind: 'escalation', actor: 'tandem (auto)', verdict: 'escalated' });
    expect(page.items[0]!.reason).toMatch(/^automatic run failed: /);
    const rest = await call<{ total: number; items: ReviewItem[] }>('review.list', { verdict: 'edited', limit: 5 });
    expect(rest.items.map((i) => i.verdict)).toEqual(['edited', 'edited']);
    expect(rest.items[1]!.reason).toBe('added the "carrier hotline", as asked');
    expect(rest.items[1]!.ticket?.subject).toBeTruthy();
    expect(JSON.parse(rest.items[1]!.suggested).body).not.toBe(JSON.parse(rest.items[1]!.final).body);

    const escalated = (await call<{ items: ReviewItem[] }>('review.list', { verdict: 'escalated', limit: 10 })).items.find((i) => i.kind === 'step')!;
    const added = await call<{ mapId: string; text: string; added: boolean; decisionId: string }>('review.addExample', { decisionId: escalated.decisionId });
    expect(added).toMatchObject({ mapId: MAP, text: escalated.ticket!.subject, added: true });
    expect(readFileSync(join(ws.path, 'maps', 'where-is-my-order.yaml'), 'utf8')).toContain(`    - ${JSON.stringify(escalated.ticket!.subject)}\n`);
    expect(app.workspace.maps.find((m) => m.id === MAP)!.intent.examples.at(-1)).toBe(escalated.ticket!.subject);
    expect(app.db.prepare("SELECT actor, map_id, final FROM decisions WHERE kind = 'example'").get()).toEqual({ actor: 'ann', map_id: MAP, final: JSON.stringify(escalated.ticket!.subject) });
    // Twice is once.
    expect(await call('review.addExample', { decisionId: escalated.decisionId })).toMatchObject({ added: false, decisionId: null });
  });

  it('exports a CSV a spreadsheet reads: BOM, CRLF, RFC 4180 quoting, every decision', async () => {
    const file = join(data.path, 'day.csv');
    const c = cliIo();
    expect(await runCli(['export', '--format', 'csv', '--out', file, '--data-dir', data.path, '--workspace', ws.path], c.io)).toBe(0);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toMatch(/^seq,id,decided_at,/);
    const rows = parse(text, { columns: true, relax_quotes: false, relax_column_count: false }) as Record<string, string>[];
    expect(rows).toHaveLength(Number(app.db.prepare('SELECT count(*) FROM decisions').pluck().get()));
    const edited = rows.find((r) => r.reason === 'added the "carrier hotline", as asked')!;
    expect(edited.verdict).toBe('edited');
    expect(JSON.parse(edited.final!).body).toMatch(/Call the carrier hotline: 0800 123, "option 2"\.$/);
    // The raw line shows the RFC 4180 form: the field quoted, inner quotes doubled.
    expect(text).toContain('"added the ""carrier hotline"", as asked"');
  });

  it('is promoted again, and demoted by Tandem when its automatic runs get reverted by hand', async () => {
    await call('maps.setMode', { mapId: MAP, stepId: STEP, mode: 'auto', reason: 'the helpdesk rule was fixed' });
    // Three more tickets answered alone, all sent without error. Few order questions are left, so the associate also
    // takes other tickets that name an order and answers where it is (open() sets the intent to this map).
    const ran: Run[] = [];
    const rest = [...remaining, ...(await call<TicketSummary[]>('tickets.list', {})).map((t) => t.id).filter((id) => !remaining.includes(id))];
    for (const ticketId of rest) {
      if ((await call<TicketDetail>('tickets.get', { id: ticketId })).run !== null) continue; // worked on already
      const run = await open(ticketId);
      const reply = run?.steps.find((s) => s.stepId === STEP);
      if (!run || !reply || reply.state === 'pending') continue; // no order number: escalated at the lookup
      expect(reply.state).toBe('done');
      ran.push(run);
      if (ran.length === 3) break;
    }
    expect(ran).toHaveLength(3);
    const before = demoted.length;
    const revert = (run: Run, reason: string) => call<Run>('runs.revert', { runId: run.id, stepId: STEP, decisionId: randomUUID(), reason });
    // The lead finds the first reply went to a customer who had already cancelled, and deletes it in the helpdesk.
    const first = await revert(ran[0]!, 'customer had cancelled; reply deleted in the helpdesk');
    expect(first.steps.find((s) => s.stepId === STEP)!.note).toBe('reverted by ann: customer had cancelled; reply deleted in the helpdesk');
    // 1 bad run of 3: at least 6.1% at 95%, within the 15% tolerated.
    expect(wilson(1, 3)).toBeLessThan(0.15);
    expect(demoted).toHaveLength(before);
    await revert(ran[2]!, 'wrong carrier named; corrected by hand');
    // 2 of 3: at least 20.8%, above: back to suggest, with the same notice to the lead as after failures.
    expect(wilson(2, 3)).toBeGreaterThan(0.15);
    expect(demoted).toHaveLength(before + 1);
    expect(demoted.at(-1)).toMatchObject({ mapId: MAP, stepId: STEP, from: 'auto', to: 'suggest', runs: 3, failures: 0, reverted: 2, error: null });
    expect(app.workspace.maps.find((m) => m.id === MAP)!.steps.find((x) => x.id === STEP)!.mode).toBe('suggest');
    const after = await stats();
    expect(after.modeChanges[0]).toMatchObject({ mapId: MAP, stepId: STEP, verdict: 'demoted', actor: 'tandem', from: 'auto', to: 'suggest' });
    expect(after.modeChanges[0]!.reason).toBe('automatic runs get reverted — evidence: 2 of the last 3 automatic runs went wrong (0 failed, 2 reverted by hand): the rate is at least 20.8% at 95%, above the 15.0% tolerated');
    const s = after.steps.find((x) => x.mapId === MAP && x.stepId === STEP)!;
    // The script's tally: 33 verdicts this morning and at noon, 3 more run alone; 6 automatic runs, 2 failed, 2 reverted.
    expect(s.n).toBe(36);
    expect(s.autoRuns).toBe(6);
    expect(s.autoFailures).toBe(2);
    expect(s.autoReverts).toBe(2);
    expect(s.autoReverted.rate).toBeCloseTo(2 / 6, 12);
    expect(s.autoReverted.lower).toBeCloseTo(wilson(2, 6), 12);
    expect(s.asSuggested.rate).toBeCloseTo(31 / 36, 12); // 25 accepted + 6 run alone
    // The last 25 verdicts: 19 accepted, then 3 + 3 run alone of which 2 failed and 2 were reverted: 21 good.
    expect(s.graduation).toMatchObject({ source: 'live', window: 25, recommended: false });
    expect(s.graduation.asSuggested.lower).toBeCloseTo(wilson(21, 25), 12);
    const review = await call<{ total: number; items: ReviewItem[] }>('review.list', { verdict: 'reverted' });
    expect(review.total).toBe(2);
    expect(review.items.map((i) => i.reason)).toEqual(['wrong carrier named; corrected by hand', 'customer had cancelled; reply deleted in the helpdesk']);
  }, 120_000);

  it('tandem log verify passes, then names the row edited behind its back', async () => {
    const ok = cliIo();
    expect(await runCli(['log', 'verify', '--data-dir', data.path], ok.io)).toBe(0);
    expect(ok.out()).toMatch(/^OK: \d+ decisions/);
    const seq = Number(app.db.prepare("SELECT seq FROM decisions WHERE kind = 'step' AND verdict = 'edited' ORDER BY seq LIMIT 1").pluck().get());
    // Someone with the file and sqlite3 turns an edit into an accept.
    const raw = new Database(join(data.path, 'tandem.db'));
    raw.exec('DROP TRIGGER decisions_no_update');
    raw.prepare("UPDATE decisions SET verdict = 'accepted', final = suggested WHERE seq = ?").run(seq);
    raw.close();
    const bad = cliIo();
    expect(await runCli(['log', 'verify', '--data-dir', data.path], bad.io)).toBe(1);
    expect(bad.out()).toMatch(new RegExp(`^BROKEN at decision ${seq} \\(.*\\): it its content no longer matches its hash|^BROKEN at decision ${seq} `));
    expect(bad.out()).toMatch(/changed/);
  });
});
