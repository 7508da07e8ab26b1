// createApp(): wires store, workspace and triage together and implements every command of the contract.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { watchWorkspace } from '../workspace/watch.ts';
import { readProfile, saveName } from './profile.ts';
import type { Handlers, IntentInfo, TicketDetail } from '../contract/index.ts';
import { TandemError, toErrorShape, type ErrorShape } from '../domain/errors.ts';
import type { SourceTicket } from '../connectors/sources/declarative-source.ts';
import { syncHttpSource } from '../connectors/sources/source-runtime.ts';
import { createSourceCursorsRepo } from '../store/source-cursors-repo.ts';
import { createCodePrompts } from '../connectors/browser/code-prompts.ts';
import { toHttpConnector, type SandboxAddresses } from '../connectors/resolve.ts';
import { createMemoryStore, type SecretStore } from '../vault/secret-store.ts';
import { checkSecretName, describeConnections, testConnection, type ConnectionTest } from '../connectors/connections.ts';
import { secretKey } from '../connectors/http/http-client.ts';
import { computeStats, graduationPolicy } from '../decisions/stats.ts';
import { setStepMode } from '../maps/write.ts';
import { exportToFile } from '../decisions/export-file.ts';
import { randomUUID } from 'node:crypto';
import type { Ticket } from '../domain/ticket.ts';
import { openDatabase, openReader, type Db } from '../store/db.ts';
import { createDecisionsRepo } from '../store/decisions-repo.ts';
import { createTicketsRepo, toTicket, type NewTicket } from '../store/tickets-repo.ts';
import { createTriageRepo } from '../store/triage-repo.ts';
import { loadWorkspace, type Workspace, type WorkspaceTicket } from '../workspace/load.ts';
import { dispatch } from './dispatch.ts';
import { createEventBus, type EventBus } from './events.ts';
import { DATABASE_FILE } from './paths.ts';
import { createModelFile, MODEL_FILE } from '../triage/local/model-file.ts';
import { decideTriage } from './triage-verdicts.ts';
import { createExecutors, type BrowserPort } from './executors.ts';
import { createRunner, type RunnerDeps } from '../runner/runner.ts';
import { createRunsRepo, type StoredRun } from '../store/runs-repo.ts';
import type { Run } from '../domain/run.ts';
import { extractFields } from '../triage/fields.ts';
import { createMapsBuilder } from './maps-builder.ts';
import type { Recorder } from '../connectors/browser/recorder.ts';
import { ticketText } from '../triage/local-triage.ts';
import { labelledExamples } from '../triage/local/experience.ts';
import { createModelTrainer, type TrainerDeps } from '../triage/local/trainer.ts';
import { LOCAL_MODEL_ID } from '../triage/local-classifier.ts';
import type { Problem } from '../domain/workspace.ts';
import { createTriageService, type TriageService } from './triage-service.ts';
import type { LlmOverride } from '../triage/llm/endpoint.ts';
import { writeLlmSettings } from '../workspace/write-settings.ts';
import { checkAutoDemotion } from './auto-demotion.ts';
import { addExampleFromDecision } from './review-actions.ts';
import { computeTimeline } from '../decisions/timeline.ts';
import { reviewPage } from '../decisions/review.ts';

export interface AppOptions {
  dataDir: string;
  workspaceDir: string;
  host: 'electron' | 'headless';
  version: string;
  /** The associate's name as recorded in decisions; defaults to the OS account name. */
  user?: string;
  migrationsDir?: string;
  now?: () => number;
  /** Where secrets live; defaults to memory (tests, or a host that opened no keychain). */
  vault?: SecretStore;
  /** Addresses of the demo sandbox's systems, for connectors that say `sandbox: <system>`. */
  sandbox?: SandboxAddresses;
  fetch?: typeof fetch;
  /** Drives browser steps (the embedded browser in Electron, Chromium in the headless host); none: such steps are done by hand. */
  browser?: BrowserPort | null;
  failpoint?: RunnerDeps['failpoint'];
  /** The desktop app's embedded browser views (none in the headless host). */
  browserViews?: BrowserViews | null;
  /** Reload the workspace when its files change on disk (default true); tests that edit files themselves turn it off. */
  watchWorkspace?: boolean;
  /** How long after the last triage verdict the local model retrains from the decision log (default 2 s). */
  retrainDelayMs?: number;
  /**
   * How the local model retrains: the longest slice it holds the thread, the growth that calls for a full fit, the
   * size above which a full fit at start runs in slices behind a stand-in, and for tests a failpoint called as each
   * retrain starts (a throw there is a retrain that fails). `keep: false` fits the model at every start instead of
   * keeping it in the data folder (local-model.bin); `saveDelayMs` is how long after the last update it is saved
   * (default 10 s; a full fit is saved at once, and an unsaved model as the app closes).
   */
  retrain?: Pick<TrainerDeps, 'sliceMs' | 'refitGrowth' | 'refitBelow' | 'fitInSlicesAbove'> & { failpoint?: () => void; keep?: boolean; saveDelayMs?: number };
  /** The model triage asks instead of the workspace's `triage.llm` (TANDEM_LLM_BASE_URL, for a demo or a test server). */
  llm?: LlmOverride | null;
  /** Asks the associate where to save an export (the desktop app's save dialog); null: cancelled. None: no `export.save`. */
  chooseExportPath?: ((suggestedName: string) => Promise<string | null>) | null;
  /** Records browser blocks for the map builder; none: the builder says recording needs a browser. */
  recorder?: Recorder | null;
}

