// Test helper: an associate confirming Tandem's reading of some tickets, as the UI would.
import { randomUUID } from 'node:crypto';
import type { App } from '../app/create-app.ts';

/** Accepts the current triage of each ticket, then waits for the runs that follow; throws on any refusal. */
export async function acceptReadings(app: App, ticketIds: string[]): Promise<void> {
  for (const ticketId of ticketIds) {
    const t = await app.invoke('tickets.get', { id: ticketId });
    if (!t.ok) throw new Error(`tickets.get ${ticketId}: ${t.error.message}`);
    const triage = (t.value as { triage: { id: string; intent: string } }).triage;
    const d = await app.invoke('triage.decide', { decisionId: randomUUID(), ticketId, triageId: triage.id, verdict: 'accepted', finalIntent: triage.intent });
    if (!d.ok) throw new Error(`triage.decide ${ticketId}: ${d.error.message}`);
  }
  await app.settle();
}
