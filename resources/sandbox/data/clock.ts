// Time in the demo world: a fixed present, whole hours and days, and timestamps as the systems print them.

/** The "present" of the demo world. */
export const PRESENT_MS = Date.UTC(2026, 10, 20, 12, 0, 0);

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Rounds a time down to the minute, the way most systems show it. */
export function minute(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}
