import { describe, expect, it } from 'vitest';
import { SETTLE_MS, settling, verdictKeyBlocked, type VerdictKeyContext } from './arrival.ts';

const at = 1_000_000;
const base: VerdictKeyContext = { label: 'Enter', repeat: false, addressed: 'B', onScreen: 'B', keyArrival: 'B', shownAt: at, now: at + SETTLE_MS };

describe('verdict keys after moving between tickets', () => {
  it('acts on a ticket reached by J once it has been on screen for the settle', () => {
    expect(verdictKeyBlocked(base)).toBeNull();
    expect(verdictKeyBlocked({ ...base, now: at + 60_000 })).toBeNull();
  });

  it('ignores Enter on a ticket J just drew, and says why', () => {
    expect(verdictKeyBlocked({ ...base, now: at })).toBe('Enter ignored: you just moved to this ticket. Check what it says, then press Enter again.');
    expect(verdictKeyBlocked({ ...base, now: at + SETTLE_MS - 1 })).toMatch(/^Enter ignored: you just moved/);
    expect(verdictKeyBlocked({ ...base, label: 'H', now: at + 10 })).toMatch(/then press H again\.$/);
  });

  it('never acts on the ticket being left: J changed the address, the next one is not drawn yet', () => {
    // The old ticket A is still on screen (and long settled), but the address already says B.
    expect(verdictKeyBlocked({ ...base, addressed: 'B', onScreen: 'A', keyArrival: 'B', now: at + 60_000 })).toBe('Enter ignored: the next ticket is still opening.');
    // B is loading: nothing on screen yet.
    expect(verdictKeyBlocked({ ...base, onScreen: null, shownAt: null })).toBe('Enter ignored: the next ticket is still opening.');
    expect(verdictKeyBlocked({ ...base, shownAt: null })).toBe('Enter ignored: the next ticket is still opening.');
  });

  it('does not hold back a ticket opened with the mouse', () => {
    expect(verdictKeyBlocked({ ...base, keyArrival: null, now: at })).toBeNull();
    expect(verdictKeyBlocked({ ...base, keyArrival: 'A', now: at })).toBeNull();
  });

  it('never records a verdict from a held key, however settled the ticket', () => {
    expect(verdictKeyBlocked({ ...base, repeat: true, keyArrival: null, now: at + 60_000 })).toBe('Enter is held down: a verdict takes one press. Let go, then press Enter once.');
  });

  it('tells the view when the Enter hint can say it works again', () => {
    expect(settling({ onScreen: 'B', keyArrival: 'B', shownAt: at, now: at + 1 })).toBe(true);
    expect(settling({ onScreen: 'B', keyArrival: 'B', shownAt: null, now: at })).toBe(true);
    expect(settling({ onScreen: 'B', keyArrival: 'B', shownAt: at, now: at + SETTLE_MS })).toBe(false);
    expect(settling({ onScreen: 'B', keyArrival: null, shownAt: at, now: at })).toBe(false);
    expect(settling({ onScreen: null, keyArrival: 'B', shownAt: null, now: at })).toBe(false);
  });
});
