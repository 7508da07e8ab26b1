// The demo maps on the demo tickets, against the real sandbox: each one stops where a person must decide (a wrong or
// missing order number, nothing to cancel) before it changes anything, and what it writes to a customer never has a gap.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startSandbox, type Sandbox } from '../sandbox/index.ts';
import { secretKey } from '../../src/connectors/http/http-client.ts';
import { createExecutors } from '../../src/app/executors.ts';
import type { ProcessMap } from '../../src/maps/schema.ts';
import { dryRun, type DryRun } from '../../src/runner/dry-run.ts';
import type { Executors } from '../../src/runner/executors.ts';
import type { RunContext } from '../../src/runner/prepare.ts';
import { createRunner, type Runner } from '../../src/runner/runner.ts';
import { openDatabase, type Db } from '../../src/store/db.ts';
import { createDecisionsRepo } from '../../src/store/decisions-repo.ts';
import { createRunsRepo } from '../../src/store/runs-repo.ts';
import { createTicketsRepo } from '../../src/store/tickets-repo.ts';
import { tempDir } from '../../src/testing/temp-dirs.ts';
import { createMemoryStore } from '../../src/vault/secret-store.ts';
import { loadWorkspace, type Workspace } from '../../src/workspace/load.ts';

const WORKSPACE = dirname(fileURLToPath(import.meta.url));

interface DemoTicket {
  id: string;
  subject: string;
  body: string;
  requester: { name: string; email: string };
  channel: 'email' | 'chat' | 'web' | 'phone';
}
const TICKETS = new Map(
  ['train', 'test', 'hostile'].flatMap((split) => (parse(readFileSync(join(WORKSPACE, 'tickets', `${split}.yaml`), 'utf8')) as { tickets: DemoTicket[] }).tickets.map((t) => [t.id, t] as const)),
);

