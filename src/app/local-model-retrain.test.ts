import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Problem } from '../domain/workspace.ts';
import { SMALL_WORKSPACE, tempDir, writeFiles } from '../testing/temp-dirs.ts';
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
