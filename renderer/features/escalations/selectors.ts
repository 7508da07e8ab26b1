// What a lead needs on an escalation card at a glance: how long it has waited, and the run's facts in words.
import type { Run } from '../../../src/contract/index.ts';
import { centsText, isCents } from '../run/money.ts';

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

/** One value where what the associate would send differs from Tandem's suggestion: "body › amount: 30300 → 25000". */
export interface Difference {
  path: (string | number)[];
  suggested: unknown;
  sent: unknown;
}

/**
 * Where `sent` differs from `suggested`, value by value (deep; key order does not matter); empty when they are equal,
 * e.g. when the associate accepted Tandem's own suggestion again after a rejection.
 */
export function differences(suggested: unknown, sent: unknown, path: (string | number)[] = []): Difference[] {
  if (Array.isArray(suggested) && Array.isArray(sent)) {
    const out: Difference[] = [];
    for (let i = 0; i < Math.max(suggested.length, sent.length); i++) out.push(...differences(suggested[i], sent[i], [...path, i]));
    return out;
  }
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObject(suggested) && isObject(sent)) {
    const keys = [...new Set([...Object.keys(suggested), ...Object.keys(sent)])];
    return keys.flatMap((k) => differences(suggested[k], sent[k], [...path, k]));
  }
  return Object.is(suggested, sent) ? [] : [{ path, suggested, sent }];
}

/** A difference as the lead reads it: "body › amount: 30300 (= $303.00) → 25000 (= $250.00)"; `payment` as in money.ts. */
export function differenceText(d: Difference, payment: boolean): string {
  const last = d.path[d.path.length - 1];
  const show = (v: unknown) => {
    if (v === undefined) return '(none)';
    const text = JSON.stringify(v) ?? String(v);
    return last !== undefined && isCents(last, v, payment) ? `${text} (= ${centsText(v as number)})` : text;
  };
  const where = d.path.map((p) => (typeof p === 'number' ? String(p + 1) : p.replace(/_/g, ' '))).join(' › ') || 'inputs';
  return `${where}: ${show(d.suggested)} → ${show(d.sent)}`;
}
