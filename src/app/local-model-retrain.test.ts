import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Problem } from '../domain/workspace.ts';
import { startOpenAiServer, type OpenAiServer } from '../testing/openai-server.ts';
import { SMALL_WORKSPACE, tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { MODEL_FILE } from '../triage/local/model-file.ts';
import { createApp, type App, type AppOptions } from './create-app.ts';

// The app's retrain after triage verdicts: in slices the core answers between, reported when it fails, stopped by close().
describe('retraining the local model in the app', () => {
  let app: App | undefined;
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(async () => {
    app?.close();
    app = undefined;
    for (const d of dirs.splice(0)) d.cleanup();
  });

  function start(retrain: AppOptions['retrain']): App {
    const data = tempDir();
    const ws = tempDir();
    dirs.push(data, ws);
    writeFiles(ws.path, SMALL_WORKSPACE);
    app = createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: '0', user: 'ann', retrainDelayMs: 0, retrain });
    return app;
  }
  async function value<T>(a: App, name: string, input: unknown): Promise<T> {
    const r = await a.invoke(name, input);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as T;
  }
  const reading = async (a: App, id: string) => (await value<{ triage: { id: string; intent: string } }>(a, 'tickets.get', { id })).triage;
  async function accept(a: App, id: string) {
    const t = await reading(a, id);
    await value(a, 'triage.decide', { decisionId: randomUUID(), ticketId: id, triageId: t.id, verdict: 'accepted', finalIntent: t.intent });
  }
  /** Resolves once the debounced retrain (delay 0) has started: it reads the log in its first slice. */
  const turn = () => new Promise((resolve) => setTimeout(resolve, 5));

  it('answers commands while a retrain runs', async () => {
    let armed = false;
    let during: string | undefined;
    const a = start({
      sliceMs: 0,
      failpoint: () => {
        if (!armed) return;
        armed = false;
        // Asked as the retrain begins; a training that held the thread would have finished (and re-read the ticket) first.
        setImmediate(() => void reading(a, 'files:A-2').then((t) => (during = t.id)));
      },
    });
    const before = await reading(a, 'files:A-2');
    armed = true;
    await accept(a, 'files:A-1');
    await turn();
    await a.settle();
    expect(during).toBe(before.id); // answered with the old model, while the new one was still training
    // The retrain taught the model a verdict, so the undecided ticket was read again once it was done.
    expect((await reading(a, 'files:A-2')).id).not.toBe(before.id);
  });

  it('keeps the model it had when a retrain fails, reports it with the workspace problems, and clears it once one works', async () => {
    let fail = false;
    const a = start({ failpoint: () => { if (fail) throw new Error('the training ran out of memory'); } });
    const problems: Problem[][] = [];
    a.events.on('workspace.problems', (e) => problems.push(e.problems));
    const before = await reading(a, 'files:A-2');
    fail = true;
    await accept(a, 'files:A-1');
    await turn();
    await a.settle();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toEqual([expect.objectContaining({ path: 'local model', message: expect.stringContaining('the training ran out of memory') })]);
    const info = await value<{ workspace: { problems: Problem[] } }>(a, 'app.info', {});
    expect(info.workspace.problems).toEqual(problems[0]);
    // Triage goes on with the old model: the undecided ticket keeps its reading.
    expect((await reading(a, 'files:A-2')).id).toBe(before.id);

    fail = false;
    await accept(a, 'files:A-2');
    await turn();
    await a.settle();
    expect(problems.at(-1)).toEqual([]);
  });

  it('stops a retrain in flight on close(), reporting nothing', async () => {
    let reads = 0; // of the decision log, by the trainer
    const a = start({ sliceMs: 0, failpoint: () => void reads++ });
    const problems: unknown[] = [];
    a.events.on('workspace.problems', (e) => problems.push(e));
    await accept(a, 'files:A-1');
    await turn();
    expect(reads).toBeGreaterThan(1); // the start-up fit, then the retrain now running in slices
    a.close();
    app = undefined;
    await a.settle(); // the aborted retrain ends without touching the closed database
    expect(problems).toEqual([]);
  });
});

