// THE seam between UI and core: every command the UI can call and every event it receives, with zod schemas.
// Hosts (Electron IPC, the headless HTTP server) validate inputs with these schemas before calling the app.
import { z } from 'zod';
import { TicketSchema, TicketStateSchema } from '../domain/ticket.ts';
import { DecisionSchema, TriageSchema, VerdictSchema } from '../domain/triage.ts';
import { RecordVerdictSchema } from '../domain/triage.ts';
import { ProblemSchema } from '../domain/workspace.ts';
import { RunSchema, RunStateSchema, StepVerdictSchema } from '../domain/run.ts';
import type { ErrorShape } from '../domain/errors.ts';
import { LlmSettingsSchema } from '../workspace/schema.ts';

export type { Ticket, TicketState } from '../domain/ticket.ts';
export type { Triage, Decision, Verdict } from '../domain/triage.ts';
export type { Problem } from '../domain/workspace.ts';
export type { Run, RunStep, RunState, StepState, StepVerdict } from '../domain/run.ts';
export type { ErrorShape } from '../domain/errors.ts';

const Empty = z.object({}).strict();
const ExportDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date like 2026-11-01');

export const TicketSummarySchema = TicketSchema.pick({
  id: true,
  subject: true,
  requester: true,
  channel: true,
  createdAt: true,
  state: true,
}).extend({
  /** What the ticket is about: the intent the associate settled on when the current reading has a verdict, else the reading's. */
  intent: z.string().nullable(),
  /** How sure the current reading was of its own suggestion (after an override, of `suggested`, not of `intent`). */
  confidence: z.number().nullable(),
  /** The associate's verdict on the current reading; null while it waits for one. */
  verdict: VerdictSchema.nullable().optional(),
  /** The reading's intent when the associate overrode it. */
  suggested: z.string().nullable().optional(),
  /** Why the current reading must go to a person whatever its confidence (e.g. instructions hidden in the ticket). */
  escalation: z.string().nullable().optional(),
});
export type TicketSummary = z.infer<typeof TicketSummarySchema>;

export const IntentInfoSchema = z.object({
  intent: z.string(),
  title: z.string(),
  description: z.string(),
});
export type IntentInfo = z.infer<typeof IntentInfoSchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  host: z.enum(['electron', 'headless']),
  user: z.string(),
  dataDir: z.string(),
  /** Where secrets are kept; the notice says, once, why they are not in the OS keychain. */
  keychain: z.object({ type: z.enum(['persisted', 'in-memory']), notice: z.string().nullable() }),
  workspace: z.object({
    path: z.string(),
    name: z.string(),
    /** Triage confidence below which a ticket goes to a person first. */
    escalateBelow: z.number(),
    problems: z.array(ProblemSchema),
  }),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const TicketDetailSchema = z.object({
  ticket: TicketSchema,
  triage: TriageSchema.nullable(),
  decisions: z.array(DecisionSchema),
  /** The ticket's live run, or its last one. */
  run: RunSchema.nullable(),
});
export type TicketDetail = z.infer<typeof TicketDetailSchema>;

export const DecideTriageInputSchema = z
  .object({
    /** Chosen by the client once per decision, so a retried or double-clicked call records one row. */
    decisionId: z.string().uuid(),
    ticketId: z.string().min(1),
    triageId: z.string().min(1),
    verdict: VerdictSchema,
    finalIntent: z.string().min(1),
    reason: z.string().trim().max(2000).optional(),
    decisionMs: z.number().int().nonnegative().optional(),
  })
  .strict();
export type DecideTriageInput = z.infer<typeof DecideTriageInputSchema>;

const ErrorShapeSchema = z.object({ code: z.string(), message: z.string(), hint: z.string().optional() });

/** A connection as the Settings screen sees it: which secrets are set, never their values. */
export const ConnectionSchema = z.object({
  id: z.string(),
  title: z.string(),
  type: z.enum(['http', 'browser']),
  address: z.string(),
  secrets: z.array(z.object({ name: z.string(), set: z.boolean() })),
  lastTest: z.object({ ok: z.boolean(), at: z.number(), ms: z.number(), message: z.string(), error: ErrorShapeSchema.nullable() }).nullable(),
});
export type Connection = z.infer<typeof ConnectionSchema>;

