// Runs: one map executed for one ticket; each step's suggestion, verdict and outcome.
import { z } from 'zod';

export const RunStateSchema = z.enum(['running', 'waiting', 'escalated', 'done', 'failed', 'cancelled']);
export type RunState = z.infer<typeof RunStateSchema>;

export const StepStateSchema = z.enum(['pending', 'awaiting_verdict', 'awaiting_approval', 'running', 'uncertain', 'done', 'skipped', 'failed']);
export type StepState = z.infer<typeof StepStateSchema>;

export const StepVerdictSchema = z.enum(['accepted', 'edited', 'skipped', 'manual', 'escalated']);
export type StepVerdict = z.infer<typeof StepVerdictSchema>;

const Json = z.unknown();

export const RunStepSchema = z.object({
  idx: z.number().int(),
  stepId: z.string(),
  title: z.string(),
  block: z.string(),
  mode: z.enum(['suggest', 'shadow', 'auto', 'manual']),
  state: StepStateSchema,
  sideEffect: z.boolean(),
  suggested: Json.nullable(),
  inputs: Json.nullable(),
  outputs: Json.nullable(),
  error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional(), screenshot: z.string().optional() }).nullable(),
  note: z.string().nullable(),
  /** Why the associate edited the values that wait for a lead (or were approved), until their verdict records it. */
  proposalReason: z.string().nullable().optional(),
  attempts: z.number().int(),
  simulated: z.boolean(),
  startedAt: z.number().int().nullable(),
  finishedAt: z.number().int().nullable(),
});
export type RunStep = z.infer<typeof RunStepSchema>;

export const RunSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  mapId: z.string(),
  mapVersion: z.number().int(),
  state: RunStateSchema,
  dryRun: z.boolean(),
  fields: z.record(z.string(), z.unknown()),
  confidence: z.number(),
  threshold: z.number(),
  escalation: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  steps: z.array(RunStepSchema),
  /** The fields the run's map reads from a ticket, so a person can supply one Tandem did not find (the UI's form). */
  mapFields: z.array(z.object({ name: z.string(), type: z.string(), required: z.boolean(), description: z.string().optional() })).optional(),
});
export type Run = z.infer<typeof RunSchema>;
