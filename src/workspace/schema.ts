// The workspace's file formats, as zod schemas: tandem.yaml, maps/*.yaml, connectors/*.yaml, tickets/*.yaml.
import { z } from 'zod';

const Id = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected an id of lower-case letters, digits, - and _ starting with a letter');

export const SettingsSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    triage: z
      .object({
        /** Below this confidence a ticket goes to a person before anything runs. */
        escalate_below: z.number().min(0).max(1).default(0.5),
      })
      .strict()
      .default({ escalate_below: 0.5 }),
    tickets: z
      .object({ path: z.string().default('tickets') })
      .strict()
      .default({ path: 'tickets' }),
  })
  .strict();
export type WorkspaceSettings = z.infer<typeof SettingsSchema>;

export const BLOCKS = ['http', 'browser', 'condition', 'approval', 'reply', 'manual', 'set'] as const;

const FieldSchema = z
  .object({
    name: Id,
    type: z.enum(['string', 'number', 'money', 'email', 'date', 'boolean', 'address']),
    required: z.boolean().default(false),
    description: z.string().optional(),
    pattern: z.string().optional(),
  })
  .strict();

const StepSchema = z
  .object({
    id: Id,
    block: z.enum(BLOCKS),
    title: z.string().optional(),
    mode: z.enum(['suggest', 'shadow', 'auto', 'manual']).default('suggest'),
  })
  // Each block's own fields are validated by the map engine; the loader checks the frame.
  .passthrough();

export const MapSchema = z
  .object({
    id: Id,
    version: z.number().int().positive(),
    intent: z
      .object({
        title: z.string().min(1),
        description: z.string().min(1),
        examples: z.array(z.string().min(3)).min(1, 'a map needs at least one example phrase so triage can recognise it'),
      })
      .strict(),
    fields: z.array(FieldSchema).default([]),
    policy: z.array(z.object({ id: Id, when: z.string(), then: z.enum(['escalate', 'approval', 'block']), reason: z.string() }).strict()).default([]),
    steps: z.array(StepSchema).default([]),
  })
  .strict();
export type ProcessMapFile = z.infer<typeof MapSchema>;

export const ConnectorSchema = z
  .object({
    id: Id,
    title: z.string().min(1),
    type: z.enum(['http', 'browser']),
    base_url: z.string().url().optional(),
    start_url: z.string().url().optional(),
    auth: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();
export type ConnectorFile = z.infer<typeof ConnectorSchema>;

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
