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

export const DecisionSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  kind: z.literal('triage'),
  triageId: z.string(),
  actor: z.string(),
  decidedAt: z.number().int(),
  suggested: z.string(),
  final: z.string(),
  verdict: VerdictSchema,
  confidence: z.number(),
  reason: z.string().nullable(),
  decisionMs: z.number().int().nullable(),
});
export type Decision = z.infer<typeof DecisionSchema>;
