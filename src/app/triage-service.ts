// Triage inside the app: the cascade built from the workspace and its model settings, the reading every ticket gets
// at once (local), the background queue that asks the LLM where the local model is unsure, and Settings' commands.
import type { TriageStatus } from '../contract/index.ts';
import type { Ticket } from '../domain/ticket.ts';
import type { Triage } from '../domain/triage.ts';
import type { Db } from '../store/db.ts';
import type { DecisionsRepo } from '../store/decisions-repo.ts';
import { createExperienceRepo } from '../store/experience-repo.ts';
import { toTicket, type TicketsRepo } from '../store/tickets-repo.ts';
import type { TriageRepo } from '../store/triage-repo.ts';
import { createCascadeTriager, llmInputHash, wantsLlm, type CascadeTriager } from '../triage/cascade.ts';
import { createExperience } from '../triage/experience.ts';
import { ticketText } from '../triage/local-triage.ts';
import { effectiveLlmSettings, LLM_KEY, needsKey, type LlmOverride } from '../triage/llm/endpoint.ts';
import { fitCalibration, type Calibration } from '../triage/llm/calibration.ts';
import { createLlmReader } from '../triage/llm/llm-reader.ts';
import { createTriageQueue, type QueueProgress, type TriageQueue } from '../triage/queue.ts';
import type { SecretStore } from '../vault/secret-store.ts';
import type { LlmSettings } from '../workspace/schema.ts';
import type { Workspace } from '../workspace/load.ts';
import type { EventBus } from './events.ts';
import type { LocalClassifier } from '../triage/local-classifier.ts';

export interface TriageServiceDeps {
  db: Db;
  tickets: TicketsRepo;
  triage: TriageRepo;
  decisions: DecisionsRepo;
  events: EventBus;
  vault: SecretStore;
  now: () => number;
  workspace: () => Workspace;
  llmOverride?: LlmOverride | null | undefined;
  fetch?: typeof fetch | undefined;
  /**
   * The local model for the workspace as it is now (trained on the maps' phrases and the decision log, kept up to
   * date by the app's trainer), taken whenever the cascade is rebuilt. None: a model of the maps' phrases alone.
   * `interim` marks a stand-in used while the full model is fitted: its readings are redone once that is ready.
   */
  localModel?: () => { classifier: LocalClassifier; interim?: string | undefined };
}

const IDLE: QueueProgress = { total: 0, done: 0, pending: 0, running: 0, failed: 0, concurrency: 0, pausedUntil: null, notice: null };

