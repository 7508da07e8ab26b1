// The workspace's file formats, as zod schemas: tandem.yaml, maps/*.yaml, connectors/*.yaml, tickets/*.yaml.
import { z } from 'zod';

const Id = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected an id of lower-case letters, digits, - and _ starting with a letter');

/** `triage.llm` in tandem.yaml: where the model is and how Tandem may use it. Never the API key (that is in the keychain). */
export const LlmSettingsSchema = z
  .object({
    base_url: z.string().url(),
    model: z.string().min(1),
    organization: z.string().min(1).optional(),
    /** Azure OpenAI: the api-version query parameter (base_url is then the deployment's URL). */
    api_version: z.string().min(1).optional(),
    timeout_ms: z.number().int().min(1000).max(600_000).default(30_000),
    max_concurrency: z.number().int().min(1).max(32).default(4),
    /** The local reading is kept, and the model not called, when its confidence is at least this (1: the model reads every ticket). */
    cascade_above: z.number().min(0).max(1).default(0.85),
    /** Replace emails, phone and card numbers, addresses and names with placeholders before the text leaves the machine. */
    redact_pii: z.boolean().default(true),
    /** How many already-decided tickets go into the prompt as examples. */
    few_shot: z.number().int().min(0).max(20).default(4),
    stream: z.boolean().default(false),
    /** Price per 1,000 tokens in the account's currency, for the cost recorded per ticket. */
    price_per_1k_input: z.number().min(0).default(0),
    price_per_1k_output: z.number().min(0).default(0),
  })
  .strict();
export type LlmSettings = z.infer<typeof LlmSettingsSchema>;

export const SettingsSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    triage: z
      .object({
        /** Below this confidence a ticket goes to a person before anything runs. */
        escalate_below: z.number().min(0).max(1).default(0.5),
        /** An OpenAI-compatible model read after the local one; absent: local triage only. The API key lives in the keychain. */
        llm: LlmSettingsSchema.optional(),
        /**
         * Labelled splits (`tickets/<split>.yaml` + `tickets/labels/<split>.yaml`) the local model learns from as if they
         * were decided tickets: a team's history, so a new install does not start from the maps' phrases alone.
         */
        learn_from: z.array(z.string().regex(/^[a-z0-9_-]+$/i, 'expected a split name like train')).default([]),
      })
      .strict()
      .default({ escalate_below: 0.5, learn_from: [] }),
    /** When the record recommends a step for auto, and when Tandem demotes one that fails (1 − threshold tolerated). */
    graduation: z
      .object({
        /** The lower bound (95% Wilson) a step's as-suggested rate must clear. */
        threshold: z.number().min(0.5).max(1).default(0.95),
        /** How many of the most recent verdicts count. */
        window: z.number().int().min(1).default(100),
        /** Fewer than this many and no recommendation is made. */
        min_samples: z.number().int().min(1).default(30),
      })
      .strict()
      .default({ threshold: 0.95, window: 100, min_samples: 30 }),
    /**
     * Who may approve what a rule sends to a lead. With four_eyes (the default) never the person who started the run:
     * an approval is a second person's. A one-person team turns it off.
     */
    approvals: z
      .object({ four_eyes: z.boolean().default(true) })
      .strict()
      .default({ four_eyes: true }),
    /** Where tickets come from: YAML files in the workspace, or a helpdesk through one of its connectors. */
    sources: z
      .array(
        z.discriminatedUnion('type', [
          z.object({ id: Id, type: z.literal('files'), path: z.string().min(1) }).strict(),
          z.object({ id: Id, type: z.literal('zendesk'), connector: Id }).strict(),
          /** A REST helpdesk described in YAML: a shipped preset (`preset: zendesk`) or the workspace's own file (`definition: sources/x.yaml`). */
          z.object({ id: Id, type: z.literal('http'), connector: Id, preset: Id.optional(), definition: z.string().min(1).optional() }).strict(),
          /** A CSV or JSON file of tickets (or a folder of them), read into the queue; bad rows are reported by line. */
          z.object({ id: Id, type: z.literal('import'), path: z.string().min(1) }).strict(),
        ]),
      )
      .default([{ id: 'files', type: 'files', path: 'tickets' }]),
  })
  .strict();
export type WorkspaceSettings = z.infer<typeof SettingsSchema>;
export type SourceConfig = WorkspaceSettings['sources'][number];

export { MapSchema, BLOCKS } from '../maps/schema.ts';
export type { ProcessMap as ProcessMapFile } from '../maps/schema.ts';

const SecretName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected the name of a secret (lower-case, digits, _), not the secret itself');

const HttpAuthSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }).strict(),
  z.object({ type: z.literal('bearer'), secret: SecretName }).strict(),
  z.object({ type: z.literal('basic'), username: z.string().min(1), secret: SecretName }).strict(),
  z.object({ type: z.literal('header'), name: z.string().min(1), secret: SecretName }).strict(),
  z.object({ type: z.literal('zendesk_token'), email: z.string().email(), secret: SecretName }).strict(),
  z.object({ type: z.literal('oauth2_client_credentials'), token_url: z.string().url(), client_id: z.string().min(1), secret: SecretName, scope: z.string().optional() }).strict(),
]);

/** Either a fixed address, or `sandbox: <system>` for the demo systems Tandem starts on 127.0.0.1. */
const Address = {
  base_url: z.string().url().optional(),
  sandbox: Id.optional(),
};

export const HttpConnectorSchema = z
  .object({
    id: Id,
    title: z.string().min(1),
    type: z.literal('http'),
    ...Address,
    auth: HttpAuthSchema.default({ type: 'none' }),
    headers: z.record(z.string(), z.string()).default({}),
    timeout_ms: z.number().int().min(100).max(300_000).default(15_000),
    /** A cheap read that proves the address and credentials work ("Test connection"). */
    test: z.string().default(''),
    /** Tandem's own pace for this system, below its limit: it waits instead of collecting 429s. */
    rate_limit: z.object({ requests: z.number().int().min(1), per_seconds: z.number().positive() }).strict().optional(),
  })
  .strict()
  .refine((c) => Boolean(c.base_url) !== Boolean(c.sandbox), { message: 'give exactly one of base_url or sandbox', path: ['base_url'] });

export const BrowserConnectorSchema = z
  .object({
    id: Id,
    title: z.string().min(1),
    type: z.literal('browser'),
    ...Address,
    username: z.string().optional(),
    secret: SecretName.optional(),
    /** A page to open to prove the login works. */
    test: z.string().default('/'),
  })
  // Login recipes and the rest of the browser connector are validated by the browser connector itself.
  .passthrough()
  .refine((c) => Boolean(c.base_url) !== Boolean(c.sandbox), { message: 'give exactly one of base_url or sandbox', path: ['base_url'] });

export const ConnectorSchema = z.discriminatedUnion('type', [HttpConnectorSchema, BrowserConnectorSchema]);
export type HttpConnectorFile = z.infer<typeof HttpConnectorSchema>;
export type BrowserConnectorFile = z.infer<typeof BrowserConnectorSchema>;
export type ConnectorFile = HttpConnectorFile | BrowserConnectorFile;

export const TicketFileEntrySchema = z
  .object({
    id: z.string().min(1),
    subject: z.string(),
    body: z.string(),
    requester: z.object({ name: z.string().min(1), email: z.string().email() }).strict(),
    channel: z.enum(['email', 'chat', 'web', 'phone']).default('email'),
    created_at: z.union([z.string().datetime({ offset: true }), z.date()]),
  })
  .strict();
export type TicketFileEntry = z.infer<typeof TicketFileEntrySchema>;
