import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatProblem } from '../domain/workspace.ts';
import { SMALL_WORKSPACE, tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { loadWorkspace } from '../workspace/load.ts';

const MAP = `id: refund_request
version: 3
intent:
  title: Refund
  description: Money back
  examples: [refund my order]
fields:
  - name: order_id
    type: string
steps:
  - id: find_order
    block: http
    connector: orders
    path: /api/orders/{{ fields.order_id }}
    outputs:
      total: body.total_cents
  - id: refund
    block: http
    connector: payments
    method: POST
    path: /v1/refunds
    body:
      amount: '{{ steps.find_order.total }}'
    idempotency_key: refund-{{ ticket.id }}
`;

describe('map validation at load', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
    writeFiles(dir.path, {
      ...SMALL_WORKSPACE,
      'connectors/orders.yaml': { id: 'orders', title: 'Orders', type: 'http', base_url: 'http://127.0.0.1:1/api', auth: { type: 'bearer', secret: 'token' } },
      'connectors/payments.yaml': { id: 'payments', title: 'Payments', type: 'http', base_url: 'http://127.0.0.1:1', auth: { type: 'bearer', secret: 'secret_key' } },
      'connectors/crm.yaml': { id: 'crm', title: 'CRM', type: 'browser', base_url: 'http://127.0.0.1:1' },
    });
  });
  afterEach(() => dir.cleanup());

  const problemsFor = (yaml: string) => {
    writeFiles(dir.path, { 'maps/refund.yaml': yaml });
    return loadWorkspace(dir.path).problems.map(formatProblem);
  };

  it('accepts a whole map', () => {
    expect(problemsFor(MAP)).toEqual([]);
  });

  it('names file, line, path and a hint for each kind of mistake', () => {
    const file = join('maps', 'refund.yaml');
    expect(problemsFor(MAP.replace('connector: payments', 'connector: stripe'))).toEqual([`${file}:19: steps[1].connector: unknown connector "stripe" (add connectors/stripe.yaml, or use one of: crm, orders, payments)`]);
    expect(problemsFor(MAP.replace('connector: payments', 'connector: crm'))).toEqual([`${file}:19: steps[1].connector: a http step needs a http connector; "crm" is browser`]);
    expect(problemsFor(MAP.replace("'{{ steps.find_order.total }}'", "'{{ steps.find_order.amount }}'"))[0]).toBe(`${file}:23: steps[1].body.amount: steps.find_order makes no output "amount" (it makes: status, total)`);
    expect(problemsFor(MAP.replace('/api/orders/{{ fields.order_id }}', '/api/orders/{{ steps.refund.status }}'))[0]).toMatch(/^maps\/refund\.yaml:14: steps\[0\]\.path: steps\.refund runs later/);
    expect(problemsFor(MAP.replace('fields.order_id', 'fields.order_number'))[0]).toMatch(/:14: steps\[0\]\.path: fields\.order_number is not a field of this map/);
    expect(problemsFor(MAP.replace('    idempotency_key: refund-{{ ticket.id }}\n', ''))[0]).toMatch(/:17: steps\[1\]\.idempotency_key: a step that changes something needs an idempotency_key/);
    expect(problemsFor(MAP.replace('total: body.total_cents', 'total: body.total_cents >'))[0]).toMatch(/:16: steps\[0\]\.outputs\.total: "body\.total_cents >" is not a valid expression/);
    expect(problemsFor(MAP.replace('block: http\n    connector: orders', 'block: rest\n    connector: orders'))[0]).toMatch(/:12: steps\[0\]\.block: /);
  });

  it('leaves a broken map out and keeps the valid rest', () => {
    problemsFor(MAP.replace('connector: payments', 'connector: stripe'));
    const ws = loadWorkspace(dir.path);
    expect(ws.maps.map((m) => m.id).sort()).toEqual(['other', 'where_is_my_order']);
  });
});
