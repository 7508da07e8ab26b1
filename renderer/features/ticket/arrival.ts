// When a key that records a verdict (Enter accepts, H marks a step done by hand) may act on the ticket on screen.
// J then Enter is a fast pair of keys: without a guard the Enter lands on a ticket the associate has not seen yet (or
// on the one they just left, while the next is still opening), and a verdict is recorded that nobody made.

/** How long a ticket reached by a key stays on screen before its verdict keys act: a glance, not a read. */
export const SETTLE_MS = 600;

export interface VerdictKeyContext {
  /** The key as the associate knows it: "Enter", "H". */
  label: string;
  /** Whether the key is held down (the browser repeats it). */
  repeat: boolean;
  /** The ticket the address points to now; J and K change it before the next ticket is on screen. */
  addressed: string | null;
  /** The ticket whose triage and run are on screen. */
  onScreen: string | null;
  /** The ticket last reached with a key (J, K, or Enter in the inbox). */
  keyArrival: string | null;
  /** When the ticket on screen was first drawn; null while it opens. */
  shownAt: number | null;
  now: number;
}

/** Why the key must not act now, said to the associate; null when it may. */
export function verdictKeyBlocked(c: VerdictKeyContext): string | null {
  if (c.repeat) return `${c.label} is held down: a verdict takes one press. Let go, then press ${c.label} once.`;
  if (c.onScreen === null || c.shownAt === null || c.addressed !== c.onScreen) return `${c.label} ignored: the next ticket is still opening.`;
  if (c.keyArrival === c.onScreen && c.now - c.shownAt < SETTLE_MS) {
    return `${c.label} ignored: you just moved to this ticket. Check what it says, then press ${c.label} again.`;
  }
  return null;
}

/** Whether the verdict keys of a ticket reached by a key are still waiting out the settle (for the hint on screen). */
export function settling(c: Pick<VerdictKeyContext, 'onScreen' | 'keyArrival' | 'shownAt' | 'now'>): boolean {
  return c.onScreen !== null && c.keyArrival === c.onScreen && (c.shownAt === null || c.now - c.shownAt < SETTLE_MS);
}
