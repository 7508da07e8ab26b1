// Triage: Tandem's reading of a ticket (intent, confidence, rationale), and the verdicts a person gives on it.
import { z } from 'zod';

export const IntentScoreSchema = z.object({ intent: z.string(), score: z.number() });

export const TriageSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  intent: z.string(),
  confidence: z.number().min(0).max(1),
  /** A language model's own confidence, before Tandem calibrated it on the record (LLM readings only). */
  rawConfidence: z.number().min(0).max(1).optional(),
  rationale: z.string(),
  alternatives: z.array(IntentScoreSchema),
  fields: z.record(z.string(), z.unknown()),
  model: z.string(),
  createdAt: z.number().int(),
  /** Every intent the ticket asks for, primary first (an LLM reading can find two asks). */
  intents: z.array(z.string()).optional(),
  /** For each field, the exact words of the ticket it was read from. */
  sources: z.record(z.string(), z.string()).optional(),
  language: z.string().optional(),
  urgency: z.enum(['low', 'normal', 'high']).optional(),
  sentiment: z.enum(['negative', 'neutral', 'positive']).optional(),
  /** Why this reading must go to a person whatever its confidence (invalid model output, instructions in the ticket). */
  escalation: z.string().nullable().optional(),
  /** What Tandem noticed and did about it: fields dropped as ungrounded, an LLM outage, redaction. */
  notices: z.array(z.string()).optional(),
  /** Tokens and cost of the model calls behind this reading; cost in millionths of the price's currency. */
  usage: z.object({ promptTokens: z.number().int(), completionTokens: z.number().int(), costMicros: z.number().int(), calls: z.number().int() }).optional(),
  /** A near-identical ticket a lead already resolved, offered before this one escalates. */
  precedent: z
    .object({ ticketId: z.string(), subject: z.string(), decisionId: z.string(), resolution: z.string(), actor: z.string(), decidedAt: z.number().int(), similarity: z.number() })
    .nullable()
    .optional(),
});
export type Triage = z.infer<typeof TriageSchema>;

export const VerdictSchema = z.enum(['accepted', 'overridden']);
export type Verdict = z.infer<typeof VerdictSchema>;

/** Every verdict in the record: on a triage, a step, an approval or an escalation; `reverted` only on a `revert`. */
export const RecordVerdictSchema = z.enum(['accepted', 'overridden', 'edited', 'skipped', 'manual', 'escalated', 'auto', 'approved', 'rejected', 'returned', 'promoted', 'demoted', 'reverted']);
export type RecordVerdict = z.infer<typeof RecordVerdictSchema>;

/**
 * `revert`: a person says an automatic run of a step was wrong and was undone by hand in the target system (verdict
 * `reverted`, with the reason). A kind of its own, not a second `step` row: a step keeps one verdict per run, so the
 * as-suggested rates and graduation windows that count step rows are not changed by a later judgement on one of them.
 */
export const DecisionKindSchema = z.enum(['triage', 'step', 'approval', 'escalation', 'promotion', 'shadow', 'example', 'revert']);
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
