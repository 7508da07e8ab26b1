// Whether Tandem's host answers, for the whole window: every call reports how its request went, and while the host is
// unreachable one probe asks again, sooner at first, then every 10 s. One banner reads this; views that could not load
// reload once it answers again (they watch `epoch`), instead of each saying on its own that the host is gone.

export interface HostState {
  reachable: boolean;
  /** When the host stopped answering (ms), null while it answers. */
  since: number | null;
  /** What the last failed request said (the browser's own words, e.g. "Failed to fetch"). */
  detail: string | null;
  /** When the next probe goes out (ms), null while the host answers or a probe is in flight. */
  nextCheckAt: number | null;
  /** Counts the returns: each time the host answers again after a gap, views waiting on it reload. */
  epoch: number;
}

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Waits between probes: quick at first (a restart takes a few seconds), then every 10 s. */
export const PROBE_DELAYS = [2_000, 3_000, 5_000, 10_000];

export interface HostReachability {
  get(): HostState;
  subscribe(listener: () => void): () => void;
  /** A request reached the host (ok) or could not (not ok, with the browser's words). */
  report(ok: boolean, detail?: string): void;
  /** Ask now: the banner's button, or a sign the host went away (its event stream dropped) before any call failed. */
  checkNow(): void;
}

/** `probe` resolves when the host answered, rejects or resolves false when it did not. */
export function createHostReachability(probe: () => Promise<boolean>, timers: Timers): HostReachability {
  let state: HostState = { reachable: true, since: null, detail: null, nextCheckAt: null, epoch: 0 };
  const listeners = new Set<() => void>();
  let timer: unknown = null;
  let attempt = 0;
  let probing = false;

  const set = (next: Partial<HostState>) => {
    state = { ...state, ...next };
    for (const l of [...listeners]) l();
  };
  const cancel = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };
  const schedule = () => {
    cancel();
    const delay = PROBE_DELAYS[Math.min(attempt, PROBE_DELAYS.length - 1)]!;
    attempt++;
    timer = timers.setTimeout(() => {
      timer = null;
      void runProbe();
    }, delay);
    set({ nextCheckAt: timers.now() + delay });
  };
  async function runProbe() {
    if (probing) return;
    probing = true;
    cancel();
    if (state.nextCheckAt !== null) set({ nextCheckAt: null });
    let ok = false;
    try {
      ok = await probe();
    } catch {
      ok = false;
    }
    probing = false;
    // The probe's request reports through the same door as every call; this covers a probe that does not.
    api.report(ok);
  }

  const api: HostReachability = {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    report(ok, detail) {
      if (ok) {
        if (state.reachable) return;
        cancel();
        attempt = 0;
        set({ reachable: true, since: null, detail: null, nextCheckAt: null, epoch: state.epoch + 1 });
        return;
      }
      if (state.reachable) set({ reachable: false, since: timers.now(), detail: detail ?? null });
      else if (detail && detail !== state.detail) set({ detail });
      if (timer === null && !probing) schedule();
    },
    checkNow() {
      if (!probing) void runProbe();
    },
  };
  return api;
}

/** The command that starts a host this window can reconnect to: the same port, as `tandem serve` picks a free one. */
export function restartCommand(location: { port: string; protocol: string }): string {
  const port = location.port || (location.protocol === 'https:' ? '443' : '80');
  return `tandem serve --port ${port}`;
}

/** Seconds until the next check, as shown: never negative, rounded up so "0 s" means checking now. */
export function secondsUntil(at: number | null, now: number): number | null {
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}