const RateSchema = z.object({ rate: z.number(), lower: z.number() });
export const StatsSchema = z.object({
  triage: z.object({ n: z.number(), accepted: z.number(), overridden: z.number(), asSuggested: RateSchema, confusions: z.array(z.object({ suggested: z.string(), final: z.string(), count: z.number() })) }),
  steps: z.array(
    z.object({
      mapId: z.string(),
      stepId: z.string(),
      n: z.number(),
      verdicts: z.record(z.string(), z.number()),
      asSuggested: RateSchema,
      edited: RateSchema,
      topEditedFields: z.array(z.object({ field: z.string(), count: z.number() })),
      overrideReasons: z.array(z.object({ reason: z.string(), count: z.number() })),
      autoRuns: z.number(),
      autoFailures: z.number(),
      autoReverts: z.number(),
      autoReverted: RateSchema,
      medianDecisionMs: z.number().nullable(),
      /** The step's mode in its map now (null: no longer in the workspace). A step in auto is never recommended. */
      mode: z.string().nullable(),
      /** needed: more verdicts, all taken as suggested, before it is recommended (0: it is; null: runs automatically, or no number will do). */
      graduation: z.object({ window: z.number(), asSuggested: RateSchema, recommended: z.boolean(), needed: z.number().nullable(), why: z.string(), source: z.enum(['live', 'shadow']) }),
      shadow: z.object({ n: z.number(), matched: z.number(), asSuggested: RateSchema }),
    }),
  ),
  modeChanges: z.array(
    z.object({ id: z.string(), mapId: z.string(), stepId: z.string(), verdict: z.enum(['promoted', 'demoted']), from: z.string(), to: z.string(), actor: z.string(), at: z.number(), reason: z.string().nullable() }),
  ),
});
export type Stats = z.infer<typeof StatsSchema>;

/** A browser sign-in waiting for a one-time code; never the code itself. */
export const CodeRequestSchema = z.object({
  id: z.string(),
  connectorId: z.string(),
  connector: z.string(),
  prompt: z.string(),
  attempt: z.number().int(),
  runId: z.string().nullable(),
  stepId: z.string().nullable(),
  ticketId: z.string().nullable(),
  askedAt: z.number().int(),
});
export type CodeRequest = z.output<typeof CodeRequestSchema>;
/** The background triage queue: how far it is, how fast it may go, and what the associate should know. */
export const TriageProgressSchema = z.object({
  total: z.number().int(),
  done: z.number().int(),
  pending: z.number().int(),
  running: z.number().int(),
  failed: z.number().int(),
  concurrency: z.number().int(),
  pausedUntil: z.number().nullable(),
  notice: z.string().nullable(),
});
export type TriageProgress = z.infer<typeof TriageProgressSchema>;

/** Triage's model settings as Settings shows them: never the API key, only whether one is set. */
export const TriageStatusSchema = z.object({
  /** The model readings come from now: the local model's id, or llm:<model>@<host>. */
  model: z.string(),
  llm: LlmSettingsSchema.nullable(),
  /** Set by the host (TANDEM_LLM_BASE_URL): the workspace's settings are not the ones in force. */
  overridden: z.boolean(),
  keyRequired: z.boolean(),
  keySet: z.boolean(),
  /** Why the LLM configured is not used (no key, a refused key); null when it is used or none is configured. */
  inactiveReason: z.string().nullable(),
  queue: TriageProgressSchema,
});
export type TriageStatus = z.infer<typeof TriageStatusSchema>;
export type LlmSettingsInput = z.input<typeof LlmSettingsSchema>;
const TimelinePointSchema = z.object({
  start: z.number(),
  volume: z.number(),
  triage: z.object({ n: z.number(), accepted: z.number(), asSuggested: RateSchema }),
  steps: z.object({ n: z.number(), asSuggested: RateSchema, edited: z.number() }),
  shadow: z.object({ n: z.number(), matched: z.number() }),
  escalations: z.number(),
  autoRuns: z.number(),
  autoFailures: z.number(),
});
export type TimelinePoint = z.infer<typeof TimelinePointSchema>;

