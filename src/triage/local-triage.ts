// Triage with the local model: builds the classifier from the workspace's maps (and experience) and reads one ticket into a Triage.
import { createHash, randomUUID } from 'node:crypto';
import type { Ticket } from '../domain/ticket.ts';
import type { Triage } from '../domain/triage.ts';
import type { ProcessMapFile } from '../workspace/schema.ts';
import { extractFields } from './fields.ts';
import { legitimateText } from './text.ts';
import { LOCAL_MODEL_ID, LocalClassifier, type ClassifierOptions, type Example } from './local-classifier.ts';

export interface Triager {
  readonly model: string;
  triage(ticket: Ticket, now: number): Triage;
  inputHash(ticket: Ticket): string;
}

export interface LocalTriagerOptions {
  /**
   * Tickets already decided (accepted or corrected triage in the decision log): their text with the final intent.
   * They train the model next to the maps' example phrases; an intent no map handles is ignored.
   */
  experience?: readonly Example[];
  classifier?: ClassifierOptions;
  /** A model already trained on `trainingExamples(maps, experience)` (the app's, kept up to date by its trainer). */
  model?: LocalClassifier;
}

export function ticketText(ticket: Pick<Ticket, 'subject' | 'body'>): string {
  return `${ticket.subject}\n${ticket.body}`;
}

/** What the local model learns from: the maps' example phrases, then experience as the model reads tickets. */
export function trainingExamples(maps: readonly ProcessMapFile[], experience: readonly Example[]): Example[] {
  const phrases = maps.flatMap((m) => m.intent.examples.map((text) => ({ intent: m.id, text })));
  return [...phrases, ...experienceExamples(maps, experience)];
}

/**
 * Experience as training examples: with no maps (a plain labelled set) every intent counts, with maps only the
 * intents they handle; the text is what the model reads of a ticket (instructions aimed at a machine blanked).
 */
export function experienceExamples(maps: readonly ProcessMapFile[], experience: readonly Example[]): Example[] {
  const ids = new Set(maps.map((m) => m.id));
  return experience.filter((e) => maps.length === 0 || ids.has(e.intent)).map((e) => ({ ...e, text: legitimateText(e.text) }));
}

export function createLocalTriager(maps: readonly ProcessMapFile[], mapsVersion: string, fallbackIntent = 'other', options: LocalTriagerOptions = {}): Triager {
  const byId = new Map(maps.map((m) => [m.id, m]));
  const classifier = options.model ?? new LocalClassifier(trainingExamples(maps, options.experience ?? []), options.classifier);

  return {
    model: LOCAL_MODEL_ID,
    inputHash(ticket) {
      return createHash('sha256').update(ticketText(ticket)).update('\0').update(mapsVersion).update('\0').update(LOCAL_MODEL_ID).update('\0').update(classifier.fingerprint).digest('hex');
    },
    triage(ticket, now) {
      const text = ticketText(ticket);
      const p = classifier.predict(legitimateText(text), byId.has(fallbackIntent) ? fallbackIntent : undefined);
      const map = byId.get(p.intent);
      const rationale = p.nearest
        ? `Closest to the ${map?.intent.title ?? p.intent} example “${excerpt(p.nearest.text)}” (similarity ${p.nearest.similarity.toFixed(2)})` +
          (p.sharedTerms.length ? `; shared words: ${p.sharedTerms.join(', ')}.` : '.')
        : 'Unlike every example phrase in the workspace’s maps, so Tandem cannot tell what is asked.';
      return {
        id: randomUUID(),
        ticketId: ticket.id,
        intent: p.intent,
        confidence: p.confidence,
        rationale,
        alternatives: p.ranking.slice(0, 4),
        fields: map ? extractFields(map, text) : {},
        model: LOCAL_MODEL_ID,
        createdAt: now,
      };
    },
  };
}

/** A decided ticket can be long: the rationale quotes its first words only. */
function excerpt(text: string, max = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).replace(/\s+\S*$/, '')}…`;
}
