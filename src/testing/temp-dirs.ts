// Test helpers: a fresh temp directory per test, and a small workspace written from plain objects.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

export function tempDir(prefix = 'tandem-test-'): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }) };
}

export function writeFiles(root: string, files: Record<string, string | object>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = join(root, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, typeof content === 'string' ? content : stringify(content));
  }
}

export const SMALL_WORKSPACE: Record<string, object | string> = {
  'tandem.yaml': { name: 'Test team', triage: { escalate_below: 0.4 } },
  'maps/refund.yaml': {
    id: 'refund_request',
    version: 1,
    intent: { title: 'Refund request', description: 'Money back', examples: ['I want a refund for my order', 'please refund me', 'give me my money back'] },
    fields: [{ name: 'order_id', type: 'string', pattern: '(\\d{6})' }],
  },
  'maps/wismo.yaml': {
    id: 'where_is_my_order',
    version: 1,
    intent: { title: 'Where is my order', description: 'Parcel status', examples: ['where is my order', 'my package has not arrived', 'tracking shows no update'] },
  },
  'maps/other.yaml': {
    id: 'other',
    version: 1,
    intent: { title: 'Other', description: 'Anything else', examples: ['do you sell gift cards', 'what are your opening hours'] },
  },
  'tickets/inbox.yaml': {
    tickets: [
      { id: 'A-1', subject: 'Refund', body: 'Please refund order 104233, it was faulty.', requester: { name: 'Ann', email: 'ann@example.com' }, channel: 'email', created_at: '2026-11-19T08:00:00Z' },
      { id: 'A-2', subject: 'Parcel', body: 'Where is my package? It has not arrived.', requester: { name: 'Ben', email: 'ben@example.com' }, channel: 'chat', created_at: '2026-11-19T09:00:00Z' },
    ],
  },
};