const ReviewItemSchema = z.object({
  decisionId: z.string(),
  kind: z.string(),
  verdict: z.string(),
  actor: z.string(),
  decidedAt: z.number(),
  mapId: z.string().nullable(),
  stepId: z.string().nullable(),
  runId: z.string().nullable(),
  suggested: z.string(),
  final: z.string(),
  reason: z.string().nullable(),
  /** For an edit (or a step done by hand with other values): each value that differs, both sides whole; else empty. */
  differences: z.array(z.object({ path: z.string(), suggested: z.string(), final: z.string() })),
  ticket: z.object({ id: z.string(), subject: z.string(), body: z.string(), requester: z.string() }).nullable(),
  origin: z.string().nullable(),
});
export type ReviewItem = z.infer<typeof ReviewItemSchema>;
const MapIdInput = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected a map id of lower-case letters, digits, - and _ starting with a letter');

export const MapSummarySchema = z.object({
  id: z.string(),
  file: z.string(),
  title: z.string(),
  description: z.string(),
  version: z.number(),
  /** False when the file has problems: it is listed so it can be fixed, but does not run. */
  loads: z.boolean(),
  problems: z.array(z.string()),
  steps: z.array(z.object({ id: z.string(), title: z.string(), block: z.string(), mode: z.string(), sideEffect: z.boolean().optional(), n: z.number(), asSuggested: z.number().nullable(), lower: z.number().nullable() })),
});
export type MapSummary = z.infer<typeof MapSummarySchema>;

export const MapDraftSchema = z.object({
  mapId: z.string(),
  file: z.string(),
  exists: z.boolean(),
  text: z.string(),
  hash: z.string(),
  value: z.record(z.string(), z.unknown()),
  blocks: z.array(z.object({ block: z.string(), title: z.string(), description: z.string(), template: z.record(z.string(), z.unknown()) })),
  connectors: z.array(z.object({ id: z.string(), type: z.enum(['http', 'browser']), title: z.string() })),
});
export type MapDraft = z.infer<typeof MapDraftSchema>;

const ReferenceSchema = z.object({ expr: z.string(), source: z.enum(['ticket', 'field', 'step']), label: z.string() });
export type MapReference = z.infer<typeof ReferenceSchema>;
export const MapCheckSchema = z.object({
  issues: z.array(z.object({ path: z.string(), at: z.array(z.union([z.string(), z.number()])), message: z.string(), hint: z.string().optional() })),
  /** Per step index (and one more, after the last step): the references usable there. */
  available: z.array(z.array(ReferenceSchema)),
});
export type MapCheck = z.infer<typeof MapCheckSchema>;

const DiffLineSchema = z.object({ op: z.enum([' ', '+', '-', '…']), text: z.string() });
export const MapSaveSchema = z.object({
  saved: z.boolean(),
  file: z.string(),
  version: z.number(),
  diff: z.array(DiffLineSchema),
  hash: z.string(),
  /** Steps whose mode this save changes, with what the record says of them: each is recorded as a promotion or demotion. */
  modeChanges: z.array(z.object({ stepId: z.string(), from: z.string(), to: z.string(), evidence: z.string(), recommended: z.boolean() })).default([]),
});
export type MapSave = z.infer<typeof MapSaveSchema>;

const DryStepSchema = z.object({
  stepId: z.string(),
  block: z.string(),
  title: z.string(),
  mode: z.string(),
  state: z.enum(['would_run', 'looked_up', 'skipped', 'would_wait', 'would_escalate', 'would_finish', 'failed', 'not_reached']),
  inputs: z.record(z.string(), z.unknown()).nullable(),
  call: z.array(z.string()),
  outputs: z.record(z.string(), z.unknown()),
  note: z.string(),
  error: ErrorShapeSchema.nullable(),
});
export const DryRunSchema = z.object({
  ticket: z.object({ id: z.string(), subject: z.string(), requester: z.object({ name: z.string(), email: z.string() }) }),
  fields: z.record(z.string(), z.unknown()),
  missing: z.array(z.string()),
  outcome: z.enum(['done', 'escalated', 'waiting_for_fields']),
  escalation: z.string().nullable(),
  steps: z.array(DryStepSchema),
});
export type DryRunResult = z.infer<typeof DryRunSchema>;

