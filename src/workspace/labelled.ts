// Labelled tickets of a workspace: `tickets/<split>.yaml` with `tickets/labels/<split>.yaml` beside them. `tandem eval`
// measures triage on a split; `triage.learn_from` in tandem.yaml makes the local model learn from one (a team's past
// decisions, before Tandem has recorded any of its own).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { TandemError } from '../domain/errors.ts';

export interface LabelledCase {
  id: string;
  subject: string;
  body: string;
  intents: string[];
  fields: Record<string, unknown> | null;
}

interface LabelEntry {
  id: string;
  intents: string[];
  fields?: Record<string, unknown>;
}

/** The tickets of one split of a workspace (`tickets/<split>.yaml`) with their labels (`tickets/labels/<split>.yaml`). */
export function readWorkspaceSplit(workspaceDir: string, split: string): LabelledCase[] {
  if (!/^[a-z0-9_-]+$/i.test(split)) throw new TandemError('bad_input', `"${split}" is not a split name.`, { hint: 'Use a name like train, test or hostile.' });
  const ticketsFile = join(workspaceDir, 'tickets', `${split}.yaml`);
  const labelsFile = join(workspaceDir, 'tickets', 'labels', `${split}.yaml`);
  const read = (file: string, what: string) => {
    try {
      return parseYaml(readFileSync(file, 'utf8')) as unknown;
    } catch (err) {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      throw new TandemError(missing ? 'not_found' : 'bad_input', missing ? `There is no ${file}.` : `${file} is not valid YAML: ${(err as Error).message}`, {
        hint: `The ${what} of split "${split}" belong in ${file}.`,
      });
    }
  };
  const tickets = (read(ticketsFile, 'tickets') as { tickets?: { id: string; subject?: string; body?: string }[] } | null)?.tickets;
  const labels = (read(labelsFile, 'labels') as { labels?: LabelEntry[] } | null)?.labels;
  if (!Array.isArray(tickets)) throw new TandemError('bad_input', `${ticketsFile} has no list under tickets:.`);
  if (!Array.isArray(labels)) throw new TandemError('bad_input', `${labelsFile} has no list under labels:.`);
  const byId = new Map(labels.map((l) => [l.id, l]));
  return tickets.map((t) => {
    const label = byId.get(t.id);
    if (!label || !Array.isArray(label.intents) || label.intents.length === 0) {
      throw new TandemError('bad_input', `Ticket ${t.id} has no intents in ${labelsFile}.`, { hint: 'Every ticket of a split needs a label: { id, intents: [primary, …], fields: {…} }.' });
    }
    return { id: t.id, subject: t.subject ?? '', body: t.body ?? '', intents: label.intents, fields: label.fields ?? null };
  });
}

