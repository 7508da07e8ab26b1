// What a model must answer, built from the workspace's maps: the JSON schema sent as structured output, the zod
// schema that validates whatever comes back, and the grounding check that keeps only fields the ticket really says.
import { z } from 'zod';
import type { ProcessMapFile } from '../../workspace/schema.ts';

export interface ModelField {
  value: string;
  source: string;
}

export interface ModelAnswer {
  intents: string[];
  confidence: number;
  rationale: string;
  language: string;
  urgency: 'low' | 'normal' | 'high';
  sentiment: 'negative' | 'neutral' | 'positive';
  fields: Record<string, ModelField | null>;
}

/** Every field name any map uses, with what the maps say about it. */
export function fieldCatalogue(maps: readonly ProcessMapFile[]): Map<string, { type: string; descriptions: string[]; maps: string[] }> {
  const out = new Map<string, { type: string; descriptions: string[]; maps: string[] }>();
  for (const m of maps) {
    for (const f of m.fields) {
      const entry = out.get(f.name) ?? { type: f.type, descriptions: [], maps: [] };
      if (f.description && !entry.descriptions.includes(f.description)) entry.descriptions.push(f.description);
      entry.maps.push(m.id);
      out.set(f.name, entry);
    }
  }
  return out;
}

/** The JSON schema for `response_format: json_schema` (strict: every property required, no extras). */
export function answerJsonSchema(maps: readonly ProcessMapFile[], intents: readonly string[]): Record<string, unknown> {
  const fieldProps: Record<string, unknown> = {};
  for (const [name, info] of fieldCatalogue(maps)) {
    fieldProps[name] = {
      description: `${info.type} field of ${info.maps.join(', ')}${info.descriptions.length ? `: ${info.descriptions.join(' / ')}` : ''}. null when the ticket does not say it.`,
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          properties: {
            value: { type: 'string', description: 'The value, normalised (digits only for ids, a plain number for amounts).' },
            source: { type: 'string', description: 'The exact words of the ticket the value was read from, copied character for character.' },
          },
          required: ['value', 'source'],
          additionalProperties: false,
        },
      ],
    };
  }
  return {
    type: 'object',
    properties: {
      intents: { type: 'array', description: 'Every request in the ticket, primary first.', items: { type: 'string', enum: [...intents] }, minItems: 1 },
      confidence: { type: 'number', description: 'Probability (0 to 1) that the primary intent is right.' },
      rationale: { type: 'string', description: 'One or two sentences on why, for the associate.' },
      language: { type: 'string', description: 'ISO 639-1 code of the customer’s language.' },
      urgency: { type: 'string', enum: ['low', 'normal', 'high'] },
      sentiment: { type: 'string', enum: ['negative', 'neutral', 'positive'] },
      fields: { type: 'object', properties: fieldProps, required: Object.keys(fieldProps), additionalProperties: false },
    },
    required: ['intents', 'confidence', 'rationale', 'language', 'urgency', 'sentiment', 'fields'],
    additionalProperties: false,
  };
}

/** Validates a model's answer (whatever the server promised about its format). */
export function answerSchema(intents: readonly string[], fieldNames: readonly string[]) {
  const known = new Set(intents);
  const names = new Set(fieldNames);
  return z
    .object({
      intents: z
        .array(z.string())
        .min(1)
        .max(5)
        .superRefine((list, ctx) => {
          for (const i of list) if (!known.has(i)) ctx.addIssue({ code: 'custom', message: `"${i}" is not one of the intents (${[...known].join(', ')})` });
        }),
      confidence: z.number().min(0).max(1),
      rationale: z.string().max(2000),
      language: z.string().min(2).max(20),
      urgency: z.enum(['low', 'normal', 'high']),
      sentiment: z.enum(['negative', 'neutral', 'positive']),
      fields: z
        .record(z.string(), z.object({ value: z.union([z.string(), z.number(), z.boolean()]).transform(String), source: z.string().min(1).max(2000) }).nullable())
        .superRefine((f, ctx) => {
          const unknown = Object.keys(f).filter((k) => !names.has(k));
          if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown field(s): ${unknown.join(', ')}` });
        }),
    })
    .passthrough();
}

export type GroundingResult = { fields: Record<string, unknown>; sources: Record<string, string>; dropped: string[] };

/**
 * Keeps a field only when its quoted source occurs in the ticket's legitimate text (not in an injected span) and the
 * value is what that source says, read as the map's field type (and matched by its pattern when it has one).
 */
export function groundFields(map: ProcessMapFile | undefined, answer: Record<string, ModelField | null>, fullText: string, legitimate: string): GroundingResult {
  const fields: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  const dropped: string[] = [];
  if (!map) return { fields, sources, dropped };
  const legit = squash(legitimate);
  for (const def of map.fields) {
    const given = answer[def.name];
    if (!given) continue;
    const source = squash(given.source);
    if (!source || !legit.includes(source)) {
      dropped.push(squash(fullText).includes(source) ? `${def.name} (“${clip(given.source)}” is in a part of the ticket that addresses the machine, not a request)` : `${def.name} (“${clip(given.source)}” is not in the ticket)`);
      continue;
    }
    const value = readValue(def, given.value, given.source, legitimate);
    if (value === undefined) {
      dropped.push(`${def.name} (“${clip(given.value)}” is not what “${clip(given.source)}” says)`);
      continue;
    }
    fields[def.name] = value;
    sources[def.name] = given.source;
  }
  return { fields, sources, dropped };
}

function readValue(def: ProcessMapFile['fields'][number], raw: string, source: string, legitimate: string): unknown {
  const value = raw.trim();
  if (!value) return undefined;
  if (def.pattern) {
    let re: RegExp;
    try {
      re = new RegExp(def.pattern, 'gi');
    } catch {
      return undefined;
    }
    // The value must be one the map's own pattern finds in the ticket's legitimate text.
    const found = [...legitimate.matchAll(re)].map((m) => (m[1] ?? m[0]).replace(/[\s-]/g, ''));
    const v = value.replace(/[\s-]/g, '');
    return found.some((f) => f.toLowerCase() === v.toLowerCase()) && source.replace(/[\s-]/g, '').toLowerCase().includes(v.toLowerCase()) ? v : undefined;
  }
  switch (def.type) {
    case 'money':
    case 'number': {
      const n = Number(value.replace(/[^\d.-]/g, ''));
      if (!Number.isFinite(n)) return undefined;
      const inSource = [...source.matchAll(/\d{1,3}(?:[,.\s]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?/g)].map((m) => Number(m[0].replace(/[,\s](?=\d{3}\b)/g, '').replace(',', '.')));
      return inSource.some((x) => Math.abs(x - n) < 0.005) ? n : undefined;
    }
    case 'email': {
      const v = value.toLowerCase();
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) && source.toLowerCase().includes(v) ? v : undefined;
    }
    case 'boolean':
      return /^(true|yes)$/i.test(value) ? true : /^(false|no)$/i.test(value) ? false : undefined;
    default:
      // Strings, dates and addresses: the model's wording when the source says it, otherwise the customer's own words.
      return loose(source).includes(loose(value)) ? value : source.replace(/\s+/g, ' ').trim();
  }
}

function squash(s: string): string {
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

function loose(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
