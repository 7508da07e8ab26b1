// The triage cascade: the local model reads every ticket at once; only when it is unsure does the LLM read it, and
// the LLM's answer is validated, grounded and checked against instructions hidden in the ticket before it counts.
import { createHash, randomUUID } from 'node:crypto';
import type { Ticket } from '../domain/ticket.ts';
import type { Triage } from '../domain/triage.ts';
import type { LlmSettings, ProcessMapFile } from '../workspace/schema.ts';
import type { Experience } from './experience.ts';
import { findSuspiciousSpans, legitimateText } from './llm/injection.ts';
import { endpointKeyOf, LlmError, type LlmReader } from './llm/llm-reader.ts';
import type { Calibration } from './llm/calibration.ts';
import { groundFields } from './llm/output.ts';
import { createLocalTriager, ticketText, type LocalTriagerOptions, type Triager } from './local-triage.ts';

export interface CascadeOptions {
  /** The local model's options: its experience (accepted and corrected verdicts from the record). */
  local?: LocalTriagerOptions;
  workspaceName: string;
  maps: readonly ProcessMapFile[];
  mapsVersion: string;
  /** Workspace-wide triage.escalate_below (a map's own escalate_below wins). */
  escalateBelow: number;
  llm: { reader: LlmReader; settings: LlmSettings } | null;
  experience?: Experience | null;
  fallbackIntent?: string;
  /** The language model's confidence calibrated on the record (null: too few verdicts yet; its own figure stands). */
  calibration?: () => Calibration | null;
}