export interface BrowserViews {
  show(connectorId: string, title: string): Promise<void>;
  hide(): void;
  shown(): string | null;
}

export interface App {
  readonly handlers: Handlers;
  readonly events: EventBus;
  readonly workspace: Workspace;
  readonly db: Db;
  readonly vault: SecretStore;
  /** Reads every remote source (helpdesks) and triages what is new; files sources are read at start. */
  sync(signal?: AbortSignal): Promise<{ source: string; imported: number; error: ErrorShape | null }[]>;
  /** Resumes every run a previous process left unfinished. */
  recover(): Promise<void>;
  /** Waits for background work (runs started by a triage verdict) to reach a resting point. */
  settle(): Promise<void>;
  invoke(name: string, input: unknown): ReturnType<typeof dispatch>;
  close(): void;
}

export function createApp(options: AppOptions): App {
  const now = options.now ?? Date.now;
  // Who decides, in the record: the host's choice (tests, CLI), else the name the associate set in Settings, else the
  // OS account. Changing it in Settings applies to the decisions that follow; earlier ones keep the name they had.
  let user = options.user ?? readProfile(options.dataDir).name ?? safeUserName();
  const dbFile = join(options.dataDir, DATABASE_FILE);
  const db = openDatabase(dbFile, options.migrationsDir ? { migrationsDir: options.migrationsDir } : {});
  const events = createEventBus();
  const tickets = createTicketsRepo(db);
  const triage = createTriageRepo(db);
  const decisions = createDecisionsRepo(db);

  let workspace: Workspace;
  try {
    workspace = loadWorkspace(options.workspaceDir);
  } catch (err) {
    db.close();
    throw err;
  }
  let intents: IntentInfo[];
  let knownIntents: Set<string>;
  let mapsById: Map<string, Workspace['maps'][number]>;
  let triageService: TriageService | null = null;
  /** Takes a (re)loaded workspace: maps, intents and the triage built from them. */
  function adopt(next: Workspace): void {
    workspace = next;
    void triageService?.configure();
    intents = workspace.maps.map((m) => ({ intent: m.id, title: m.intent.title, description: m.intent.description }));
    knownIntents = new Set(intents.map((i) => i.intent));
    mapsById = new Map(workspace.maps.map((m) => [m.id, m]));
    // New maps' phrases may have called for a new model (the cascade above took it): a stand-in, or one to save.
    if (triageService) tendModel();
  }
  adopt(workspace);
  /** A step's mode in its map as the workspace now has it: the dashboard never recommends a step that runs alone already. */
  const stepMode = (mapId: string, stepId: string) => mapsById.get(mapId)?.steps.find((st) => st.id === stepId)?.mode;
  const stepBlock = (mapId: string, stepId: string) => mapsById.get(mapId)?.steps.find((st) => st.id === stepId)?.block;
  // The local model learns from the maps' phrases, the workspace's labelled history (`triage.learn_from`), and
  // accepted and corrected triage verdicts. It is kept in the data folder between runs: a start loads it when it was
  // built from the same maps' phrases, history and code, and catches up on the verdicts recorded since in the
  // background. Otherwise it is fitted in full: at once for a small log; for a large one in slices, while a stand-in
  // of the current maps' phrases reads the tickets (never a model built for other maps). Later verdicts update it in
  // the background.
  const { failpoint: retrainFailpoint, keep: keepModel = true, saveDelayMs = 10_000, ...retrainTuning } = options.retrain ?? {};
  const modelFile = createModelFile(join(options.dataDir, MODEL_FILE));
  const trainer = createModelTrainer({
    base: () => ({ maps: workspace.maps, learned: labelledExamples(workspace.learned) }),
    verdictsAfter: (seq) => {
      retrainFailpoint?.();
      return decisions.triageVerdictsAfter(seq);
    },
    textOf: (id) => {
      const row = tickets.get(id);
      return row && ticketText(toTicket(row));
    },
    ...(keepModel ? { store: modelFile } : {}),
    logMark: (seq) => decisions.markAt(seq),
    verdictCount: () => decisions.triageCount(),
    ...retrainTuning,
  });
  /** Why the local model could not learn from the latest verdicts, shown with the workspace's problems until a retrain works. */
  let modelProblem: Problem | null = null;
  /** Why the local model could not be saved, shown until a save works. */
  let saveProblem: Problem | null = null;
  const problems = (): Problem[] => [...workspace.problems, ...(modelProblem ? [modelProblem] : []), ...(saveProblem ? [saveProblem] : [])];
  // A map, tandem.yaml or a connector edited by hand takes effect at once: runs already started keep their own copy of
  // their map; a file that breaks is reported like at start, and the rest keeps working.
  const watcher =
    options.watchWorkspace === false
      ? null
      : watchWorkspace(workspace.root, () => {
          if (closed) return;
          let next: Workspace;
          try {
            next = loadWorkspace(workspace.root);
          } catch {
            return; // the folder is gone or unreadable for a moment: the workspace in memory stays until it is back
          }
          // Tandem's own writes (a saved map, Settings → Triage model) are adopted already: only a real change reloads.
          if (fingerprint(next) === fingerprint(workspace)) return;
          adopt(next);
          events.emit('workspace.problems', { problems: problems() });
        });
  // After triage verdicts, the local model learns the new ones (debounced: a burst of verdicts retrains once) in slices
  // that leave the thread free between them, then re-reads the tickets nobody has decided yet. Its cache key carries
  // the model's fingerprint, so nothing is read twice. One retrain at a time; verdicts during one call for another.
  let retrainTimer: ReturnType<typeof setTimeout> | undefined;
  let retraining: AbortController | null = null;
  let retrainAgain = false;
  function scheduleRetrain(delayMs = options.retrainDelayMs ?? 2000): void {
    clearTimeout(retrainTimer);
    retrainTimer = setTimeout(() => {
      if (closed) return;
      if (retraining) retrainAgain = true;
      else background(retrain);
    }, delayMs);
    retrainTimer.unref?.();
  }
  /** A retrain started now (settle() waits for it), or right after the one running. */
  function retrainNow(): void {
    clearTimeout(retrainTimer);
    if (retraining) retrainAgain = true;
    else background(retrain);
  }
  /**
   * After the model in use changed: a stand-in calls for the full fit at once; a new model is saved — a full fit at
   * once, an update once updates pause (they come a few verdicts apart); close() saves what is left unsaved.
   */
  function tendModel(): void {
    if (closed) return;
    if (trainer.current.interim) return retrainNow();
    if (!trainer.unsaved) return;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(() => background(saveModel), trainer.current.classifier.updates === 0 ? 0 : saveDelayMs);
    saveTimer.unref?.();
  }
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  async function saveModel(): Promise<void> {
    try {
      await trainer.save();
      if (saveProblem && !closed) {
        saveProblem = null;
        events.emit('workspace.problems', { problems: problems() });
      }
    } catch (err) {
      if (closed) return;
      // Triage is not affected; only the next start is slower.
      saveProblem = {
        file: MODEL_FILE,
        line: null,
        path: 'local model',
        message: `Tandem could not save the local model to ${modelFile.path} (${(err as Error).message.split('\n')[0]}); triage goes on, but the next start fits the model again from the whole record.`,
        hint: 'Check that the data folder is writable and that the disk has room; Tandem tries again after the next retrain.',
      };
      events.emit('workspace.problems', { problems: problems() });
    }
  }
  async function retrain(): Promise<void> {
    const abort = new AbortController();
    retraining = abort;
    let failed = false;
    try {
      const outcome = await trainer.retrain(abort.signal);
      if (closed) return;
      if (modelProblem) {
        modelProblem = null;
        events.emit('workspace.problems', { problems: problems() });
      }
      if (outcome.kind === 'updated' || outcome.kind === 'refitted') {
        // The cascade is rebuilt around the new model; the LLM part (key, queue) as configured.
        await service.configure();
        if (!closed) triageStale();
      }
      tendModel();
    } catch (err) {
      failed = true;
      if (closed) return;
      // Triage goes on with the model it had; the associate (and whoever reads the log) sees why it stopped learning.
      modelProblem = {
        file: 'decision log',
        line: null,
        path: 'local model',
        message: `The local model could not learn from the latest verdicts (${(err as Error).message.split('\n')[0]}); triage goes on with the model it had.`,
        hint: 'It tries again after the next verdict, and when Tandem next starts.',
      };
      events.emit('workspace.problems', { problems: problems() });
    } finally {
      retraining = null;
      // A stand-in still in use (the workspace changed during this retrain) is replaced at once; one whose full fit
      // failed waits for the next verdict, like any failed retrain.
      if (!closed && (retrainAgain || (trainer.current.interim && !failed))) {
        retrainAgain = false;
        if (trainer.current.interim) retrainNow();
        else scheduleRetrain();
      }
    }
  }

  const vault = options.vault ?? createMemoryStore(null);
  const service = createTriageService({ db, tickets, triage, decisions, events, vault, now, workspace: () => workspace, llmOverride: options.llm, fetch: options.fetch, localModel: () => trainer.forWorkspace() });
  triageService = service;
  // Work started for the associate but not awaited by the call that started it; settle() waits for it, close() ends it.
  const pending = new Set<Promise<void>>();
  let closed = false;
  function background(task: () => Promise<void>): void {
    const p = task()
      .catch((err: unknown) => {
        // A run records its own escalation; what is left to report is only a failure to start at all.
        if (!closed) events.emit('queue.synced', { source: 'runs', imported: 0, error: toErrorShape(err) });
      })
      .finally(() => pending.delete(p));
    pending.add(p);
  }
  const runsRepo = createRunsRepo(db);
  const httpDeps = { vault, ...(options.fetch ? { fetch: options.fetch } : {}) };
  const sourceCursors = createSourceCursorsRepo(db);
  // 2FA: a browser sign-in that asks for a one-time code waits here for the associate; the UI hears of it by event.
  const codePrompts = createCodePrompts();
  const demotionCheck = (mapId: string, stepId: string) => checkAutoDemotion({ db, decisions, events, now, workspace: () => workspace, reload: () => adopt(loadWorkspace(workspace.root)) }, mapId, stepId);
  codePrompts.onChange((pending) => events.emit('browser.codes', { pending }));
  const runner = createRunner({
    fourEyes: () => workspace.settings.approvals.four_eyes,
    db,
    runs: runsRepo,
    decisions,
    tickets,
    executors: createExecutors(() => workspace, options.sandbox ?? {}, httpDeps, options.browser ?? null, codePrompts),
    now,
    onChange: (run) => events.emit('run.changed', { runId: run.id, ticketId: run.ticketId, state: run.state }),
    onAutoRun: (run, step) => demotionCheck(run.mapId, step.id),
    // A revert is a bad automatic run too: the same check, with the same notice to the lead.
    onRevert: (run, step) => demotionCheck(run.mapId, step.id),
    ...(options.failpoint ? { failpoint: options.failpoint } : {}),
  });
  const connectionTests = new Map<string, ConnectionTest>();
  async function connection(id: string) {
    const [c] = await describeConnections(workspace.connectors.filter((x) => x.id === id), vault, options.sandbox ?? {}, connectionTests);
    if (!c) throw new TandemError('not_found', `There is no connector "${id}" in this workspace.`);
    return c;
  }

  /** Starts the map for the ticket's intent: the associate's choice when there is one, Tandem's reading otherwise. */
  async function startRun(ticketId: string, opts: { mapId?: string | undefined; dryRun?: boolean | undefined } = {}): Promise<StoredRun> {
    const row = tickets.get(ticketId);
    if (!row) throw new TandemError('not_found', `Ticket ${ticketId} is not in this workspace.`);
    const ticket = toTicket(row);
    const reading = ensureTriage(ticket);
    const verdict = decisions.forTriage(reading.id);
    const intent = opts.mapId ?? verdict?.final ?? reading.intent;
    const map = mapsById.get(intent);
    if (!map) throw new TandemError('not_found', `No map handles "${intent}".`, { hint: 'Pick another intent, or add a map for it under maps/.' });
    // Fields read for another intent do not fit this map: read them again with its field definitions.
    const fields = intent === reading.intent ? reading.fields : extractFields(map, ticketText(ticket));
    // A stand-in's reading (the full model is still being fitted from a large log, seconds after a start or a change
    // to the maps' phrases) is shown, and may be tried in a dry run, but starts nothing real on its own.
    if (!verdict && !opts.mapId && !opts.dryRun && reading.model === LOCAL_MODEL_ID && trainer.current.interim) {
      throw new TandemError('policy_blocked', 'Tandem is still fitting its local model from the decision log, and the reading of this ticket comes from the maps’ example phrases alone.', { hint: 'Accept or change the intent on the ticket to start its map now, or start it again in a few seconds.' });
    }
    // A reading that must go to a person (instructions hidden in the ticket, an invalid model answer) starts nothing
    // until a person has given a verdict or chosen the map.
    if (reading.escalation && !verdict && !opts.mapId) {
      throw new TandemError('policy_blocked', `A person decides this ticket first: ${reading.escalation}`, { hint: 'Accept or change the intent on the ticket; its map starts after your verdict.' });
    }
    // A person's verdict stands in for the model's confidence; without one the model's own counts.
    const confidence = verdict || opts.mapId ? 1 : reading.confidence;
    const threshold = map.escalate_below ?? workspace.settings.triage.escalate_below;
    return runner.start({ ticketId, map, fields, confidence, threshold, dryRun: opts.dryRun ?? false, actor: user });
  }
  tickets.upsertMany(workspace.tickets.map(fileTicket), now());
  triageStale();
  // The LLM (when configured) joins once its key is read; it then takes the tickets the local model was unsure of.
  void service.configure();
  // A loaded model catches up on the verdicts recorded after it was saved; a stand-in is replaced by the full fit;
  // a model fitted now is saved.
  if (trainer.startup.kind === 'loaded') retrainNow();
  tendModel();

  async function sync(signal?: AbortSignal) {
    const results: { source: string; imported: number; error: ErrorShape | null }[] = [];
    for (const source of workspace.httpSources) {
      let result: (typeof results)[number];
      try {
        const env = { connectors: workspace.connectors, sandbox: options.sandbox ?? {}, http: httpDeps, signal };
        const read = await syncHttpSource(source, env, sourceCursors, now);
        const imported = tickets.upsertMany(read.tickets.map((t) => remoteTicket(source.id, t)), now());
        read.commit();
        triageStale();
        const error = read.problems.length === 0 ? null : {
          code: 'bad_input',
          message: `${read.problems.length} item${read.problems.length === 1 ? '' : 's'} from ${source.definition.title} could not be read (${read.problems.slice(0, 3).join('; ')}${read.problems.length > 3 ? '; …' : ''}).`,
          hint: `The other tickets were imported; fix the ticket mapping in ${source.origin}, or the items in the helpdesk, and refresh.`,
        };
        result = { source: source.id, imported, error };
      } catch (err) {
        // A helpdesk that is down leaves the queue as it was; the associate sees why and can refresh later.
        result = { source: source.id, imported: 0, error: toErrorShape(err) };
      }
      results.push(result);
      events.emit('queue.synced', result);
    }
    return results;
  }

  /** Triage every ticket whose current reading was made from other content, maps or model; the same input is never read twice. */
  function triageStale(): void {
    service.triageStale();
  }

  function ensureTriage(ticket: Ticket) {
    return service.ensure(ticket);
  }

  const handlers: Handlers = {
    'app.info': () => ({
      version: options.version,
      host: options.host,
      user,
      dataDir: options.dataDir,
      keychain: { type: vault.type, notice: vault.notice },
      workspace: { path: workspace.root, name: workspace.settings.name, escalateBelow: workspace.settings.triage.escalate_below, problems: problems() },
    }),
    'app.setUser': ({ name }) => {
      user = saveName(options.dataDir, name);
      return handlers['app.info']({});
    },
    'tickets.list': (input) =>
      tickets.list(input).map((r) => ({
        id: r.id,
        subject: r.subject,
        requester: { name: r.requester_name, email: r.requester_email },
        channel: r.channel,
        createdAt: r.created_at,
        state: r.state,
        // An associate's override is the ticket's intent from then on: the list says what they decided, not what was guessed.
        intent: r.final_intent ?? r.intent,
        confidence: r.confidence,
        verdict: r.verdict,
        suggested: r.verdict === 'overridden' ? r.intent : null,
        escalation: r.intent === null ? null : (triage.current(r.id)?.triage.escalation ?? null),
      })),
    'tickets.get': ({ id }): TicketDetail => {
      const row = tickets.get(id);
      if (!row) throw new TandemError('not_found', `Ticket ${id} is not in this workspace.`, { hint: 'It may have been removed from its source; reload the inbox.' });
      const ticket = toTicket(row);
      const current = ensureTriage(ticket);
      const fresh = toTicket(tickets.get(id) ?? row);
      const run = runsRepo.openForTicket(id) ?? runsRepo.latestForTicket(id);
      return { ticket: fresh, triage: service.present(current, fresh), decisions: decisions.list({ ticketId: id }), run: run ? toRunDto(run) : null };
    },
    'intents.list': () => intents,
    'triage.decide': (input) => {
      const { decision, created } = decideTriage({ db, tickets, triage, decisions, knownIntents: () => knownIntents }, input, user, now());
      if (created) {
        events.emit('decision.recorded', decision);
        scheduleRetrain();
        events.emit('ticket.changed', { ticketId: input.ticketId, state: 'in_progress' });
        // The confirmed intent's map starts at once, so its lookups are done by the time the associate looks.
        if (mapsById.has(decision.final)) {
          background(async () => {
            const run = await startRun(input.ticketId);
            const row = tickets.get(run.ticketId);
            if (row) events.emit('ticket.changed', { ticketId: run.ticketId, state: row.state });
          });
        }
      }
      return decision;
    },
    'tickets.refresh': async () => ({ sources: await sync() }),
    'runs.start': async (input) => toRunDto(await startRun(input.ticketId, { mapId: input.mapId, dryRun: input.dryRun })),
    'runs.get': ({ runId }) => {
      const run = runsRepo.get(runId);
      if (!run) throw new TandemError('not_found', `There is no run ${runId}.`);
      return toRunDto(run);
    },
    'runs.list': (input) => runsRepo.list(input).map(toRunDto),
    'runs.decide': async (input) => toRunDto(await runner.decide({ ...input, actor: user })),
    'runs.approve': async (input) => toRunDto(await runner.approve({ ...input, actor: user })),
    'runs.return': async (input) => toRunDto(await runner.returnToAssociate({ ...input, actor: user })),
    'runs.fields': async (input) => toRunDto(await runner.supplyFields({ ...input, actor: user })),
    'runs.cancel': async ({ runId }) => toRunDto(await runner.cancel(runId, user)),
    'runs.revert': async (input) => {
      const run = await runner.revert({ ...input, actor: user });
      const revert = decisions.revertOf(input.runId, input.stepId);
      if (revert?.id === input.decisionId) events.emit('decision.recorded', revert);
      return toRunDto(run);
    },
    'connections.list': () => describeConnections(workspace.connectors, vault, options.sandbox ?? {}, connectionTests),
    'connections.setSecret': async ({ connectorId, name, value }) => {
      checkSecretName(workspace.connectors.find((c) => c.id === connectorId), connectorId, name);
      await vault.set(secretKey(connectorId, name), value);
      connectionTests.delete(connectorId); // the last test was of the old value
      return connection(connectorId);
    },
    'connections.deleteSecret': async ({ connectorId, name }) => {
      checkSecretName(workspace.connectors.find((c) => c.id === connectorId), connectorId, name);
      await vault.delete(secretKey(connectorId, name));
      connectionTests.delete(connectorId);
      return connection(connectorId);
    },
    'connections.test': async ({ connectorId }) => {
      const file = workspace.connectors.find((c) => c.id === connectorId);
      if (!file) throw new TandemError('not_found', `There is no connector "${connectorId}" in this workspace.`);
      const browser = options.browser ?? null;
      const tester = browser ? { signIn: async (id: string, path: string) => void (await browser.run(id, [{ goto: path }], {})) } : null;
      connectionTests.set(connectorId, await testConnection(file, vault, options.sandbox ?? {}, tester, now));
      return connection(connectorId);
    },
    'artifacts.screenshot': ({ name }) => {
      const file = join(options.dataDir, 'screenshots', name);
      if (!existsSync(file)) throw new TandemError('not_found', `The screenshot ${name} is no longer there.`);
      return { dataUrl: `data:image/png;base64,${readFileSync(file).toString('base64')}` };
    },
    'stats.get': (input) => computeStats(db, input, graduationPolicy(workspace.settings.graduation), stepMode, stepBlock),
    'maps.setMode': ({ mapId, stepId, mode, reason }) => {
      const file = workspace.mapFiles[mapId];
      const map = mapsById.get(mapId);
      if (!file || !map) throw new TandemError('not_found', `There is no map "${mapId}" in this workspace.`);
      const step = map.steps.find((st) => st.id === stepId);
      if (!step) throw new TandemError('not_found', `Map ${mapId} has no step "${stepId}".`);
      // A second click on a button that was still showing (or a second window) must not record a change that changed nothing.
      if (step.mode === mode) throw new TandemError('bad_input', mode === 'auto' ? `${mapId} · ${stepId} already runs automatically.` : `${mapId} · ${stepId} is already in ${mode} mode.`, { hint: 'Nothing was changed: the map and the record stay as they were.' });
      const evidence = computeStats(db, {}, graduationPolicy(workspace.settings.graduation), stepMode, stepBlock).steps.find((st) => st.mapId === mapId && st.stepId === stepId)?.graduation.why ?? 'no verdicts on this step yet';
      const { previous, version } = setStepMode(file, stepId, mode);
      const ORDER = ['manual', 'suggest', 'shadow', 'auto'];
      decisions.insert({
        id: randomUUID(), ticketId: null, kind: 'promotion', triageId: null, runId: null, stepId, mapId, mapVersion: version,
        actor: user, decidedAt: now(), suggested: JSON.stringify(previous), final: JSON.stringify(mode),
        verdict: ORDER.indexOf(mode) >= ORDER.indexOf(previous) ? 'promoted' : 'demoted', confidence: 1, reason: `${reason.trim()} — evidence: ${evidence}`, decisionMs: null,
      });
      // The file is the source of truth: read the workspace again so new runs use the new mode.
      adopt(loadWorkspace(workspace.root));
      events.emit('workspace.problems', { problems: problems() });
      return { mapId, stepId, mode, previous, version };
    },
    'decisions.list': (input) => decisions.list(input),
    'export.save': async (input) => {
      const choose = options.chooseExportPath;
      if (!choose) throw new TandemError('not_supported', 'This host saves exports as downloads, not through a save dialog.', { hint: 'Use Download in the Export dialog, or `tandem export --out FILE`.' });
      const name = `tandem-decisions-${new Date(now()).toISOString().slice(0, 10)}${input.redact ? '-redacted' : ''}.${input.format}`;
      const path = await choose(name);
      if (!path) return { saved: false, path: null, rows: 0 };
      const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
      const filter = { since: input.since ? day(input.since) : undefined, until: input.until ? day(input.until) + 86_400_000 : undefined, actor: input.associate, mapId: input.map, stepId: input.step, verdict: input.verdict };
      // Read through a connection of its own: verdicts keep being recorded while a large export is written.
      const reader = openReader(db);
      try {
        const rows = await exportToFile(createDecisionsRepo(reader), input.format, filter, path, { redact: input.redact ?? false });
        return { saved: true, path, rows };
      } catch (err) {
        if (err instanceof TandemError) throw err;
        throw new TandemError('bad_input', `Tandem could not write the export to ${path}: ${(err as Error).message.split('\n')[0]}`, { hint: 'Choose a folder you can write to, with room for the file.' });
      } finally {
        reader.close();
      }
    },
    'browser.codes': () => codePrompts.pending(),
    'browser.view': async ({ connectorId }) => {
      const views = options.browserViews;
      if (!views) {
        if (connectorId === null) return { embedded: false, shown: null };
        throw new TandemError('not_supported', 'This host has no embedded browser: browser steps run in a separate Chromium.', { hint: 'Use the desktop app to watch and take over browser steps.' });
      }
      if (connectorId === null) views.hide();
      else {
        const c = workspace.connectors.find((x) => x.id === connectorId && x.type === 'browser');
        if (!c) throw new TandemError('not_found', `There is no browser connector "${connectorId}" in this workspace.`);
        await views.show(c.id, c.title);
      }
      return { embedded: true, shown: views.shown() };
    },
    'browser.code': (input) => {
      if (!input.decline && !input.code) throw new TandemError('bad_input', 'Type the one-time code, or choose to sign in by hand.');
      return { delivered: input.decline ? codePrompts.decline(input.id) : codePrompts.answer(input.id, input.code!) };
    },
    'triage.status': () => service.status(),
    'triage.setLlm': async ({ llm }) => {
      writeLlmSettings(workspace.root, llm);
      adopt(loadWorkspace(workspace.root));
      events.emit('workspace.problems', { problems: problems() });
      await service.configure();
      return service.status();
    },
    'triage.setLlmKey': async ({ value }) => {
      await service.setKey(value);
      return service.status();
    },
    'triage.deleteLlmKey': async () => {
      await service.deleteKey();
      return service.status();
    },
    'stats.timeline': (input) => computeTimeline(db, input),
    'review.list': (input) => reviewPage(db, input),
    'review.addExample': (input) => addExampleFromDecision({ decisions, tickets, workspace: () => workspace, reload: () => adopt(loadWorkspace(workspace.root)), user, now }, input),
    ...createMapsBuilder({
      workspace: () => workspace,
      reload: () => {
        adopt(loadWorkspace(workspace.root));
        events.emit('workspace.problems', { problems: problems() });
      },
      db,
      decisions,
      tickets,
      runs: runsRepo,
      // A dry run may look things up (GET, nothing changes) but never act: no browser, no replies.
      lookup: createExecutors(() => workspace, options.sandbox ?? {}, httpDeps, null),
      recorder: options.recorder ?? null,
      user: () => user,
      now,
      graduation: (mapId, stepId) => {
        const g = computeStats(db, {}, graduationPolicy(workspace.settings.graduation), stepMode, stepBlock).steps.find((st) => st.mapId === mapId && st.stepId === stepId)?.graduation;
        return g ? { why: g.why, recommended: g.recommended } : { why: 'no verdicts on this step yet', recommended: false };
      },
    }),
  };

  return {
    handlers,
    events,
    get workspace() {
      return workspace;
    },
    db,
    vault,
    sync,
    async recover() {
      for (const id of runsRepo.unfinishedIds()) await runner.resume(id);
    },
    invoke: (name, input) => dispatch(handlers, name, input),
    async settle() {
      // A retrain that finishes re-reads tickets, which may queue more for the LLM: wait until both rest.
      for (;;) {
        await service.idle();
        if (pending.size === 0) return;
        while (pending.size > 0) await Promise.allSettled([...pending]);
      }
    },
    close: () => {
      clearTimeout(retrainTimer);
      clearTimeout(saveTimer);
      retraining?.abort(); // a retrain in flight stops at its next slice
      watcher?.close();
      try {
        trainer.saveSync(); // what the model learned since it was last saved (nothing when it was)
      } catch {
        // The next start fits the model again from the whole record; nothing here to tell anyone.
      }
      closed = true;

      service.close();
      db.close();
    },
  };
}

