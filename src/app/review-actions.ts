// A lead turns a reviewed decision into a triage example: the phrase is appended to the map's intent.examples (a
// surgical edit of the file), the change is a decision of kind `example`, and the workspace is read again so the
// local triage learns it at once.
import { randomUUID } from 'node:crypto';
import { TandemError } from '../domain/errors.ts';
import { addIntentExample } from '../maps/add-example.ts';
import type { DecisionsRepo } from '../store/decisions-repo.ts';
import type { TicketsRepo } from '../store/tickets-repo.ts';
import type { Workspace } from '../workspace/load.ts';

export interface AddExampleDeps {
  decisions: DecisionsRepo;
  tickets: TicketsRepo;
  workspace: () => Workspace;
  reload: () => void;
  user: string;
  now: () => number;
}

export function addExampleFromDecision(deps: AddExampleDeps, input: { decisionId: string; mapId?: string | undefined; text?: string | undefined }): { mapId: string; text: string; added: boolean; decisionId: string | null } {
  const source = deps.decisions.get(input.decisionId);
  if (!source) throw new TandemError('not_found', `There is no decision ${input.decisionId}.`, { hint: 'Reload the review.' });
  // A triage override teaches the intent the associate chose; a step decision, its own map.
  const mapId = input.mapId ?? (source.kind === 'triage' ? source.final : source.mapId);
  const workspace = deps.workspace();
  const file = mapId ? workspace.mapFiles[mapId] : undefined;
  if (!mapId || !file) throw new TandemError('not_found', `There is no map "${mapId ?? '(none)'}" in this workspace to add the example to.`, { hint: 'Pick the map the ticket belongs to.' });
  const ticket = source.ticketId ? deps.tickets.get(source.ticketId) : undefined;
  const text = (input.text ?? ticket?.subject ?? '').trim();
  if (!text) throw new TandemError('bad_input', 'This decision’s ticket is not in this database: type the example phrase.', { hint: 'Imported decisions carry no ticket text.' });
  const added = addIntentExample(file, text);
  if (!added) return { mapId, text, added, decisionId: null };
  const id = randomUUID();
  deps.decisions.insert({
    id, ticketId: source.ticketId ?? null, kind: 'example', triageId: null, runId: null, stepId: null, mapId, mapVersion: workspace.maps.find((m) => m.id === mapId)?.version ?? null,
    actor: deps.user, decidedAt: deps.now(), suggested: JSON.stringify(source.id), final: JSON.stringify(text.replace(/\s+/g, ' ')), verdict: 'edited', confidence: 1,
    reason: `triage example from a reviewed ${source.kind} decision (${source.verdict})`, decisionMs: null,
  });
  deps.reload();
  return { mapId, text, added, decisionId: id };
}
