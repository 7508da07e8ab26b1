// Test helper run as a child process inside its own D-Bus session: exercises the vault and prints what happened as JSON.
import { openVault } from './keychain.ts';

const service = process.argv[2] ?? 'TandemTest';
const vault = await openVault({ service });
const out: Record<string, unknown> = { type: vault.type, notice: vault.notice };
await vault.set('helpdesk.api_token', 'hd-secret-1');
// Interleaved calls on one key run in order: the final value is the last one set.
await Promise.all([vault.set('crm.password', 'first'), vault.delete('crm.password'), vault.set('crm.password', 'second')]);
out.afterSet = { token: await vault.get('helpdesk.api_token'), crm: await vault.get('crm.password'), missing: (await vault.get('nope')) ?? null };
out.keys = await vault.keys();
out.deleted = await vault.delete('helpdesk.api_token');
out.afterDelete = { token: (await vault.get('helpdesk.api_token')) ?? null, keys: await vault.keys() };
process.stdout.write(JSON.stringify(out));
