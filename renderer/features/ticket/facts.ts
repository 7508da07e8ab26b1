// How a lookup's outputs read in the Customer panel: words, not field names, money as money, and when they were read.
import type { RunStep } from '../../../src/contract/index.ts';
import { isCents } from '../run/money.ts';

/** "total_cents" → "total", "refunded_at" → "refunded at". */
export function factLabel(key: string): string {
  return key.replace(/_cents$/, '').replace(/_/g, ' ');
}

/**
 * Whole cents as an amount ("26800" → "268.00 USD" with the lookup's currency): a `*_cents` value, or an amount read
 * from a payments system (`payment`, see money.ts); a missing value as "—"; anything else as text or JSON.
 */
export function factValue(key: string, value: unknown, outputs: Record<string, unknown>, payment = false): string {
  if (value === null || value === undefined || value === '') return '—';
  if (isCents(key, value, payment)) {
    const currency = typeof outputs.currency === 'string' && /^[a-z]{3}$/i.test(outputs.currency) ? ` ${outputs.currency.toUpperCase()}` : '';
    return `${((value as number) / 100).toFixed(2)}${currency}`;
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * The first step that changed something after this lookup read its facts (a refund after the charge was looked up):
 * the facts are as they were before it, and the panel says so. Null while they are still current.
 */
export function changedSince(lookup: Pick<RunStep, 'finishedAt'>, steps: readonly Pick<RunStep, 'sideEffect' | 'state' | 'finishedAt' | 'title'>[]): { title: string } | null {
  if (lookup.finishedAt === null) return null;
  const after = steps.filter((s) => s.sideEffect && s.state === 'done' && s.finishedAt !== null && s.finishedAt >= lookup.finishedAt!);
  after.sort((a, b) => a.finishedAt! - b.finishedAt!);
  return after[0] ? { title: after[0].title } : null;
}
