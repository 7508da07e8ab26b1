// One-time codes (2FA) a browser sign-in is waiting for: the step pauses, the associate is asked, the code goes
// straight into the page. Codes are never kept here beyond the hand-over, never logged, never part of an event.
import { randomUUID } from 'node:crypto';
import { TandemError } from '../../domain/errors.ts';

export interface CodeRequest {
  id: string;
  connectorId: string;
  /** The system's name, for the question ("CRM asks for a one-time code"). */
  connector: string;
  /** What the page said, or why it is asked again ("That code was not accepted"). */
  prompt: string;
  attempt: number;
  runId: string | null;
  stepId: string | null;
  ticketId: string | null;
  askedAt: number;
}

export interface AskCode {
  (request: { connectorId: string; connector: string; prompt: string; attempt: number }, signal?: AbortSignal): Promise<string>;
}

export interface CodePrompts {
  /** Asks for a code for this run's step; resolves with what the associate typed. */
  ask(request: Omit<CodeRequest, 'id' | 'askedAt'>, signal?: AbortSignal): Promise<string>;
  pending(): CodeRequest[];
  /** The associate's answer; false when nothing waits under this id (answered already, or given up). */
  answer(id: string, code: string): boolean;
  /** The associate would rather sign in by hand: the step stops and is handed over. */
  decline(id: string): boolean;
  /** Called whenever the list of waiting requests changes (for the UI's event). */
  onChange(listener: (pending: CodeRequest[]) => void): () => void;
}

export function createCodePrompts(options: { timeoutMs?: number; now?: () => number } = {}): CodePrompts {
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const now = options.now ?? Date.now;
  const waiting = new Map<string, { request: CodeRequest; resolve(code: string): void; reject(err: Error): void }>();
  const listeners = new Set<(pending: CodeRequest[]) => void>();
  const list = () => [...waiting.values()].map((w) => w.request);
  const changed = () => {
    for (const l of listeners) l(list());
  };

  return {
    ask(req, signal) {
      const request: CodeRequest = { ...req, id: randomUUID(), askedAt: now() };
      return new Promise<string>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          waiting.delete(request.id);
          changed();
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new TandemError('connector_auth', `${req.connector} asked for a one-time code and none was entered within ${Math.round(timeoutMs / 60_000)} min.`, {
              hint: `Run the step again when you have the code at hand, or sign in to ${req.connector} by hand and do the step (H).`,
            }),
          );
        }, timeoutMs);
        timer.unref?.();
        const onAbort = () => {
          done();
          reject(new TandemError('cancelled', `The ${req.connector} sign-in was cancelled while it waited for a one-time code.`));
        };
        if (signal?.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.set(request.id, {
          request,
          resolve: (code) => {
            done();
            resolve(code);
          },
          reject: (err) => {
            done();
            reject(err);
          },
        });
        changed();
      });
    },
    pending: list,
    answer(id, code) {
      const w = waiting.get(id);
      if (!w) return false;
      w.resolve(code);
      return true;
    },
    decline(id) {
      const w = waiting.get(id);
      if (!w) return false;
      w.reject(
        new TandemError('connector_auth', `${w.request.connector}'s one-time code was not given; the step is yours.`, {
          hint: `Sign in to ${w.request.connector} by hand, do the step, and mark it done (H).`,
        }),
      );
      return true;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
