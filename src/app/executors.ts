// Wires the runner's ports to real systems: API connectors through the HTTP client, replies back to the ticket's helpdesk.
import { TandemError } from '../domain/errors.ts';
import { httpRequest, type HttpDeps } from '../connectors/http/http-client.ts';
import { toHttpConnector, type SandboxAddresses } from '../connectors/resolve.ts';
import type { Executors } from '../runner/executors.ts';
import { sourceOperation } from '../connectors/sources/source-runtime.ts';
import type { AskCode, CodePrompts } from '../connectors/browser/code-prompts.ts';
import type { Workspace } from '../workspace/load.ts';

export interface BrowserPort {
  run(connectorId: string, actions: unknown[], env: { signal?: AbortSignal; askCode?: AskCode }): Promise<Record<string, unknown>>;
}

export function createExecutors(currentWorkspace: () => Workspace, sandbox: SandboxAddresses, deps: HttpDeps, browser: BrowserPort | null, codes: CodePrompts | null = null): Executors {
  const httpConnector = (id: unknown) => {
    const file = currentWorkspace().connectors.find((c) => c.id === id);
    if (!file) throw new TandemError('workspace_invalid', `The workspace has no connector "${String(id)}".`, { hint: 'Add it under connectors/, or fix the step.' });
    if (file.type !== 'http') throw new TandemError('workspace_invalid', `Connector "${file.id}" is a ${file.type} connector, not an API.`);
    return toHttpConnector(file, sandbox);
  };

  return {
    async http(inputs, env) {
      const connector = httpConnector(inputs.connector);
      const res = await httpRequest(
        env.timeoutMs ? { ...connector, timeoutMs: env.timeoutMs } : connector,
        {
          method: inputs.method as 'GET',
          path: String(inputs.path),
          ...(inputs.query ? { query: inputs.query as Record<string, string> } : {}),
          ...(inputs.headers ? { headers: inputs.headers as Record<string, string> } : {}),
          ...(inputs.body !== undefined ? { body: inputs.body } : {}),
          ...(env.idempotencyKey ? { idempotencyKey: env.idempotencyKey } : {}),
          ...(typeof inputs.describe === 'string' ? { describe: inputs.describe } : {}),
          ...(env.signal ? { signal: env.signal } : {}),
        },
        deps,
      );
      return { status: res.status, body: res.body, headers: Object.fromEntries(res.headers.entries()) };
    },

    async browser(inputs, env) {
      if (!browser) {
        throw new TandemError('not_supported', `Browser steps on ${String(inputs.connector)} need the embedded browser, which this host has not started.`, {
          hint: 'Do the step by hand (H) and tick it off.',
        });
      }
      // A sign-in that asks for a one-time code pauses here and asks the associate, tagged with this run's step.
      const askCode: AskCode | undefined = codes
        ? (req, signal) => codes.ask({ ...req, runId: env.runId, stepId: env.stepId, ticketId: env.ticketId }, signal)
        : undefined;
      return browser.run(String(inputs.connector), inputs.actions as unknown[], { ...(env.signal ? { signal: env.signal } : {}), ...(askCode ? { askCode } : {}) });
    },

    async reply(inputs, ctx, env) {
      const source = currentWorkspace().httpSources.find((s) => s.id === ctx.ticket.source);
      if (!source) {
        // A ticket read from a file has no helpdesk to answer in: the reply is kept in Tandem's record only.
        return { comment_id: null };
      }
      const sourceEnv = { connectors: currentWorkspace().connectors, sandbox, http: deps, signal: env.signal };
      const ticket = { id: ctx.ticket.id, external_id: ctx.ticket.externalId, subject: ctx.ticket.subject, requester: ctx.ticket.requester };
      const out = await sourceOperation(source, inputs.public === false ? 'note' : 'reply', { ticket, body: String(inputs.body) }, sourceEnv);
      if (typeof inputs.status === 'string') await sourceOperation(source, 'set_status', { ticket, status: inputs.status }, sourceEnv);
      const id = out.comment_id;
      return { comment_id: id === undefined || id === null ? null : String(id) };
    },
  };
}
