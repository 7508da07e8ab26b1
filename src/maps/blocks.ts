// The builder's palette: every block the runner knows, what it is for, and the step a new card starts from.
import { BLOCKS, type BlockType } from './schema.ts';

export interface BlockInfo {
  block: BlockType;
  title: string;
  description: string;
  /** A new step of this block, without its id (the builder picks a free one). */
  template: Record<string, unknown>;
}

const INFO: Record<BlockType, Omit<BlockInfo, 'block'>> = {
  http: { title: 'Call an API', description: 'Look something up or change it in a system with an API.', template: { block: 'http', connector: '', method: 'GET', path: '/' } },
  browser: { title: 'Use a web page', description: 'Click and type in a system that has only a web UI. Record it by doing it once.', template: { block: 'browser', connector: '', actions: [{ goto: '/' }] } },
  condition: { title: 'Check a condition', description: 'Go on only when something holds; otherwise skip ahead, escalate or finish.', template: { block: 'condition', if: 'true', else: { escalate: 'Check this ticket by hand.' } } },
  approval: { title: 'Ask a lead to approve', description: 'Wait for a team lead before going on, when a rule says so.', template: { block: 'approval', needed_when: 'true', reason: 'Needs a second look.' } },
  reply: { title: 'Reply to the customer', description: 'Answer on the ticket, and set its status.', template: { block: 'reply', body: 'Hi {{ ticket.requester.name }},\n\n' } },
  manual: { title: 'Do it by hand', description: 'A step a person does, with instructions.', template: { block: 'manual', instructions: '' } },
  set: { title: 'Work out a value', description: 'Compute values later steps use.', template: { block: 'set', values: { value: 'true' } } },
};

export const BLOCK_INFO: BlockInfo[] = BLOCKS.map((block) => ({ block, ...INFO[block] }));

/** A step id not yet used in the map: reply, reply_2, … */
export function freeStepId(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}_${n}`)) return `${base}_${n}`;
}
