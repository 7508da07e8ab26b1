// Connects a workspace's declarative source to its connectors and its stored cursor: one sync, one reply/note/status.
import { createHash } from 'node:crypto';
import { TandemError } from '../../domain/errors.ts';
import type { ConnectorFile } from '../../workspace/schema.ts';
import type { HttpSource } from '../../workspace/sources.ts';
import type { HttpDeps } from '../http/http-client.ts';
import { toHttpConnector, type SandboxAddresses } from '../resolve.ts';
import { listTickets, runOperation, type ListResult, type OperationInput } from './declarative-source.ts';
import type { OperationName } from './definition.ts';
import type { StepRunDeps } from './http-steps.ts';

export interface SourceEnv {
  connectors: readonly ConnectorFile[];
  sandbox: SandboxAddresses;
  http: HttpDeps;
  signal?: AbortSignal | undefined;
}

export interface CursorStore {
  get(source: string): { since: string; definition: string } | null;
  set(source: string, cursor: { since: string; syncedAt: number; definition: string }): void;
}

export function stepDeps(source: HttpSource, env: SourceEnv): StepRunDeps {
  return {
    http: env.http,
    signal: env.signal,
    connector(id) {
      const want = id ?? source.connector;
      const file = env.connectors.find((c) => c.id === want);
      if (!file) throw new TandemError('workspace_invalid', `Source ${source.id} uses connector "${want}", which the workspace does not have.`, { hint: 'Add it under connectors/, or fix the source.' });
      if (file.type !== 'http') throw new TandemError('workspace_invalid', `Source ${source.id} needs an API connector, and "${want}" is a ${file.type} connector.`, { hint: 'Point the source at an http connector.' });
      return toHttpConnector(file, env.sandbox);
    },
  };
}

/** A fingerprint of the definition: a cursor written by another definition is not trusted. */
export function definitionHash(source: HttpSource): string {
  return createHash('sha256').update(JSON.stringify([source.definition.list, source.definition.each, source.definition.include, source.definition.ticket])).digest('hex').slice(0, 16);
}

/**
 * Reads what changed since the last complete sync. The new cursor is kept only by `commit()`, after the caller
 * stored the tickets, and only when every item was read: a ticket that failed is read again next time.
 */
export async function syncHttpSource(source: HttpSource, env: SourceEnv, cursors: CursorStore, now: () => number): Promise<ListResult & { commit(): void }> {
  const hash = definitionHash(source);
  const stored = cursors.get(source.id);
  const since = stored && stored.definition === hash ? stored.since : null;
  const result = await listTickets(source.definition, since, stepDeps(source, env));
  return {
    ...result,
    commit() {
      if (result.problems.length === 0 && result.since && result.since !== since) cursors.set(source.id, { since: result.since, syncedAt: now(), definition: hash });
    },
  };
}

export async function sourceOperation(source: HttpSource, name: OperationName, input: OperationInput, env: SourceEnv): Promise<Record<string, unknown>> {
  return runOperation(source.definition, name, input, stepDeps(source, env));
}