describe('the demo maps on the demo tickets', () => {
  let sandbox: Sandbox;
  let ws: Workspace;
  let executors: Executors;

  beforeAll(async () => {
    sandbox = await startSandbox({ slowMs: 0, sessionExpiryEvery: 0 });
    ws = loadWorkspace(WORKSPACE);
    const vault = createMemoryStore(null);
    for (const c of ws.connectors) {
      if (!c.sandbox) continue;
      for (const [name, value] of Object.entries(sandbox.systems[c.sandbox as keyof typeof sandbox.systems]!.credentials)) await vault.set(secretKey(c.id, name), value);
    }
    const addresses = Object.fromEntries(Object.entries(sandbox.systems).map(([name, s]) => [name, s.baseUrl]));
    executors = createExecutors(() => ws, addresses, { vault }, null);
  });
  afterAll(async () => sandbox?.stop());

  const map = (id: string): ProcessMap => {
    const m = ws.maps.find((x) => x.id === id);
    if (!m) throw new Error(`no map ${id}`);
    return m;
  };
  const contextOf = (ticketId: string, fields: Record<string, unknown>): RunContext => {
    const t = TICKETS.get(ticketId)!;
    return { ticket: { id: `files:${t.id}`, externalId: t.id, source: 'files', subject: t.subject, body: t.body, requester: t.requester, channel: t.channel }, fields, steps: {} };
  };
  const dry = (mapId: string, ticketId: string, fields: Record<string, unknown>) => dryRun(map(mapId), contextOf(ticketId, fields), executors);
  const states = (r: DryRun) => Object.fromEntries(r.steps.map((s) => [s.stepId, s.state]));
  const step = (r: DryRun, id: string) => r.steps.find((s) => s.stepId === id)!;

  describe('change_shipping_address', () => {
    it('ticket 1021: an order number with a typo stops at the order check, naming the order the customer has, before anything changes', async () => {
      const r = await dry('change_shipping_address', 'T-0021', { order_id: '106746', new_address: '2840 Sunset Blvd, San Diego, CA 92103' });
      expect(r.outcome).toBe('escalated');
      expect(states(r)).toEqual({ find_order: 'looked_up', check_owner: 'would_escalate', not_shipped: 'not_reached', read_address: 'not_reached', address_complete: 'not_reached', change_address: 'not_reached', reply: 'not_reached' });
      expect(r.escalation).toBe('Order 106746 is not one of the orders of mary_kim@example.com (their orders not shipped yet: 106764). Check the number with the customer, then correct the fields.');
    });

    it('ticket 1021 with the order corrected: checks, then sends the new address to that order in its parts and confirms it', async () => {
      const r = await dry('change_shipping_address', 'T-0021', { order_id: '106764', new_address: '2840 Sunset Blvd, San Diego, CA 92103' });
      expect(r.outcome).toBe('done');
      expect(states(r)).toEqual({ find_order: 'looked_up', check_owner: 'would_run', not_shipped: 'would_run', read_address: 'would_run', address_complete: 'would_run', change_address: 'would_run', reply: 'would_run' });
      expect(step(r, 'change_address').call).toEqual([
        'POST orders /api/orders/106764/address',
        'body: {"address":{"line1":"2840 Sunset Blvd","city":"San Diego","region":"CA","postcode":"92103","country":"US"}}',
        'idempotency key: address-files:T-0021-106764',
      ]);
      expect(step(r, 'reply').inputs!.body).toContain('Order 106764 will now be delivered to: 2840 Sunset Blvd, San Diego, CA 92103, US.');
    });

    it('reads the parts of the address as the demo tickets write it: US, UK, a unit or flat, Canada, France, Germany; the country from the text or else the order', async () => {
      const cases: [string, string, string, Record<string, string>, string][] = [
        ['T-0127', '106737', '92 Park Pl, Brooklyn, NY 11238', { line1: '92 Park Pl', city: 'Brooklyn', region: 'NY', postcode: '11238', country: 'US' }, '92 Park Pl, Brooklyn, NY 11238, US'],
        ['T-0165', '106747', '8 Marlborough Place, Brighton, BN1 4GH', { line1: '8 Marlborough Place', city: 'Brighton', postcode: 'BN1 4GH', country: 'GB' }, '8 Marlborough Place, Brighton, BN1 4GH, GB'],
        ['T-0109', '105904', '640 Highland Ave, Apt 7, Pittsburgh, PA 15206, US', { line1: '640 Highland Ave', line2: 'Apt 7', city: 'Pittsburgh', region: 'PA', postcode: '15206', country: 'US' }, '640 Highland Ave, Apt 7, Pittsburgh, PA 15206, US'],
        ['T-0165', '106747', 'Flat 2, 19 Clarence Road\nBristol\nBS6 5BZ', { line1: 'Flat 2', line2: '19 Clarence Road', city: 'Bristol', postcode: 'BS6 5BZ', country: 'GB' }, 'Flat 2, 19 Clarence Road, Bristol, BS6 5BZ, GB'],
        ['T-0174', '106586', '2250 Commercial Dr, Unit 408, Vancouver BC V5L 3X6', { line1: '2250 Commercial Dr', line2: 'Unit 408', city: 'Vancouver', region: 'BC', postcode: 'V5L 3X6', country: 'CA' }, '2250 Commercial Dr, Unit 408, Vancouver, BC V5L 3X6, CA'],
        ['T-0105', '106684', '14 rue des Lilas\n69003 Lyon', { line1: '14 rue des Lilas', city: 'Lyon', postcode: '69003', country: 'FR' }, '14 rue des Lilas, 69003 Lyon, FR'],
        ['T-0133', '106729', 'Packstation 112, 10115 Berlin, Germany', { line1: 'Packstation 112', city: 'Berlin', postcode: '10115', country: 'DE' }, 'Packstation 112, 10115 Berlin, DE'],
      ];
      for (const [ticket, order, text, address, written] of cases) {
        const r = await dry('change_shipping_address', ticket, { order_id: order, new_address: text });
        expect(r.outcome, text).toBe('done');
        expect(step(r, 'read_address').outputs.address, text).toEqual(address);
        expect(step(r, 'change_address').inputs!.body, text).toEqual({ address });
        expect(step(r, 'reply').inputs!.body, text).toContain(`Order ${order} will now be delivered to: ${written}.`);
      }
    });

    it('never sends a partial address: a part it cannot read stops the run before Orders, naming the part', async () => {
      for (const [text, unread] of [
        ['2840 Sunset Blvd, San Diego', 'city, state/province and postcode'],
        ['San Diego, CA 92103', 'street'],
      ] as const) {
        const r = await dry('change_shipping_address', 'T-0021', { order_id: '106764', new_address: text });
        expect(r.outcome, text).toBe('escalated');
        expect(states(r), text).toMatchObject({ read_address: 'would_run', address_complete: 'would_escalate', change_address: 'not_reached', reply: 'not_reached' });
        expect(r.escalation).toBe(`Tandem could not read the ${unread} of the new address “${text}” (in US). Ask the customer for the full address, then correct the field; nothing was changed.`);
      }
      const uk = await dry('change_shipping_address', 'T-0165', { order_id: '106747', new_address: '8 Marlborough Place, Brighton' });
      expect(uk.escalation).toBe('Tandem could not read the city and postcode of the new address “8 Marlborough Place, Brighton” (in GB). Ask the customer for the full address, then correct the field; nothing was changed.');
    });

    it("never re-addresses another customer's order (ticket 1127), and says a shipped order can no longer change (ticket 1034)", async () => {
      const other = await dry('change_shipping_address', 'T-0127', { order_id: '106579', new_address: '1 Main St, Springfield' });
      expect(states(other)).toMatchObject({ check_owner: 'would_escalate', change_address: 'not_reached' });
      const shipped = await dry('change_shipping_address', 'T-0034', { order_id: '106373', new_address: '1 Main St, Springfield' });
      expect(shipped.escalation).toBe('Order 106373 is shipped; it can no longer be re-addressed. Offer a return instead.');
    });
  });

  describe('cancel_subscription', () => {
    it('with nothing active to cancel, escalates at the check and never sends a cancel (ticket 1164: no subscription; 1030: already cancelled)', async () => {
      for (const [id, email] of [['T-0164', undefined], ['T-0030', 'sarah.campbell@mail.example.net']] as const) {
        const r = await dry('cancel_subscription', id, email ? { account_email: email } : {});
        expect(states(r)).toMatchObject({ find_subscription: 'looked_up', has_subscription: 'would_escalate', nothing_to_cancel: 'not_reached', cancel: 'not_reached', reply: 'not_reached' });
        expect(step(r, 'find_subscription').outputs.subscription_id).toBeNull();
        expect(r.escalation).toBe(`No active subscription found for ${email ?? TICKETS.get(id)!.requester.email}.`);
      }
    });

    it('an account email that is empty falls back to the requester’s, and the reply names the plan that is cancelled', async () => {
      const r = await dry('cancel_subscription', 'T-0009', { account_email: '', subscription_id: 'sub_1NltMOc9OqH2R5a1QyxamvhC' });
      expect(step(r, 'find_subscription').inputs!.query).toEqual({ email: TICKETS.get('T-0009')!.requester.email });
      const named = await dry('cancel_subscription', 'T-0009', { account_email: 'stevenwilliams@example.com', subscription_id: 'sub_1NltMOc9OqH2R5a1QyxamvhC' });
      expect(named.outcome).toBe('done');
      expect(step(named, 'cancel').call[0]).toBe('POST billing /api/subscriptions/sub_1NltMOc9OqH2R5a1QyxamvhC/cancel');
      const plan = step(named, 'find_subscription').outputs.plan as string;
      expect(plan).toMatch(/\w/);
      expect(step(named, 'reply').inputs!.body).toContain(`Your ${plan} subscription is cancelled`);
    });
  });

  describe('where_is_my_order', () => {
    it('answers only about the customer’s own order (ticket 1057 names another customer’s)', async () => {
      const r = await dry('where_is_my_order', 'T-0057', { order_id: '106436' });
      expect(states(r)).toMatchObject({ has_order: 'would_escalate', track: 'not_reached', reply: 'not_reached' });
      expect(r.escalation).toMatch(/^Order 106436 is not one of the orders of /);
    });

    it('without an order number, uses the one order on the way, and asks when there are several (tickets 1138, 1020)', async () => {
      const one = await dry('where_is_my_order', 'T-0138', {});
      expect(one.outcome).toBe('done');
      expect(step(one, 'track').call[0]).toBe('GET orders /api/orders/106433');
      expect(step(one, 'reply').inputs!.body).toMatch(/Order 106433 is with \w+ \(tracking \w+\)\. Latest status: [a-z ]+\./);
      const several = await dry('where_is_my_order', 'T-0020', {});
      expect(several.escalation).toMatch(/^The ticket names no order; their orders on the way: \d{6}, \d{6}\. Ask the customer which order they mean/);
    });

    it('tells a customer whose order has not shipped that it is being prepared (ticket 1065)', async () => {
      const r = await dry('where_is_my_order', 'T-0065', { order_id: '105948' });
      expect(step(r, 'reply').inputs!.body).toContain('Order 105948 is being prepared and has not shipped yet');
    });
  });

  describe('update_account_email', () => {
    it('never changes the email of an account that is not the requester’s: the “CEO” asking for connor’s (hostile ticket 1220) and a change sent from the new address (1206) escalate, naming both', async () => {
      const ceo = await dry('update_account_email', 'T-0220', { current_email: 'connor.lavoie@example.net', new_email: 'connor.lavoie@secure-inbox.example.net' });
      expect(ceo.outcome).toBe('escalated');
      expect(states(ceo)).toEqual({ check_owner: 'would_escalate', edit_crm: 'not_reached', reply: 'not_reached' });
      expect(ceo.escalation).toBe("The request comes from ceo.office@exec-mail.example.net; the account is connor.lavoie@example.net's: confirm the identity before changing it.");
      const fromNew = await dry('update_account_email', 'T-0206', { current_email: 'Camille.Durand@example.net', new_email: 'camilledurand.backup@quickmail-inbox.example.net' });
      expect(fromNew.escalation).toBe("The request comes from camilledurand.backup@quickmail-inbox.example.net; the account is Camille.Durand@example.net's: confirm the identity before changing it.");
    });

    it('changes the requester’s own account: a phone note (ticket 1124), a web form (1192), a chat (1037)', async () => {
      for (const [id, current, next] of [
        ['T-0124', 'hannah.nelson@example.net', 'hannah.nelson.218@example.com'],
        ['T-0192', 'mercier.julien@example.com', 'mercier.julien@example.net'],
        ['T-0037', 'aishathomas@example.org', 'thomas.family@example.com'],
      ] as const) {
        const r = await dry('update_account_email', id, { current_email: current, new_email: next });
        expect(r.outcome, id).toBe('done');
        expect(states(r), id).toEqual({ check_owner: 'would_run', edit_crm: 'would_run', reply: 'would_run' });
        expect(step(r, 'edit_crm').call, id).toContain(`crm: type “${next}” into the field labelled “Email”`);
      }
    });

    it('with no current email read from the ticket (null), finds the customer by the email that wrote', async () => {
      const r = await dry('update_account_email', 'T-0199', { current_email: null, new_email: 'brian.smith.secure@example.org' });
      const requester = TICKETS.get('T-0199')!.requester.email;
      expect(step(r, 'edit_crm').call.slice(0, 2)).toEqual([`crm: open /customers?q=${encodeURIComponent(requester)}`, `crm: click the link “${requester}”`]);
    });
  });

  describe('refund_request', () => {
    it('a dry run (Try it, Replay) takes the simulated refund for one that happened: the CRM note and the refund reply, as a real run has them', async () => {
      const r = await dry('refund_request', 'T-0184', { order_id: '103862' });
      expect(r.outcome).toBe('done');
      expect(states(r)).toMatchObject({ refund: 'would_run', crm_note: 'would_run', reply: 'would_run' });
      const cents = step(r, 'amount').outputs.refund_cents as number;
      const amount = (cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2 });
      expect(step(r, 'crm_note').call).toContain(`crm: type “Refunded ${amount} USD on order 103862 (‹steps.refund.refund_id›), ticket files:T-0184.” into the field labelled “Note”`);
      expect(step(r, 'reply').inputs!.body).toContain(`We have refunded ${amount} USD for order 103862. It reaches your account within 5–10 business days.`);
      expect(step(r, 'reply').inputs!.body).not.toMatch(/not able to refund|‹/);
    });
  });

  describe('damaged_item', () => {
    it('checks the order is the customer’s and has shipped before making a return label; a dry run shows the label it cannot know', async () => {
      const r = await dry('damaged_item', 'T-0013', { order_id: '104908' });
      expect(r.outcome).toBe('done');
      expect(states(r)).toMatchObject({ check_owner: 'would_run', shipped: 'would_run', return_label: 'would_run', replacement: 'would_run', refund: 'skipped', reply: 'would_run' });
      expect(step(r, 'reply').inputs!.body).toContain('We are sorry your order arrived damaged. Your return label is ‹steps.return_label.label_id›; print it and drop the parcel at any carrier point. We are sending you a replacement.');
      expect(step(r, 'reply').note).toMatch(/it reads steps\.return_label\.label_id, which this dry run does not know/);
    });
  });

  describe('in a real run', () => {
    let dir: ReturnType<typeof tempDir>;
    let db: Db;
    let runner: Runner;
    let clock = Date.parse('2026-11-20T12:00:00Z');

    beforeEach(() => {
      dir = tempDir();
      db = openDatabase(join(dir.path, 'tandem.db'));
      runner = createRunner({ db, runs: createRunsRepo(db), decisions: createDecisionsRepo(db), tickets: createTicketsRepo(db), executors, now: () => ++clock });
    });
    afterEach(() => {
      db.close();
      dir.cleanup();
    });

    const start = async (mapId: string, ticketId: string, fields: Record<string, unknown>) => {
      const t = TICKETS.get(ticketId)!;
      createTicketsRepo(db).upsertMany([{ id: `files:${t.id}`, source: 'files', externalId: t.id, subject: t.subject, body: t.body, requester: t.requester, channel: t.channel, createdAt: 1, contentHash: 'h' }], 1);
      return runner.start({ ticketId: `files:${t.id}`, map: map(mapId), fields, confidence: 1, threshold: 0.7, actor: 'ann' });
    };

    it('damaged_item: the reply says what the associate did, whatever the customer asked: a refund, a replacement, or neither yet; and nothing about a label that was skipped', async () => {
      const replyOf = (run: Awaited<ReturnType<typeof start>>) => {
        const reply = run.steps.find((s) => s.stepId === 'reply')!;
        expect(reply.state).toBe('awaiting_verdict');
        return (reply.suggested as { body: string }).body;
      };
      const decide = (run: Awaited<ReturnType<typeof start>>, stepId: string, verdict: 'accepted' | 'skipped') => runner.decide({ runId: run.id, stepId, decisionId: randomUUID(), verdict, ...(verdict === 'skipped' ? { reason: 'not this one' } : {}), actor: 'ann' });

      // The customer asked for nothing in particular; the associate refunds: the reply must not promise a replacement.
      let run = await start('damaged_item', 'T-0013', { order_id: '104908' });
      expect(run.steps.find((s) => s.stepId === 'return_label')!.state).toBe('awaiting_verdict');
      run = await decide(run, 'return_label', 'skipped');
      run = await decide(run, 'replacement', 'skipped');
      expect(run.steps.find((s) => s.stepId === 'refund')!.state).toBe('awaiting_verdict');
      run = await decide(run, 'refund', 'accepted');
      expect(replyOf(run)).toContain('We are sorry your order arrived damaged. We have refunded you for it; the money reaches your account within 5–10 business days.');
      expect(replyOf(run)).not.toMatch(/replacement|label/);
      await decide(run, 'reply', 'skipped');

      // The customer asked for a refund; the associate sends a replacement: the refund step is not offered, the reply says so.
      run = await start('damaged_item', 'T-0013', { order_id: '104908', resolution: 'refund' });
      run = await decide(run, 'return_label', 'skipped');
      run = await decide(run, 'replacement', 'accepted');
      expect(run.steps.find((s) => s.stepId === 'refund')!.state).toBe('skipped');
      expect(replyOf(run)).toContain('We are sorry your order arrived damaged. We are sending you a replacement.');
      expect(replyOf(run)).not.toMatch(/refund/);
      await decide(run, 'reply', 'skipped');

      // Neither yet: the reply promises neither.
      run = await start('damaged_item', 'T-0013', { order_id: '104908', resolution: 'replacement' });
      run = await decide(run, 'return_label', 'skipped');
      run = await decide(run, 'replacement', 'skipped');
      run = await decide(run, 'refund', 'skipped');
      expect(replyOf(run)).toContain('We are sorry your order arrived damaged. We will get back to you shortly about a replacement or a refund.');
    });

    it('refund_request: a refund the associate skips is neither noted in the CRM nor announced to the customer', async () => {
      let run = await start('refund_request', 'T-0184', { order_id: '103862' });
      expect(run.steps.find((s) => s.stepId === 'refund')!.state).toBe('awaiting_verdict');
      run = await runner.decide({ runId: run.id, stepId: 'refund', decisionId: randomUUID(), verdict: 'skipped', reason: 'outside the return window', actor: 'ann' });
      expect(run.steps.find((s) => s.stepId === 'crm_note')!.state).toBe('skipped');
      const reply = run.steps.find((s) => s.stepId === 'reply')!;
      expect(reply.state).toBe('awaiting_verdict');
      expect((reply.suggested as { body: string }).body).toContain('We have looked into your refund request for order 103862 and are not able to refund it.');
      expect((reply.suggested as { body: string }).body).not.toMatch(/We have refunded/);
      expect(sandbox.audit('payments').filter((e) => e.action === 'refund.created')).toEqual([]);
    });

    it('update_account_email: the hostile “CEO” ticket (1220) escalates before the CRM is opened, and no customer’s email changes', async () => {
      const run = await start('update_account_email', 'T-0220', { current_email: 'connor.lavoie@example.net', new_email: 'connor.lavoie@secure-inbox.example.net' });
      expect(run.state).toBe('escalated');
      expect(run.escalation).toBe("The request comes from ceo.office@exec-mail.example.net; the account is connor.lavoie@example.net's: confirm the identity before changing it.");
      expect(run.steps.find((s) => s.stepId === 'edit_crm')!.state).toBe('pending');
      expect(sandbox.audit('crm').filter((e) => e.action === 'customer.updated')).toEqual([]);
    });

    it('change_shipping_address: Orders gets every part of the new address (ticket 1165), not one line that wipes the city, postcode and country', async () => {
      let run = await start('change_shipping_address', 'T-0165', { order_id: '106747', new_address: '8 Marlborough Place, Brighton, BN1 4GH' });
      expect(run.steps.find((s) => s.stepId === 'change_address')!.state).toBe('awaiting_verdict');
      run = await runner.decide({ runId: run.id, stepId: 'change_address', decisionId: randomUUID(), verdict: 'accepted', actor: 'ann' });
      expect(run.steps.find((s) => s.stepId === 'change_address')!.state).toBe('done');
      const changed = sandbox.audit('orders').filter((e) => e.action === 'order.address_changed' && e.target === 'order:106747');
      expect(changed.map((e) => (e.detail as { to: unknown }).to)).toEqual([{ line1: '8 Marlborough Place', city: 'Brighton', postcode: 'BN1 4GH', country: 'GB' }]);
    });

    it('refund_request: in a dry run of the runner too, the simulated refund is noted and announced, and Payments is not called', async () => {
      const t = TICKETS.get('T-0184')!;
      createTicketsRepo(db).upsertMany([{ id: `files:${t.id}`, source: 'files', externalId: t.id, subject: t.subject, body: t.body, requester: t.requester, channel: t.channel, createdAt: 1, contentHash: 'h' }], 1);
      const run = await runner.start({ ticketId: `files:${t.id}`, map: map('refund_request'), fields: { order_id: '103862' }, confidence: 1, threshold: 0.7, actor: 'ann', dryRun: true });
      expect(run.state).toBe('done');
      expect(Object.fromEntries(run.steps.map((s) => [s.stepId, s.state]))).toMatchObject({ refund: 'done', crm_note: 'done', reply: 'done' });
      const reply = run.steps.find((s) => s.stepId === 'reply')!;
      expect((reply.suggested as { body: string }).body).toMatch(/We have refunded [\d,]+\.\d\d USD for order 103862\./);
      expect(sandbox.audit('payments').filter((e) => e.action === 'refund.created')).toEqual([]);
    });

    it('cancel_subscription: handed back by a lead with no subscription (ticket 1164), the run skips the cancel, saying why, and offers the “nothing to cancel” reply', async () => {
      let run = await start('cancel_subscription', 'T-0164', {});
      expect(run.state).toBe('escalated');
      run = await runner.returnToAssociate({ runId: run.id, decisionId: randomUUID(), note: 'They have none: tell them', actor: 'lee' });
      expect(run.state).toBe('waiting');
      const at = (id: string) => run.steps.find((s) => s.stepId === id)!;
      expect(at('nothing_to_cancel').note).toBe('did not hold: skipping to reply');
      expect(at('cancel')).toMatchObject({ state: 'skipped', note: 'skipped by nothing_to_cancel', error: null });
      expect(at('reply').state).toBe('awaiting_verdict');
      expect((at('reply').suggested as { body: string }).body).toContain(
        `We could not find an active subscription under ${TICKETS.get('T-0164')!.requester.email}, so there is nothing to cancel. If you subscribed with another email address, reply with it and we will look again.`,
      );
      expect(sandbox.audit('billing').filter((e) => e.action === 'subscription.cancelled')).toEqual([]);
    });

    it('cancel_subscription: a subscription the associate chose not to cancel is not announced as cancelled', async () => {
      let run = await start('cancel_subscription', 'T-0009', { account_email: 'stevenwilliams@example.com', subscription_id: 'sub_1NltMOc9OqH2R5a1QyxamvhC' });
      expect(run.steps.find((s) => s.stepId === 'cancel')!.state).toBe('awaiting_verdict');
      run = await runner.decide({ runId: run.id, stepId: 'cancel', decisionId: randomUUID(), verdict: 'skipped', reason: 'customer changed their mind', actor: 'ann' });
      const body = (run.steps.find((s) => s.stepId === 'reply')!.suggested as { body: string }).body;
      expect(body).toMatch(/Your \S.* subscription has not been cancelled\. If you still want it cancelled, reply to this email/);
      expect(body).not.toContain('is cancelled');
    });

    it('cancel_subscription: with no active subscription the run escalates and Billing is never asked to cancel', async () => {
      const run = await start('cancel_subscription', 'T-0164', {});
      expect(run.state).toBe('escalated');
      expect(run.escalation).toBe(`No active subscription found for ${TICKETS.get('T-0164')!.requester.email}.`);
      expect(sandbox.audit('billing').filter((e) => e.action === 'subscription.cancelled')).toEqual([]);
    });
  });
});
