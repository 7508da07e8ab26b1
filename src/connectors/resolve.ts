// Turns a connector file into what the clients use: the sandbox's address filled in for demo connectors.
import { TandemError } from '../domain/errors.ts';
import type { ConnectorFile, HttpConnectorFile } from '../workspace/schema.ts';
import type { HttpConnector } from './http/http-client.ts';

/** Addresses of systems started at run time (the demo sandbox), by system name. */
export type SandboxAddresses = Readonly<Record<string, string>>;

export function baseUrlOf(file: ConnectorFile, sandbox: SandboxAddresses): string {
  if (file.base_url) return file.base_url;
  const url = file.sandbox ? sandbox[file.sandbox] : undefined;
  if (!url) {
    throw new TandemError('connector_unreachable', `${file.title} lives in the demo sandbox ("${file.sandbox}"), which is not running.`, {
      hint: 'Start Tandem on the demo workspace (npm start), or give the connector a base_url.',
    });
  }
  return url;
}

export function toHttpConnector(file: HttpConnectorFile, sandbox: SandboxAddresses): HttpConnector {
  return {
    id: file.id,
    title: file.title,
    baseUrl: baseUrlOf(file, sandbox),
    auth: file.auth,
    headers: file.headers,
    timeoutMs: file.timeout_ms,
    ...(file.rate_limit ? { rateLimit: { requests: file.rate_limit.requests, perMs: file.rate_limit.per_seconds * 1000 } } : {}),
  };
}