/** Everything a workspace is made of, as read: two loads of unchanged files give the same text. */
function fingerprint(w: Workspace): string {
  return JSON.stringify([w.settings, w.maps, w.connectors, w.problems, w.mapsVersion, w.httpSources, w.tickets.length, w.learned.length]);
}

/** What the UI sees of a run: not the map snapshot nor idempotency keys. */
function toRunDto(run: StoredRun): Run {
  const { map, idempotencyKeys: _keys, ...dto } = run;
  return { ...dto, mapFields: map.fields.map((f) => ({ name: f.name, type: f.type, required: f.required, ...(f.description ? { description: f.description } : {}) })) };
}

function fileTicket(t: WorkspaceTicket): NewTicket {
  const createdAt = t.created_at instanceof Date ? t.created_at.getTime() : Date.parse(t.created_at);
  return withHash({ id: `${t.source}:${t.id}`, source: t.source, externalId: t.id, subject: t.subject, body: t.body, requester: t.requester, channel: t.channel, createdAt });
}

function remoteTicket(source: string, t: SourceTicket): NewTicket {
  return withHash({ id: `${source}:${t.externalId}`, source, externalId: t.externalId, subject: t.subject, body: t.body, requester: t.requester, channel: t.channel, createdAt: t.createdAt });
}

function withHash(t: Omit<NewTicket, 'contentHash'>): NewTicket {
  return { ...t, contentHash: createHash('sha256').update(JSON.stringify([t.subject, t.body, t.requester, t.channel])).digest('hex') };
}

function safeUserName(): string {
  try {
    return userInfo().username || 'associate';
  } catch {
    return 'associate';
  }
}
