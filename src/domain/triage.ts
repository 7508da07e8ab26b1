// Triage: Tandem's reading of a ticket (intent, confidence, rationale), and the verdicts a person gives on it.
import { z } from 'zod';

export const IntentScoreSchema = z.object({ intent: z.string(), score: z.number() });

export const TriageSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  intent: z.string(),
  confidence: z.number().min(0).max(1),
  rationale: z.string(),
  alternatives: z.array(IntentScoreSchema),
  fields: z.record(z.string(), z.unknown()),
  model: z.string(),
  createdAt: z.number().int(),
});
export type Triage = z.infer<typeof TriageSchema>;

export const VerdictSchema = z.enum(['accepted', 'overridden']);
export type Verdict = z.infer<typeof VerdictSchema>;

/** Every verdict in the record: on a triage, a step, an approval or an escalation. */
export const RecordVerdictSchema = z.enum(['accepted', 'overridden', 'edited', 'skipped', 'manual', 'escalated', 'auto', 'approved', 'rejected', 'returned', 'promoted', 'demoted']);
export type RecordVerdict = z.infer<typeof RecordVerdictSchema>;

export const DecisionKindSchema = z.enum(['triage', 'step', 'approval', 'escalation', 'promotion', 'shadow', 'example']);
export type DecisionKind = z.infer<typeof DecisionKindSchema>;

export const DecisionSchema = z.object({
  id: z.string(),
  /** Null only for a promotion, which is about a map's step rather than a ticket. */
  ticketId: z.string().nullable(),
  kind: DecisionKindSchema,
  triageId: z.string().nullable(),
  runId: z.string().nullable(),
  stepId: z.string().nullable(),
  mapId: z.string().nullable(),
  mapVersion: z.number().int().nullable(),
  actor: z.string(),
  decidedAt: z.number().int(),
  /** What Tandem suggested and what was final: an intent for triage, JSON of the inputs for a step. */
  suggested: z.string(),
  final: z.string(),
  verdict: RecordVerdictSchema,
  confidence: z.number(),
  reason: z.string().nullable(),
  decisionMs: z.number().int().nullable(),
});
export type Decision = z.infer<typeof DecisionSchema>;
