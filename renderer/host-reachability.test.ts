import { describe, expect, it } from 'vitest';
import { PROBE_DELAYS, createHostReachability, restartCommand, secondsUntil, type Timers } from './host-reachability.ts';

/** Timers that run when the test says so, and a probe whose answer the test sets. */
function harness() {
  let clock = 1_000;
  const pending = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  const timers: Timers = {
    now: () => clock,
    setTimeout(fn, ms) {
      const id = next++;
      pending.set(id, { at: clock + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  let answers = false;
  let probes = 0;
  const host = createHostReachability(async () => {
    probes++;
    return answers;
  }, timers);
  return {
    host,
    setAnswers: (v: boolean) => (answers = v),
    probes: () => probes,
    pending: () => [...pending.values()].map((p) => p.at - clock),
    /** Moves the clock to the next timer and runs it, then lets the probe's promise settle. */
    async tick() {
      const [id, t] = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0]!;
      pending.delete(id);
      clock = t.at;
      t.fn();
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

describe('host reachability', () => {
  it('says once that the host is gone, probes again sooner then every 10 s, and counts its return', async () => {
    const h = harness();
    const seen: boolean[] = [];
    h.host.subscribe(() => seen.push(h.host.get().reachable));
    h.host.report(true); // answering: nothing changes
    expect(seen).toEqual([]);

    h.host.report(false, 'Failed to fetch');
    h.host.report(false, 'Failed to fetch'); // a second view failing the same way changes nothing
    expect(h.host.get()).toMatchObject({ reachable: false, since: 1_000, detail: 'Failed to fetch', nextCheckAt: 1_000 + PROBE_DELAYS[0]!, epoch: 0 });
    expect(h.pending()).toEqual([PROBE_DELAYS[0]]); // one probe scheduled, not one per failed call

    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      await h.tick();
      waits.push(h.pending()[0]!);
    }
    expect(waits).toEqual([3_000, 5_000, 10_000, 10_000, 10_000]);
    expect(h.probes()).toBe(5);
    expect(h.host.get().reachable).toBe(false);

    h.setAnswers(true);
    await h.tick();
    expect(h.host.get()).toMatchObject({ reachable: true, since: null, detail: null, nextCheckAt: null, epoch: 1 });
    expect(h.pending()).toEqual([]); // no more probes once it answers

    // Gone again: the quick first probe again, and the next return counts as a second.
    h.setAnswers(false);
    h.host.report(false);
    expect(h.pending()).toEqual([PROBE_DELAYS[0]]);
    h.host.report(true); // any call that gets through ends it
    expect(h.host.get()).toMatchObject({ reachable: true, epoch: 2 });
    expect(h.pending()).toEqual([]);
  });

  it('asks at once when told to, and a failed check schedules the next', async () => {
    const h = harness();
    h.host.checkNow(); // e.g. the event stream dropped while nothing was being loaded
    await new Promise((r) => setTimeout(r, 0));
    expect(h.probes()).toBe(1);
    expect(h.host.get().reachable).toBe(false);
    expect(h.pending()).toEqual([PROBE_DELAYS[0]]);

    h.setAnswers(true);
    h.host.checkNow(); // the banner's button: no wait for the timer
    await new Promise((r) => setTimeout(r, 0));
    expect(h.host.get()).toMatchObject({ reachable: true, epoch: 1 });
    expect(h.pending()).toEqual([]);
  });

  it('treats a probe that throws as no answer', async () => {
    let clock = 0;
    const host = createHostReachability(() => Promise.reject(new Error('boom')), { now: () => clock++, setTimeout: () => 1, clearTimeout: () => {} });
    host.checkNow();
    await new Promise((r) => setTimeout(r, 0));
    expect(host.get().reachable).toBe(false);
  });
});

describe('what the banner says', () => {
  it('names the command that brings the host back where this window looks for it', () => {
    expect(restartCommand({ port: '41873', protocol: 'http:' })).toBe('tandem serve --port 41873');
    expect(restartCommand({ port: '', protocol: 'http:' })).toBe('tandem serve --port 80');
  });
  it('counts down whole seconds to the next check', () => {
    expect(secondsUntil(null, 5_000)).toBeNull();
    expect(secondsUntil(7_000, 5_000)).toBe(2);
    expect(secondsUntil(7_000, 5_001)).toBe(2);
    expect(secondsUntil(7_000, 9_000)).toBe(0);
  });
});
