// What a lead needs on an escalation card at a glance: how long it has waited, and the run's facts in words.
import type { Run } from '../../../src/contract/index.ts';

/** "just now", "4 min", "2 h 5 min", "3 days": how long a run has waited for a lead. */
export function waited(since: number, now: number): string {
  const minutes = Math.floor(Math.max(0, now - since) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? '' : 's'}`;
}

/** The run's fields as "order id 102499", "amount 450.00": what triage read and the lead decides about. */
export function facts(run: Pick<Run, 'fields'>): { label: string; value: string }[] {
  return Object.entries(run.fields)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([name, v]) => ({ label: name.replace(/_/g, ' '), value: typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : typeof v === 'string' ? v : JSON.stringify(v) }));
}