// The model kept in the data folder between runs (local-model.bin): loaded at start when it fits, fitted again when not.
describe('the local model across restarts', () => {
  let app: App | undefined;
  let data: ReturnType<typeof tempDir>;
  let ws: ReturnType<typeof tempDir>;
  let server: OpenAiServer | undefined;
  beforeEach(() => {
    data = tempDir();
    ws = tempDir();
    writeFiles(ws.path, SMALL_WORKSPACE);
  });
  afterEach(async () => {
    await app?.settle();
    app?.close();
    app = undefined;
    await server?.close();
    server = undefined;
    data.cleanup();
    ws.cleanup();
  });

  function start(options: Partial<AppOptions> = {}): App {
    app?.close();
    app = createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: '0', user: 'ann', retrainDelayMs: 0, watchWorkspace: false, ...options });
    return app;
  }
  async function value<T>(a: App, name: string, input: unknown): Promise<T> {
    const r = await a.invoke(name, input);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as T;
  }
  const reading = async (a: App, id: string) => (await value<{ triage: { id: string; intent: string; rationale: string } }>(a, 'tickets.get', { id })).triage;
  const readings = (a: App) => a.db.prepare('SELECT count(*) FROM triage').pluck().get() as number;
  const modelFile = () => join(data.path, MODEL_FILE);
  async function decideAndClose(): Promise<void> {
    const a = start();
    const t = await reading(a, 'files:A-1');
    await value(a, 'triage.decide', { decisionId: randomUUID(), ticketId: 'files:A-1', triageId: t.id, verdict: 'accepted', finalIntent: t.intent });
    await new Promise((resolve) => setTimeout(resolve, 5)); // the retrain after the verdict starts
    await a.settle();
    a.close();
    app = undefined;
  }

  it('saves the model after a full fit, and a restart loads it: nothing is read again', async () => {
    await decideAndClose();
    expect(existsSync(modelFile())).toBe(true);
    const count = readings(start());
    await app!.settle();
    expect(readings(app!)).toBe(count);
    expect(readdirSync(data.path).filter((f) => f.includes(MODEL_FILE))).toEqual([MODEL_FILE]); // no temporary file left
  });

  it('fits the model again, without failing, when the saved file is damaged — and that model is the same one', async () => {
    await decideAndClose();
    const before = await reading(start(), 'files:A-2');
    app!.close();
    app = undefined;
    const bytes = readFileSync(modelFile());
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(modelFile(), bytes);
    const a = start();
    await a.settle();
    // A full fit on the same maps and log is the model that was saved: its readings stand.
    expect((await reading(a, 'files:A-2')).id).toBe(before.id);
    a.close();
    app = undefined;
    expect(readFileSync(modelFile()).equals(bytes)).toBe(false); // replaced by the model fitted again
  });

  it('never reads a ticket with a model saved for other maps: new example phrases are learned at start', async () => {
    await decideAndClose();
    const phrase = 'Parcel: where is my package? It has not arrived';
    const wismo = SMALL_WORKSPACE['maps/wismo.yaml'] as { intent: { examples: string[] } };
    writeFiles(ws.path, { 'maps/wismo.yaml': { ...wismo, intent: { ...wismo.intent, examples: [...wismo.intent.examples, phrase] } } });
    const a = start();
    // The new phrase is an example of the model that read the ticket, which quotes it as the closest one.
    expect((await reading(a, 'files:A-2')).rationale).toContain(phrase);
  });

  it('reads with a stand-in of the maps while a large log is fitted in slices, asks the LLM only about the full model\'s readings', async () => {
    await decideAndClose();
    rmSync(modelFile());
    server = await startOpenAiServer({
      script: () => ({ kind: 'reply', content: JSON.stringify({ intents: ['where_is_my_order'], confidence: 0.93, rationale: 'Read by the test model.', language: 'en', urgency: 'normal', sentiment: 'neutral', fields: {} }), promptTokens: 10, completionTokens: 5 }),
    });
    // Every start here is a "large log": the full fit runs in slices (one step each) behind a stand-in.
    const a = start({ retrain: { fitInSlicesAbove: 0, sliceMs: 0 }, llm: { base_url: server.baseUrl, model: 'tandem-test', cascade_above: 1, timeout_ms: 1000 } });
    const standIn = readings(a);
    await a.settle();
    // The full model read the undecided ticket again (its verdict-taught model differs from the maps' phrases alone),
    // and only those readings went to the LLM: one request for the one undecided ticket.
    expect(readings(a)).toBeGreaterThan(standIn);
    expect(server.requests).toHaveLength(1);
    a.close();
    app = undefined;
    expect(existsSync(modelFile())).toBe(true); // the full model, saved; the stand-in never is
  });

  it('starts no map on a stand-in\'s reading alone: a person\'s intent, or the full model, is needed', async () => {
    const a = start({ retrain: { fitInSlicesAbove: 0, sliceMs: 0 } });
    const r = await a.invoke('runs.start', { ticketId: 'files:A-2' });
    expect(r.ok ? 'started' : r.error).toMatchObject({ code: 'policy_blocked', message: expect.stringContaining('still fitting its local model') });
    // A dry run, which changes nothing, may go ahead; and the associate may choose the map meanwhile.
    expect((await a.invoke('runs.start', { ticketId: 'files:A-2', dryRun: true })).ok).toBe(true);
    expect((await a.invoke('runs.start', { ticketId: 'files:A-2', mapId: 'where_is_my_order' })).ok).toBe(true);
    await a.settle();
    expect((await a.invoke('runs.start', { ticketId: 'files:A-1' })).ok).toBe(true);
  });
});
