// Derived views of triage data for the screens: the progress line and the cost of a reading.
import type { Triage, TriageProgress } from '../../../src/contract/index.ts';

/** Whether the bar shows: the queue has work in hand, or something to say. */
export function progressVisible(p: TriageProgress | null): boolean {
  return p !== null && (p.pending + p.running > 0 || p.notice !== null);
}

export function progressLine(p: TriageProgress & { model: string }): string {
  const busy = p.pending + p.running;
  if (busy === 0) return `${p.done} of ${p.total} read by ${p.model}`;
  return `Reading tickets with ${p.model}: ${p.done} of ${p.total} done, ${busy} to go`;
}

export function usageLine(u: NonNullable<Triage['usage']>): string {
  const tokens = u.promptTokens + u.completionTokens;
  const cost = u.costMicros > 0 ? ` · cost ${(u.costMicros / 1e6).toFixed(4)}` : '';
  return `${tokens.toLocaleString('en')} tokens (${u.promptTokens} in, ${u.completionTokens} out) in ${u.calls} call${u.calls === 1 ? '' : 's'}${cost}`;
}
