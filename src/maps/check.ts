// Live checks for the builder: the file loader's own checks (shape, then meaning) on a draft that has not been saved,
// and the values each step can use ({{ }} references available at that point of the map).
import { pathToString } from '../workspace/yaml-file.ts';
import { MapSchema, StepSchema, outputsOf, type ProcessMap } from './schema.ts';
import { validateMap, type ConnectorInfo } from './validate.ts';

export interface DraftIssue {
  /** Where, as the loader prints it: steps[2].connector */
  path: string;
  /** The same path as a list, so a form can put the message beside its input. */
  at: (string | number)[];
  message: string;
  hint?: string;
}

export interface Reference {
  /** What goes between {{ }}: ticket.requester.email, fields.new_email, steps.find_order.total */
  expr: string;
  /** Where it comes from, in words, for the picker. */
  source: 'ticket' | 'field' | 'step';
  label: string;
}

/** What the file loader would say about this value, in its words. */
export function checkDraft(value: unknown, connectors: readonly ConnectorInfo[]): { issues: DraftIssue[]; map: ProcessMap | null } {
  // The version is the save's to set (a new map gets 1): a draft without one is not wrong.
  const draft = value && typeof value === 'object' && !Array.isArray(value) && (value as { version?: unknown }).version === undefined ? { ...value, version: 1 } : value;
  const parsed = MapSchema.safeParse(draft);
  if (!parsed.success) {
    return {
      map: null,
      issues: parsed.error.issues.map((i) => ({ path: pathToString(i.path), at: i.path.map((p) => (typeof p === 'number' ? p : String(p))), message: i.message })),
    };
  }
  const issues = validateMap(parsed.data, connectors).map((i) => ({ path: pathToString(i.path), at: i.path, message: i.message, ...(i.hint ? { hint: i.hint } : {}) }));
  return { issues, map: parsed.data };
}

const TICKET: Reference[] = [
  { expr: 'ticket.id', source: 'ticket', label: 'Ticket id (Tandem’s)' },
  { expr: 'ticket.externalId', source: 'ticket', label: 'Ticket number in the helpdesk' },
  { expr: 'ticket.subject', source: 'ticket', label: 'Subject' },
  { expr: 'ticket.body', source: 'ticket', label: 'Message' },
  { expr: 'ticket.requester.name', source: 'ticket', label: 'Customer name' },
  { expr: 'ticket.requester.email', source: 'ticket', label: 'Customer email' },
  { expr: 'ticket.channel', source: 'ticket', label: 'Channel' },
];

/**
 * For each step, the references it may use: the ticket, the map's fields (what triage reads from the ticket) and the
 * outputs of the steps before it — exactly what validateMap accepts there. Works on a raw draft that may not parse.
 */
export function availableAt(value: unknown): Reference[][] {
  const draft = (value && typeof value === 'object' ? value : {}) as { fields?: unknown; steps?: unknown };
  const fields = Array.isArray(draft.fields) ? draft.fields : [];
  const steps = Array.isArray(draft.steps) ? draft.steps : [];
  const fieldRefs: Reference[] = fields
    .filter((f): f is { name: string; type?: string; description?: string } => !!f && typeof (f as { name?: unknown }).name === 'string')
    .map((f) => ({ expr: `fields.${f.name}`, source: 'field', label: `${f.description ?? f.name}${f.type ? ` (${f.type})` : ''}` }));
  const out: Reference[][] = [];
  const earlier: Reference[] = [];
  steps.forEach((raw) => {
    out.push([...TICKET, ...fieldRefs, ...earlier]);
    const one = StepSchema.safeParse(raw);
    // A step that does not parse yet offers nothing until it does.
    if (one.success) for (const name of outputsOf(one.data)) earlier.push({ expr: `steps.${one.data.id}.${name}`, source: 'step', label: `${one.data.title ?? one.data.id}: ${name}` });
  });
  out.push([...TICKET, ...fieldRefs, ...earlier]); // after the last step: what policy rules and a new step may use
  return out;
}