export function createTriageService(deps: TriageServiceDeps) {
  const experience = createExperience(createExperienceRepo(deps.db));
  /** The cascade's local model is a stand-in: the LLM is not asked about its readings, which are soon redone. */
  let standIn = false;
  let cascade: CascadeTriager = build(null);
  let queue: TriageQueue | null = null;
  // Known before the key is read, so readings the model made earlier are recognised from the first ticket on.
  let settings: LlmSettings | null = effectiveLlmSettings(deps.workspace().settings.triage.llm, deps.llmOverride);
  let keySet = false;
  let inactiveReason: string | null = null;
  let generation = 0;
  let ready: Promise<void> = Promise.resolve();
  let closed = false;

  function build(llm: { settings: LlmSettings; apiKey: string | undefined } | null): CascadeTriager {
    const ws = deps.workspace();
    const local = deps.localModel?.();
    standIn = Boolean(local?.interim);
    const base = { workspaceName: ws.settings.name, maps: ws.maps, mapsVersion: ws.mapsVersion, escalateBelow: ws.settings.triage.escalate_below, experience, local: local ? { model: local.classifier } : {} };
    if (!llm) return createCascadeTriager({ ...base, llm: null });
    const reader = createLlmReader({ settings: llm.settings, apiKey: llm.apiKey, workspaceName: ws.settings.name, maps: ws.maps, fallbackIntent: 'other', ...(deps.fetch ? { fetch: deps.fetch } : {}) });
    return createCascadeTriager({ ...base, llm: { reader, settings: llm.settings }, calibration: currentCalibration });
  }

  // The model's confidence, calibrated on the associates' verdicts on its earlier readings; refitted at most once a
  // minute (a query over the last 1,000 verdicts) and whenever triage is rebuilt.
  let calibration: { at: number; value: Calibration | null } | null = null;
  function currentCalibration(): Calibration | null {
    const t = deps.now();
    if (!calibration || t - calibration.at > 60_000 || t < calibration.at) calibration = { at: t, value: fitCalibration(deps.triage.llmVerdicts(1000)) };
    return calibration.value;
  }

  function progressEvent(p: QueueProgress) {
    if (!closed) deps.events.emit('triage.progress', { ...p, model: cascade.llm?.model ?? cascade.local.model });
  }

  /**
   * (Re)builds triage from the workspace now: the local model at once; the LLM once its key is read from the keychain,
   * and then the tickets the local model was unsure of go to the queue.
   */
  function configure(): Promise<void> {
    const gen = ++generation;
    calibration = null;
    queue?.close();
    queue = null;
    settings = effectiveLlmSettings(deps.workspace().settings.triage.llm, deps.llmOverride);
    cascade = build(null);
    if (!settings) {
      inactiveReason = null;
      ready = Promise.resolve();
      return ready;
    }
    const s = settings;
    ready = (async () => {
      inactiveReason = null;
      let apiKey: string | undefined;
      try {
        apiKey = await deps.vault.get(LLM_KEY);
      } catch (err) {
        apiKey = undefined;
        inactiveReason = `The keychain could not be read: ${(err as Error).message}`;
      }
      if (gen !== generation || closed) return;
      keySet = apiKey !== undefined;
      if (needsKey(s) && !apiKey) {
        inactiveReason ??= `No API key for ${new URL(s.base_url).host} yet: set it in Settings → Triage. Until then the local model reads every ticket.`;
        return;
      }
      inactiveReason = null;
      cascade = build({ settings: s, apiKey });
      queue = createTriageQueue({ maxConcurrency: s.max_concurrency, work: (id, signal) => readWithLlm(id, signal, cascade), onProgress: progressEvent });
      triageStale();
    })();
    return ready;
  }

  /**
   * Waits until the latest configuration has read the keychain: another configure() (a workspace reloaded meanwhile)
   * supersedes the one a caller started, which then returns early, before the key was read.
   */
  async function configured(): Promise<void> {
    let current: Promise<void>;
    do {
      current = ready;
      await current;
    } while (current !== ready);
  }

  async function readWithLlm(ticketId: string, signal: AbortSignal, c: CascadeTriager): Promise<void> {
    const row = deps.tickets.get(ticketId);
    if (!row) return;
    const ticket = toTicket(row);
    const hash = c.inputHash(ticket);
    const current = deps.triage.current(ticketId);
    if (!current || current.inputHash === hash || decidedReading(ticketId)) return;
    if (current.inputHash !== c.local.inputHash(ticket) || !settings || !wantsLlm(current.triage.confidence, settings)) return;
    const t = await c.readLlm(ticket, current.triage, deps.now(), signal);
    // While the model was reading, the settings, the ticket or a person's verdict may have moved on.
    if (c !== cascade || closed) return;
    const now = deps.tickets.get(ticketId);
    const latest = deps.triage.current(ticketId);
    if (!now || c.inputHash(toTicket(now)) !== hash) return;
    if ((latest && latest.inputHash === hash) || decidedReading(ticketId)) return;
    deps.triage.insert(t, hash);
    deps.events.emit('ticket.changed', { ticketId, state: now.state });
  }

  /** A reading of this ticket a person already decided on (accepted or overridden), if any. */
  function decidedReading(ticketId: string): Triage | undefined {
    const d = deps.decisions.list({ ticketId, limit: 1000 }).find((x) => x.kind === 'triage' && x.triageId);
    return d?.triageId ? deps.triage.get(d.triageId) : undefined;
  }

  /** The ticket's current reading, made now (locally) when there is none for its content, maps and models. */
  function ensure(ticket: Ticket): Triage {
    const localHash = cascade.local.inputHash(ticket);
    // The key a reading by the configured LLM has: valid even while the LLM is not asked (no key yet, being set up).
    const llmHash = settings ? llmInputHash(localHash, settings) : null;
    const current = deps.triage.current(ticket.id);
    if (current) {
      // The person decided on an earlier reading (the model's arrived while they looked): theirs is the one that counts.
      if (!deps.decisions.forTriage(current.triage.id)) {
        const decided = decidedReading(ticket.id);
        if (decided) return decided;
      }
      if (current.inputHash === localHash || current.inputHash === llmHash) {
        // Made from this very content: a model's reading stands; a local one stands too when it is sure enough.
        if (current.inputHash === localHash && queue && !standIn && settings && wantsLlm(current.triage.confidence, settings)) queue.enqueue([ticket.id]);
        return current.triage;
      }
      // A reading a person already decided on stands, whatever changed in the maps or the model since.
      if (deps.decisions.forTriage(current.triage.id)) return current.triage;
    }
    const { triage: t, needsLlm } = cascade.readLocal(ticket, deps.now());
    deps.triage.insert(t, localHash);
    if (ticket.state === 'new') deps.tickets.setState(ticket.id, 'triaged');
    if (needsLlm && queue && !standIn) queue.enqueue([ticket.id]);
    return t;
  }

  /** Every ticket gets a reading for its current content at once; the queue takes those the model should read. */
  function triageStale(): void {
    deps.db.transaction(() => {
      for (const row of deps.tickets.list({})) ensure(toTicket(row));
    })();
  }

  /** What the ticket screen shows: the reading, with a lead's resolution of a near-identical ticket found now if it escalates. */
  function present(t: Triage, ticket: Ticket): Triage {
    if (cascade.escalationReasons(t).length === 0) return t;
    const precedent = experience.precedent(ticket.id, ticketText(ticket));
    return precedent ? { ...t, precedent } : t;
  }

  function status(): TriageStatus {
    return {
      model: cascade.llm?.model ?? cascade.local.model,
      llm: settings,
      overridden: Boolean(deps.llmOverride),
      keyRequired: settings ? needsKey(settings) : false,
      keySet,
      inactiveReason,
      queue: queue?.progress() ?? IDLE,
    };
  }

  return {
    configure,
    ensure,
    present,
    triageStale,
    status,
    escalationReasons: (t: Triage) => cascade.escalationReasons(t),
    async setKey(value: string) {
      await deps.vault.set(LLM_KEY, value);
      configure();
      await configured();
    },
    async deleteKey() {
      await deps.vault.delete(LLM_KEY);
      keySet = false;
      configure();
      await configured();
    },
    /** Waits until the key is read and the queue rests: nothing left to do, or waiting out an outage. */
    async idle() {
      await ready;
      await queue?.settled();
    },
    close() {
      closed = true;
      queue?.close();
    },
  };
}
export type TriageService = ReturnType<typeof createTriageService>;