export const HistoryReplaySchema = z.object({
  summary: z.object({ tickets: z.number(), compared: z.number(), same: z.number(), differ: z.number(), newSteps: z.number() }),
  tickets: z.array(
    z.object({
      ticketId: z.string(),
      subject: z.string(),
      outcome: z.string(),
      escalation: z.string().nullable(),
      steps: z.array(
        z.object({
          stepId: z.string(),
          title: z.string(),
          state: z.string(),
          suggested: z.record(z.string(), z.unknown()).nullable(),
          associate: z.object({ verdict: z.string(), actor: z.string(), final: z.unknown(), reason: z.string().nullable() }).nullable(),
          verdict: z.enum(['same', 'differs', 'new', 'not_reached']),
          /** Where the draft's suggestion and what the associate sent differ, value by value ("body.amount": "0" → "4200"). */
          differences: z.array(z.object({ path: z.string(), draft: z.string(), associate: z.string() })),
        }),
      ),
    }),
  ),
});
export type HistoryReplay = z.infer<typeof HistoryReplaySchema>;

export const RecordingSchema = z.object({
  sessionId: z.string(),
  connector: z.string(),
  url: z.string(),
  actions: z.array(z.record(z.string(), z.unknown())),
  skipped: z.array(z.string()),
  open: z.boolean(),
  visible: z.boolean(),
});
export type Recording = z.infer<typeof RecordingSchema>;

