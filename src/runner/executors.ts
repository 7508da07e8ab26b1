// What actually acts in a system for a step: the runner calls these ports; the app wires them to real connectors, tests to fakes.
import type { RunContext } from './prepare.ts';

export interface ExecuteEnv {
  ticketId: string;
  runId: string;
  stepId: string;
  idempotencyKey: string | null;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Each returns the raw result of the call; the runner turns it into the step's outputs. */
export interface Executors {
  http(inputs: Record<string, unknown>, env: ExecuteEnv): Promise<{ status: number; body: unknown; headers: Record<string, string> }>;
  browser(inputs: Record<string, unknown>, env: ExecuteEnv): Promise<Record<string, unknown>>;
  reply(inputs: Record<string, unknown>, ctx: RunContext, env: ExecuteEnv): Promise<{ comment_id: string | null }>;
}

export function unavailableExecutors(reason: string): Executors {
  const fail = () => Promise.reject(new Error(reason));
  return { http: fail, browser: fail, reply: fail };
}
