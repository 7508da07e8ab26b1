// The background triage queue: tickets wait their turn for the LLM with bounded concurrency; a 429 or an outage
// slows the queue down (Retry-After, growing pauses, fewer at a time) instead of failing it, and progress is reported.
import { LlmError } from './llm/llm-reader.ts';

export interface QueueProgress {
  /** Tickets that entered the queue since it was last empty. */
  total: number;
  done: number;
  pending: number;
  running: number;
  /** Tickets left on the local reading after the queue gave up on them (or could not ask at all). */
  failed: number;
  /** How many the queue sends at once now (lowered after a 429, raised again after successes). */
  concurrency: number;
  /** When the queue resumes after a 429 or an outage (ms since epoch), or null. */
  pausedUntil: number | null;
  /** What the associate should know: the model is slow, down or refused the key. Null when all is well. */
  notice: string | null;
}

export interface TriageQueueOptions {
  maxConcurrency: number;
  /** Reads one ticket with the LLM and stores the reading; throws LlmError when the model could not be asked. */
  work(ticketId: string, signal: AbortSignal): Promise<void>;
  onProgress?(p: QueueProgress): void;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Tries per ticket before it stays on the local reading; unlimited by default (an outage only slows the queue). */
  maxAttempts?: number;
  /** First pause after a failure; doubles up to maxPauseMs. */
  basePauseMs?: number;
  maxPauseMs?: number;
}

export interface TriageQueue {
  enqueue(ticketIds: Iterable<string>): void;
  progress(): QueueProgress;
  /** Resolves when nothing is pending or running (or the queue is stopped). */
  idle(): Promise<void>;
  /**
   * Resolves at a resting point: nothing running, and nothing pending or the queue waiting out a long pause (an
   * outage), so a host can shut down without waiting for the model server to come back.
   */
  settled(): Promise<void>;
  /** Stops for good: pending tickets stay on their local reading. */
  close(): void;
}

export function createTriageQueue(opts: TriageQueueOptions): TriageQueue {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? abortableSleep;
  const basePause = opts.basePauseMs ?? 1000;
  const maxPause = opts.maxPauseMs ?? 60_000;
  const maxAttempts = opts.maxAttempts ?? Infinity;
  const pending: string[] = [];
  const queued = new Set<string>();
  const attempts = new Map<string, number>();
  const abort = new AbortController();
  let limit = opts.maxConcurrency;
  let running = 0;
  let total = 0;
  let done = 0;
  let failed = 0;
  let failures = 0; // consecutive transient failures, for the growing pause
  let successesSinceCut = 0;
  let pausedUntil: number | null = null;
  let notice: string | null = null;
  let stopped: string | null = null; // a permanent refusal (bad key, unknown model): nothing more is sent
  let pauseTimer: Promise<void> | null = null;
  let idleWaiters: (() => void)[] = [];
  let settledWaiters: (() => void)[] = [];
  const RESTING_PAUSE_MS = 2000;
  const isIdle = () => (pending.length === 0 || stopped !== null || abort.signal.aborted) && running === 0 && !pauseTimer;
  const isSettled = () => isIdle() || (running === 0 && pausedUntil !== null && pausedUntil - now() >= RESTING_PAUSE_MS);

  const progress = (): QueueProgress => ({ total, done, pending: pending.length, running, failed, concurrency: limit, pausedUntil, notice: stopped ?? notice });
  const report = () => opts.onProgress?.(progress());

  function settleIfIdle() {
    if (isIdle()) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
    if (isSettled()) {
      const waiters = settledWaiters;
      settledWaiters = [];
      for (const w of waiters) w();
    }
  }

  function pump() {
    if (stopped || abort.signal.aborted) {
      settleIfIdle();
      return;
    }
    if (pausedUntil !== null) {
      if (!pauseTimer) {
        const wait = Math.max(0, pausedUntil - now());
        pauseTimer = sleep(wait, abort.signal)
          .catch(() => undefined)
          .then(() => {
            pauseTimer = null;
            pausedUntil = null;
            pump();
          });
      }
      settleIfIdle();
      return;
    }
    while (running < limit && pending.length > 0) {
      const id = pending.shift()!;
      running++;
      void runOne(id);
    }
    settleIfIdle();
  }

  async function runOne(id: string) {
    try {
      await opts.work(id, abort.signal);
      queued.delete(id);
      done++;
      failures = 0;
      notice = null;
      // Grow back one at a time after a cut, up to the configured maximum.
      if (limit < opts.maxConcurrency && ++successesSinceCut >= limit) {
        limit++;
        successesSinceCut = 0;
      }
    } catch (err) {
      if (abort.signal.aborted) {
        queued.delete(id);
      } else if (err instanceof LlmError && err.transient) {
        const n = (attempts.get(id) ?? 0) + 1;
        attempts.set(id, n);
        failures++;
        const pause = err.retryAfterMs ?? Math.min(maxPause, basePause * 2 ** (failures - 1));
        if (err.code === 'rate_limited') {
          limit = Math.max(1, Math.floor(limit / 2));
          successesSinceCut = 0;
        }
        pausedUntil = Math.max(pausedUntil ?? 0, now() + pause);
        if (n >= maxAttempts) {
          queued.delete(id);
          failed++;
        } else pending.unshift(id);
        const waiting = pending.length + running - 1;
        notice =
          err.code === 'rate_limited'
            ? `${err.message} Tandem waits ${seconds(pause)} and goes on ${limit} at a time; ${waiting} ticket(s) wait.`
            : `${err.message} ${waiting} ticket(s) stay on the local reading for now; next try in ${seconds(pause)}.`;
      } else {
        // Not worth retrying (a rejected key, an unknown model, a bug): stop asking, keep the local readings.
        queued.delete(id);
        failed++;
        const message = err instanceof Error ? err.message : String(err);
        const hint = err instanceof LlmError && err.hint ? ` ${err.hint}` : '';
        stopped = `The LLM is not used: ${message}${hint}`;
        failed += pending.length;
        for (const p of pending) queued.delete(p);
        pending.length = 0;
      }
    } finally {
      running--;
      report();
      pump();
    }
  }

  return {
    enqueue(ids) {
      if (abort.signal.aborted || stopped) return;
      if (pending.length === 0 && running === 0 && !pauseTimer) {
        // A new batch after an idle queue: the progress counts start again.
        total = 0;
        done = 0;
        failed = 0;
      }
      let added = 0;
      for (const id of ids) {
        if (queued.has(id)) continue;
        queued.add(id);
        pending.push(id);
        added++;
      }
      if (added === 0) return;
      total += added;
      report();
      pump();
    },
    progress,
    idle() {
      if (isIdle()) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    settled() {
      if (isSettled()) return Promise.resolve();
      return new Promise((resolve) => settledWaiters.push(resolve));
    },
    close() {
      abort.abort();
      pending.length = 0;
      queued.clear();
      settleIfIdle();
    },
  };
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