/** Every command: name -> input and output schema. Add a command here first; the hosts and the client follow from it. */
export const commands = {
  'app.info': { input: Empty, output: AppInfoSchema },
  /** The associate's name in the record from now on (kept on this machine, in the data folder). */
  'app.setUser': { input: z.object({ name: z.string().max(200) }).strict(), output: AppInfoSchema },
  'tickets.list': {
    input: z.object({ state: TicketStateSchema.optional(), query: z.string().max(200).optional() }).strict(),
    output: z.array(TicketSummarySchema),
  },
  'tickets.get': { input: z.object({ id: z.string().min(1) }).strict(), output: TicketDetailSchema },
  'intents.list': { input: Empty, output: z.array(IntentInfoSchema) },
  'triage.decide': { input: DecideTriageInputSchema, output: DecisionSchema },
  'tickets.refresh': {
    input: Empty,
    output: z.object({ sources: z.array(z.object({ source: z.string(), imported: z.number().int(), error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).nullable() })) }),
  },
  'runs.start': {
    input: z.object({ ticketId: z.string().min(1), mapId: z.string().optional(), dryRun: z.boolean().optional() }).strict(),
    output: RunSchema,
  },
  'runs.get': { input: z.object({ runId: z.string().min(1) }).strict(), output: RunSchema },
  'runs.list': { input: z.object({ state: RunStateSchema.optional(), limit: z.number().int().min(1).max(500).optional() }).strict(), output: z.array(RunSchema) },
  'runs.decide': {
    input: z
      .object({
        runId: z.string().min(1),
        stepId: z.string().min(1),
        decisionId: z.string().uuid(),
        verdict: StepVerdictSchema,
        inputs: z.record(z.string(), z.unknown()).optional(),
        reason: z.string().trim().max(2000).optional(),
        decisionMs: z.number().int().nonnegative().optional(),
      })
      .strict(),
    output: RunSchema,
  },
  'runs.approve': {
    input: z.object({ runId: z.string().min(1), stepId: z.string().min(1), decisionId: z.string().uuid(), approve: z.boolean(), reason: z.string().trim().max(2000).optional() }).strict(),
    output: RunSchema,
  },
  'runs.return': {
    input: z.object({ runId: z.string().min(1), decisionId: z.string().uuid(), note: z.string().trim().min(1).max(2000) }).strict(),
    output: RunSchema,
  },
  'runs.fields': {
    input: z.object({ runId: z.string().min(1), decisionId: z.string().uuid(), fields: z.record(z.string(), z.unknown()) }).strict(),
    output: RunSchema,
  },
  'runs.cancel': { input: z.object({ runId: z.string().min(1) }).strict(), output: RunSchema },
  /**
   * A step Tandem ran on its own (mode auto, finished) was wrong and a person undid its effect by hand in the target
   * system — Tandem undoes nothing itself. Recorded as a `revert` decision with the reason; once per run step. Counts
   * toward the step's automatic demotion, as a failed run does.
   */
  'runs.revert': {
    input: z
      .object({
        runId: z.string().min(1),
        stepId: z.string().min(1),
        decisionId: z.string().uuid(),
        reason: z.string().trim().min(1, 'say what was wrong and what you undid by hand').max(2000),
      })
      .strict(),
    output: RunSchema,
  },
  'connections.list': { input: Empty, output: z.array(ConnectionSchema) },
  'connections.setSecret': {
    // The value travels once, to the keychain; no command ever returns it.
    input: z.object({ connectorId: z.string().min(1), name: z.string().min(1), value: z.string().min(1).max(10_000) }).strict(),
    output: ConnectionSchema,
  },
  'connections.deleteSecret': { input: z.object({ connectorId: z.string().min(1), name: z.string().min(1) }).strict(), output: ConnectionSchema },
  'connections.test': { input: z.object({ connectorId: z.string().min(1) }).strict(), output: ConnectionSchema },
  'artifacts.screenshot': {
    input: z.object({ name: z.string().regex(/^[a-z0-9_-]+-[a-z-]+-\d+\.png$/, 'expected a screenshot name Tandem gave') }).strict(),
    output: z.object({ dataUrl: z.string() }),
  },
  'maps.setMode': {
    input: z.object({ mapId: z.string().min(1), stepId: z.string().min(1), mode: z.enum(['suggest', 'shadow', 'auto', 'manual']), reason: z.string().trim().min(1, 'say why').max(2000) }).strict(),
    output: z.object({ mapId: z.string(), stepId: z.string(), mode: z.string(), previous: z.string(), version: z.number() }),
  },
  'stats.get': { input: z.object({ since: z.number().int().optional(), until: z.number().int().optional() }).strict(), output: StatsSchema },
  'decisions.list': {
    input: z.object({ ticketId: z.string().optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
    output: z.array(DecisionSchema),
  },
  /** One-time codes (2FA) that browser sign-ins are waiting for: the step is paused until the associate answers. */
  'browser.codes': { input: z.object({}).strict(), output: z.array(CodeRequestSchema) },
  /** The associate's one-time code, typed into the page and never stored; or `decline` to sign in by hand. */
  'browser.code': {
    input: z.object({ id: z.string().min(1), code: z.string().trim().min(1).max(32).optional(), decline: z.boolean().optional() }).strict(),
    output: z.object({ delivered: z.boolean() }),
  },
  /** The desktop app's embedded browser: show a connector's page beside Tandem (to watch or take over), or hide it (null). */
  'browser.view': {
    input: z.object({ connectorId: z.string().min(1).nullable() }).strict(),
    output: z.object({ embedded: z.boolean(), shown: z.string().nullable() }),
  },
  'triage.status': { input: Empty, output: TriageStatusSchema },
  /** Saves `triage.llm` in tandem.yaml (null: local triage only) and re-reads the queue with it. */
  'triage.setLlm': { input: z.object({ llm: LlmSettingsSchema.nullable() }).strict(), output: TriageStatusSchema },
  // The key travels once, to the keychain; no command ever returns it.
  'triage.setLlmKey': { input: z.object({ value: z.string().trim().min(1).max(10_000) }).strict(), output: TriageStatusSchema },
  'triage.deleteLlmKey': { input: Empty, output: TriageStatusSchema },
  /** The dashboard over time: per day or week, volume and rates with their Wilson lower bounds. */
  'stats.timeline': {
    input: z.object({ bucket: z.enum(['day', 'week']), since: z.number().int().optional(), until: z.number().int().optional(), mapId: z.string().optional(), stepId: z.string().optional() }).strict(),
    output: z.array(TimelinePointSchema),
  },
  /** Overrides and escalations, newest first, a page at a time. */
  'review.list': {
    input: z.object({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(200).default(20), mapId: z.string().optional(), verdict: RecordVerdictSchema.optional(), since: z.number().int().optional() }).strict(),
    output: z.object({ total: z.number().int(), items: z.array(ReviewItemSchema) }),
  },
  /**
   * The desktop app's Export dialog: the host asks where to save (a native save dialog), then the record is written
   * there whole or not at all. `saved: false` when the associate cancelled. The headless host streams GET /api/export.
   */
  'export.save': {
    input: z
      .object({
        format: z.enum(['csv', 'jsonl']),
        since: ExportDay.optional(),
        /** Inclusive: the whole of that day. */
        until: ExportDay.optional(),
        associate: z.string().trim().min(1).optional(),
        map: z.string().min(1).optional(),
        step: z.string().min(1).optional(),
        verdict: RecordVerdictSchema.optional(),
        redact: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ saved: z.boolean(), path: z.string().nullable(), rows: z.number().int() }),
  },
  /** Turns a reviewed decision into a triage example of a map (its ticket's subject, or the text given). */
  'review.addExample': {
    input: z.object({ decisionId: z.string().min(1), mapId: z.string().optional(), text: z.string().trim().min(3).max(500).optional() }).strict(),
    output: z.object({ mapId: z.string(), text: z.string(), added: z.boolean(), decisionId: z.string().nullable() }),
  },
  'maps.list': { input: Empty, output: z.array(MapSummarySchema) },
  'maps.open': { input: z.object({ mapId: MapIdInput }).strict(), output: MapDraftSchema },
  'maps.check': { input: z.object({ value: z.unknown() }).strict(), output: MapCheckSchema },
  'maps.save': {
    // Without confirm: the diff only. With it: written, unless the file changed on disk since baseHash was read.
    // A save that changes a step's mode needs a reason: it is recorded like a promotion from Insights.
    input: z.object({ mapId: MapIdInput, value: z.record(z.string(), z.unknown()), baseHash: z.string(), confirm: z.boolean().optional(), reason: z.string().max(2000).optional() }).strict(),
    output: MapSaveSchema,
  },
  'maps.tryIt': { input: z.object({ value: z.record(z.string(), z.unknown()), ticketId: z.string().min(1), lookups: z.boolean().optional() }).strict(), output: DryRunSchema },
  'maps.tryHistory': { input: z.object({ value: z.record(z.string(), z.unknown()), limit: z.number().int().min(1).max(200) }).strict(), output: HistoryReplaySchema },
  'maps.recordStart': { input: z.object({ connectorId: z.string().min(1), path: z.string().max(2000) }).strict(), output: RecordingSchema },
  'maps.recordPoll': { input: z.object({ sessionId: z.string().min(1) }).strict(), output: RecordingSchema },
  'maps.recordStop': {
    input: z.object({ sessionId: z.string().min(1), value: z.record(z.string(), z.unknown()), stepIndex: z.number().int().min(0), ticketId: z.string().min(1).optional() }).strict(),
    output: z.object({ connector: z.string(), actions: z.array(z.record(z.string(), z.unknown())), skipped: z.array(z.string()) }),
  },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type CommandName = keyof typeof commands;
export type CommandInput<K extends CommandName> = z.input<(typeof commands)[K]['input']>;
export type CommandOutput<K extends CommandName> = z.output<(typeof commands)[K]['output']>;

/** Every event the core pushes to the UI. */
export const events = {
  'ticket.changed': z.object({ ticketId: z.string(), state: TicketStateSchema }),
  'decision.recorded': DecisionSchema,
  'workspace.problems': z.object({ problems: z.array(ProblemSchema) }),
  'run.changed': z.object({ runId: z.string(), ticketId: z.string(), state: RunStateSchema }),
  /** A source was read: how many tickets are new or changed, or why it could not be read. */
  'queue.synced': z.object({ source: z.string(), imported: z.number().int(), error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).nullable() }),
  /** The one-time codes browser sign-ins wait for changed (asked, answered, given up). */
  'browser.codes': z.object({ pending: z.array(CodeRequestSchema) }),
  /** The background triage queue moved: a ticket read by the model, a pause after a 429, an outage notice. */
  'triage.progress': TriageProgressSchema.extend({ model: z.string() }),
  /** Tandem put a step back to suggest after its automatic runs failed or were reverted (error: the map could not be written, it still runs alone). */
  'step.demoted': z.object({
    mapId: z.string(),
    stepId: z.string(),
    from: z.string(),
    to: z.string(),
    decisionId: z.string().nullable(),
    reason: z.string(),
    runs: z.number().int(),
    failures: z.number().int(),
    /** Of those runs, how many a person marked as reverted. */
    reverted: z.number().int(),
    error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).nullable(),
  }),
} as const satisfies Record<string, z.ZodType>;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** A reply crosses the boundary as data: an error is never a lost exception. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorShape };

/** What the UI talks to: window.tandem in Electron, an HTTP client in a browser; both have exactly this type. */
export interface TandemApi {
  invoke<K extends CommandName>(name: K, input: CommandInput<K>): Promise<Result<CommandOutput<K>>>;
  on<E extends EventName>(event: E, handler: (payload: EventPayload<E>) => void): () => void;
}

/** The core's side of the contract: one handler per command, taking validated input. */
export type Handlers = { [K in CommandName]: (input: z.output<(typeof commands)[K]['input']>) => Promise<CommandOutput<K>> | CommandOutput<K> };

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}
