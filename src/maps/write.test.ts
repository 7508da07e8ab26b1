import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dirs.ts';
import { setStepMode } from './write.ts';

const MAP = `# Refund request: look up, refund, reply.
id: refund_request
version: 3
intent:
  title: Refund request   # shown in the inbox
  description: Money back.
  examples: [refund please]
steps:
  # The lookup runs at once.
  - id: find_order
    block: http
    connector: orders
    path: '/api/orders/{{ fields.order_id }}'
  - id: refund
    block: http   # the one that moves money
    connector: payments
    method: POST
    path: /v1/refunds
    idempotency_key: "refund-{{ ticket.id }}"
`;

describe('setStepMode', () => {
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  beforeEach(() => {
    dir = tempDir();
    file = join(dir.path, 'refund.yaml');
    writeFileSync(file, MAP);
  });
  afterEach(() => dir.cleanup());

  it('adds the mode after the block, bumps the version, and keeps every comment and quote', () => {
    expect(setStepMode(file, 'refund', 'auto')).toEqual({ previous: 'suggest', version: 4 });
    const after = readFileSync(file, 'utf8');
    expect(after).toBe(MAP.replace('version: 3', 'version: 4').replace('    block: http   # the one that moves money\n', '    block: http   # the one that moves money\n    mode: auto\n'));
  });

  it('goes back to suggest by removing the key, and refuses a step that is not there', () => {
    setStepMode(file, 'refund', 'auto');
    expect(setStepMode(file, 'refund', 'suggest')).toEqual({ previous: 'auto', version: 5 });
    expect(readFileSync(file, 'utf8')).toBe(MAP.replace('version: 3', 'version: 5'));
    setStepMode(file, 'find_order', 'shadow');
    setStepMode(file, 'find_order', 'manual');
    expect(readFileSync(file, 'utf8')).toContain("    block: http\n    mode: manual\n    connector: orders\n    path: '/api/orders/{{ fields.order_id }}'");
    expect(() => setStepMode(file, 'reply', 'auto')).toThrow(/has no step "reply"/);
  });
});
