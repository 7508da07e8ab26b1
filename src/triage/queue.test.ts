import { describe, expect, it } from 'vitest';
import { LlmError } from './llm/llm-reader.ts';
import { createTriageQueue, type QueueProgress } from './queue.ts';

const rateLimited = (ms: number | null) => new LlmError('rate_limited', 'The model server asks Tandem to slow down (429).', { transient: true, retryAfterMs: ms });
const outage = () => new LlmError('connector_unreachable', 'Tandem cannot reach the model server.', { transient: true });

/** A clock that only moves when the queue sleeps, so pauses are exact and no test waits in real time. */
function fakeTime() {
  let t = 0;
  const pauses: number[] = [];
  return { pauses, now: () => t, sleep: async (ms: number) => void (pauses.push(ms), (t += ms)) };
}

describe('the triage queue', () => {
  it('triages every ticket, never more at once than allowed, and reports progress to the end', async () => {
    let running = 0;
    let peak = 0;
    const seen: string[] = [];
    const progress: QueueProgress[] = [];
    const q = createTriageQueue({
      maxConcurrency: 3,
      work: async (id) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        seen.push(id);
        running--;
      },
      onProgress: (p) => progress.push(p),
    });
    q.enqueue(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    q.enqueue(['a', 'b']); // already queued: not read twice
    await q.idle();
    expect(seen.sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(peak).toBe(3);
    expect(progress.at(-1)).toMatchObject({ total: 7, done: 7, pending: 0, running: 0, failed: 0, notice: null });
  });

  it('honours Retry-After on a 429, halves its concurrency, and finishes every ticket', async () => {
    const time = fakeTime();
    let calls = 0;
    const notices: string[] = [];
    const q = createTriageQueue({
      maxConcurrency: 4,
      now: time.now,
      sleep: time.sleep,
      work: async () => {
        calls++;
        if (calls === 2) throw rateLimited(2000);
      },
      onProgress: (p) => p.notice && notices.push(p.notice),
    });
    q.enqueue(['a', 'b', 'c', 'd', 'e']);
    await q.idle();
    expect(time.pauses).toContain(2000);
    expect(q.progress()).toMatchObject({ done: 5, failed: 0 });
    expect(notices.join('\n')).toMatch(/waits 2 s and goes on 2 at a time/);
  });

  it('waits longer after each failure in an outage (capped), then recovers without losing a ticket', async () => {
    const time = fakeTime();
    let failuresLeft = 8;
    const q = createTriageQueue({
      maxConcurrency: 1,
      now: time.now,
      sleep: time.sleep,
      basePauseMs: 1000,
      maxPauseMs: 30_000,
      work: async () => {
        if (failuresLeft-- > 0) throw outage();
      },
    });
    q.enqueue(['a', 'b']);
    await q.idle();
    expect(time.pauses).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
    expect(q.progress()).toMatchObject({ done: 2, failed: 0, notice: null });
  });

  it('leaves a ticket on the local reading after its last allowed try, with a notice', async () => {
    const time = fakeTime();
    const q = createTriageQueue({ maxConcurrency: 2, maxAttempts: 3, now: time.now, sleep: time.sleep, work: async () => Promise.reject(outage()) });
    q.enqueue(['a']);
    await q.idle();
    expect(q.progress()).toMatchObject({ done: 0, failed: 1 });
    expect(q.progress().notice).toMatch(/cannot reach the model server.*stay on the local reading/);
  });

  it('stops asking after a refusal that waiting cannot fix (a bad key) and says so', async () => {
    let calls = 0;
    const q = createTriageQueue({
      maxConcurrency: 1,
      work: async () => {
        calls++;
        throw new LlmError('connector_auth', 'The model server rejected the API key (401).', { transient: false, hint: 'Set a valid key in Settings → Triage.' });
      },
    });
    q.enqueue(['a', 'b', 'c']);
    await q.idle();
    expect(calls).toBe(1);
    expect(q.progress()).toMatchObject({ failed: 3, pending: 0 });
    expect(q.progress().notice).toMatch(/not used: .*rejected the API key.*Settings → Triage/);
  });

  it('reaches a resting point during an outage, so a host can shut down without waiting for the server', async () => {
    let calls = 0;
    const q = createTriageQueue({ maxConcurrency: 2, basePauseMs: 60_000, work: async () => Promise.reject((calls++, outage())) });
    q.enqueue(['a', 'b', 'c']);
    await q.settled();
    expect(q.progress()).toMatchObject({ running: 0, done: 0 });
    expect(q.progress().pending).toBeGreaterThan(0);
    expect(q.progress().pausedUntil).not.toBeNull();
    q.close();
    await q.idle();
  });

  it('closes while paused without hanging', async () => {
    const q = createTriageQueue({ maxConcurrency: 1, basePauseMs: 3_600_000, work: async () => Promise.reject(outage()) });
    q.enqueue(['a', 'b']);
    await new Promise((r) => setImmediate(r));
    q.close();
    await q.idle();
    expect(q.progress().pending).toBe(0);
  });
});