export interface CascadeTriager {
  readonly local: Triager;
  readonly llm: LlmReader | null;
  /** The cache key of the final reading: ticket content + map version + local model + (when on) the LLM endpoint and model. */
  inputHash(ticket: Ticket): string;
  /** The local reading, ready at once, and whether the LLM should read the ticket too. */
  readLocal(ticket: Ticket, now: number): { triage: Triage; needsLlm: boolean };
  /** The LLM's reading built on the local one. Throws LlmError when the model could not be asked (outage, 429, key). */
  readLlm(ticket: Ticket, local: Triage, now: number, signal?: AbortSignal): Promise<Triage>;
  /** The whole cascade for one ticket; an LLM outage leaves the local reading with a notice instead of failing. */
  triage(ticket: Ticket, now: number, signal?: AbortSignal): Promise<Triage>;
  /** Why a reading must go to a person (empty: it may run). */
  escalationReasons(t: Triage): string[];
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function createCascadeTriager(opts: CascadeOptions): CascadeTriager {
  const fallback = opts.fallbackIntent ?? 'other';
  const local = createLocalTriager(opts.maps, opts.mapsVersion, fallback, opts.local ?? {});
  const byId = new Map(opts.maps.map((m) => [m.id, m]));
  const llm = opts.llm;
  const threshold = (intent: string) => byId.get(intent)?.escalate_below ?? opts.escalateBelow;

  function escalationReasons(t: Triage): string[] {
    const reasons: string[] = [];
    if (t.escalation) reasons.push(t.escalation);
    const below = threshold(t.intent);
    if (t.confidence < below) reasons.push(`confidence ${Math.round(t.confidence * 100)}% is under ${Math.round(below * 100)}%`);
    const map = byId.get(t.intent);
    for (const rule of map?.policy ?? []) if (rule.then === 'escalate' && rule.when.trim() === 'true') reasons.push(rule.reason);
    const missing = (map?.fields ?? []).filter((f) => f.required && t.fields[f.name] === undefined).map((f) => f.name);
    if (missing.length > 0) reasons.push(`missing ${missing.join(', ')}`);
    return reasons;
  }

  /** Before a reading goes to a person, offer what a lead decided on a near-identical ticket. */
  function withPrecedent(t: Triage, ticket: Ticket): Triage {
    if (!opts.experience || escalationReasons(t).length === 0) return t;
    const precedent = opts.experience.precedent(ticket.id, ticketText(ticket));
    return precedent ? { ...t, precedent } : t;
  }

  function readLocal(ticket: Ticket, now: number) {
    const t = local.triage(ticket, now);
    // Instructions hidden in a ticket mean a person looks first, whichever model read it.
    const spans = findSuspiciousSpans(ticketText(ticket));
    const flagged: Triage = spans.length > 0 ? { ...t, escalation: `The ticket contains ${describe(spans)}; a person checks it before anything runs.` } : t;
    const needsLlm = llm !== null && wantsLlm(t.confidence, llm.settings);
    return { triage: withPrecedent(flagged, ticket), needsLlm };
  }

  async function readLlm(ticket: Ticket, localReading: Triage, now: number, signal?: AbortSignal): Promise<Triage> {
    if (!llm) return localReading;
    const text = ticketText(ticket);
    const examples = opts.experience?.examples(text, llm.settings.few_shot, ticket.id) ?? [];
    const r = await llm.reader.read({ text, names: [ticket.requester.name], examples }, signal);
    const usage = {
      promptTokens: r.usage.promptTokens,
      completionTokens: r.usage.completionTokens,
      calls: r.usage.calls,
      costMicros: Math.round(((r.usage.promptTokens / 1000) * llm.settings.price_per_1k_input + (r.usage.completionTokens / 1000) * llm.settings.price_per_1k_output) * 1e6),
    };
    const base = { id: randomUUID(), ticketId: ticket.id, createdAt: now, model: llm.reader.model, usage, alternatives: localReading.alternatives };
    const notices: string[] = [];
    if (r.redacted) notices.push('Personal data was replaced with placeholders before the text left this machine.');
    if (!r.ok) {
      // Never a guess passed off as an answer: the local reading stays as a suggestion, with no confidence.
      return withPrecedent(
        {
          ...base,
          intent: localReading.intent,
          intents: [localReading.intent],
          confidence: 0,
          rationale: `The model’s answer could not be used: ${r.problem}. The intent shown is the local model’s suggestion.`,
          fields: localReading.fields,
          escalation: `The model’s reading could not be used (${r.problem}); a person decides.`,
          notices,
        },
        ticket,
      );
    }
    const a = r.answer;
    const spans = findSuspiciousSpans(text);
    const legit = legitimateText(text, spans);
    let intents = a.intents;
    let escalation: string | null = null;
    let rationale = a.rationale;
    let fields: Triage['fields'] | undefined;
    let sources: Record<string, string> = {};
    if (spans.length > 0) {
      // The model may have followed the injected text: what the rest of the ticket says must agree with it.
      const plain = local.triage({ ...ticket, subject: '', body: legit }, now);
      const what = describe(spans);
      rationale = `(The ticket contains ${what}; the model’s note below may echo it.) ${a.rationale}`;
      // Refused when the customer's own words point elsewhere and, without the injected part, the intent loses its support
      // or keeps only a small fraction of the leading intent's.
      const score = (t: Triage, intent: string | undefined) => t.alternatives.find((x) => x.intent === intent)?.score ?? 0;
      const kept = score(plain, intents[0]);
      const drivenByInjection = plain.intent !== intents[0] && (kept < 0.8 * score(localReading, intents[0]) || kept < 0.25 * score(plain, plain.intent));
      if (drivenByInjection) {
        notices.push(`The model read “${intents[0]}”, which only the part of the ticket that addresses the machine supports; Tandem kept “${plain.intent}” from the customer’s own words.`);
        escalation = `The model’s reading (${intents[0]}) is not supported once ${what} is set aside; a person decides.`;
        intents = [plain.intent];
        fields = plain.fields;
      } else {
        escalation = `The ticket contains ${what}; a person checks it before anything runs.`;
        // A second ask may come from the injected part alone: only the primary one, which the customer's words support, stays.
        if (intents.length > 1) notices.push(`Other asks the model read (${intents.slice(1).join(', ')}) were set aside: the ticket addresses the machine.`);
        intents = intents.slice(0, 1);
      }
    }
    const map = byId.get(intents[0] ?? fallback);
    if (fields === undefined) {
      const grounded = groundFields(map, a.fields, text, legit);
      fields = grounded.fields;
      sources = grounded.sources;
      if (grounded.dropped.length > 0) notices.push(`Fields dropped as not grounded in the ticket: ${grounded.dropped.join('; ')}.`);
    }
    const cal = opts.calibration?.() ?? null;
    const confidence = cal ? cal.apply(a.confidence) : a.confidence;
    if (cal) notices.push(`The model said ${pct(a.confidence)}; ${pct(confidence)} after calibration on ${cal.samples} readings people decided (it was right in ${pct(cal.accuracy)} of them).`);
    const t: Triage = {
      ...base,
      intent: intents[0] ?? fallback,
      intents,
      confidence,
      rawConfidence: a.confidence,
      rationale,
      fields,
      sources,
      language: a.language,
      urgency: a.urgency,
      sentiment: a.sentiment,
      escalation,
      notices,
    };
    return withPrecedent(t, ticket);
  }

  return {
    local,
    llm: llm?.reader ?? null,
    inputHash(ticket) {
      const h = local.inputHash(ticket);
      return llm ? llmInputHash(h, llm.settings) : h;
    },
    readLocal,
    readLlm,
    escalationReasons,
    async triage(ticket, now, signal) {
      const { triage: t, needsLlm } = readLocal(ticket, now);
      if (!needsLlm) return t;
      try {
        return await readLlm(ticket, t, now, signal);
      } catch (err) {
        if (!(err instanceof LlmError)) throw err;
        return { ...t, notices: [...(t.notices ?? []), `Local reading only: ${err.message}`] };
      }
    },
  };
}

/** Whether the LLM should read a ticket the local model read with this confidence (cascade_above 1: every ticket). */
export function wantsLlm(localConfidence: number, s: Pick<LlmSettings, 'cascade_above'>): boolean {
  return s.cascade_above >= 1 || localConfidence < s.cascade_above;
}

/** The cache key of a cascade reading with these model settings, from the local model's key (no client needed). */
export function llmInputHash(localHash: string, s: LlmSettings): string {
  return createHash('sha256').update(localHash).update('\0').update(endpointKeyOf(s)).update('\0').update(JSON.stringify([s.cascade_above, s.redact_pii])).digest('hex');
}

function describe(spans: readonly { why: string }[]): string {
  return [...new Set(spans.flatMap((s) => s.why.split('; ')))].join(', ');
}
