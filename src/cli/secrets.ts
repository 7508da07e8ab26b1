// `tandem secrets set|list|delete`: credentials in the OS keychain. Values come from stdin, never from arguments
// (which other users can read in the process list), and are never printed.
import { text } from 'node:stream/consumers';
import { checkSecretName, secretNames } from '../connectors/connections.ts';
import { secretKey } from '../connectors/http/http-client.ts';
import { TandemError } from '../domain/errors.ts';
import { openVault } from '../vault/keychain.ts';
import { LLM_KEY } from '../triage/llm/endpoint.ts';
import { loadWorkspace } from '../workspace/load.ts';
import { parse, UsageError, write, type CliIo } from './args.ts';
import { locations } from './context.ts';

export const help = `tandem secrets set <connector> <field>    read the value from stdin and store it in the OS keychain
tandem secrets list [--json]               every secret the workspace's connectors use: set or not set
tandem secrets delete <connector> <field>  remove it from the keychain
(The triage model's API key is \`tandem secrets set llm api_key\`.)`;

export async function secretsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {});
  const [sub, connectorId, name, ...extra] = positionals;
  const workspace = loadWorkspace(locations(values, io.env).workspaceDir);
  const vault = await openVault();
  if (sub === 'list' && !connectorId) {
    const rows = [];
    for (const c of workspace.connectors) for (const n of secretNames(c)) rows.push({ connector: c.id, field: n, set: (await vault.get(secretKey(c.id, n))) !== undefined });
    if (workspace.settings.triage.llm) rows.push({ connector: 'llm', field: 'api_key', set: (await vault.get(LLM_KEY)) !== undefined });
    if (values.json) write(io.stdout, JSON.stringify({ keychain: vault.type, secrets: rows }));
    else {
      for (const r of rows) write(io.stdout, `${r.connector.padEnd(12)} ${r.field.padEnd(14)} ${r.set ? 'set' : 'not set'}`);
      if (vault.notice) write(io.stderr, `keychain: ${vault.notice}`);
    }
    return 0;
  }
  if ((sub !== 'set' && sub !== 'delete') || !connectorId || !name || extra.length > 0) throw new UsageError('usage: tandem secrets set|delete <connector> <field>, or tandem secrets list');
  // `llm api_key` is the triage model's key; every other pair names a connector's secret.
  const isLlm = connectorId === 'llm' && name === 'api_key';
  if (!isLlm) checkSecretName(workspace.connectors.find((c) => c.id === connectorId), connectorId, name);
  const key = isLlm ? LLM_KEY : secretKey(connectorId, name);
  if (vault.type !== 'persisted') {
    throw new TandemError('not_supported', 'The OS keychain is not usable, so a secret stored now would be forgotten when this command ends.', { hint: vault.notice ?? undefined });
  }
  if (sub === 'delete') {
    const removed = await vault.delete(key);
    write(io.stderr, removed ? `Deleted ${connectorId}.${name} from the keychain.` : `${connectorId}.${name} was not set.`);
    return 0;
  }
  if (!io.stdin) throw new UsageError('pipe the value on stdin: printf %s "$TOKEN" | tandem secrets set <connector> <field>');
  const value = (await text(io.stdin)).replace(/\r?\n$/, '');
  if (!value) throw new UsageError('stdin was empty: pipe the value in, e.g. printf %s "$TOKEN" | tandem secrets set …');
  await vault.set(key, value);
  write(io.stderr, `Stored ${connectorId}.${name} in the keychain (${value.length} characters).`);
  return 0;
}
