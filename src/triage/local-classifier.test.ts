import { describe, expect, it } from 'vitest';
import { loadWorkspace } from '../workspace/load.ts';
import { demoWorkspaceDir } from '../app/paths.ts';
import { LocalClassifier } from './local-classifier.ts';
import { createLocalTriager } from './local-triage.ts';

const examples = [
  { intent: 'refund', text: 'I want a refund for my order' },
  { intent: 'refund', text: 'give me my money back' },
  { intent: 'wismo', text: 'where is my order' },
  { intent: 'wismo', text: 'my parcel has not arrived yet' },
  { intent: 'other', text: 'do you sell gift cards' },
];

describe('LocalClassifier', () => {
  const model = new LocalClassifier(examples);

  it('recognises phrasings it was not given, typos included', () => {
    expect(model.predict('Hi, could I get a refund please? The order was wrong').intent).toBe('refund');
    expect(model.predict('the parcell still hasnt arrived!!').intent).toBe('wismo');
  });

  it('gives a confidence between 0 and 1 and a ranking that sums to at most 1', () => {
    const p = model.predict('refund my order');
    expect(p.intent).toBe('refund');
    // Five examples leave no room to calibrate, so the claim is only a clear lead over the runner-up.
    expect(p.confidence).toBeGreaterThan(p.ranking[1]!.score + 0.1);
    expect(p.confidence).toBeLessThanOrEqual(1);
    const total = p.ranking.reduce((a, r) => a + r.score, 0);
    expect(total).toBeLessThanOrEqual(1.001);
    expect(p.ranking[0]!.intent).toBe(p.intent);
  });

  it('is not confident about text unlike every example', () => {
    const p = model.predict('zxqv plorth wibble', 'other');
    expect(p.confidence).toBe(0);
    expect(p.intent).toBe('other');
    expect(p.nearest).toBeNull();
  });
});

describe('LocalClassifier training', () => {
  const many = [
    ...['card has not arrived', 'still waiting for my card', 'when does my new card come', 'card delivery is late', 'my card never came in the post', 'how long until the card arrives'].map((text) => ({ intent: 'card', text })),
    ...['forgot my pin', 'reset my pin', 'pin blocked after tries', 'change my pin code', 'where do i see my pin', 'my pin does not work'].map((text) => ({ intent: 'pin', text })),
    ...['exchange rate for euros', 'what rate do you use', 'is the currency rate fair', 'dollar to pound rate today', 'why is the exchange rate bad', 'rate applied to my transfer'].map((text) => ({ intent: 'rate', text })),
  ];

  it('is reproducible: the same examples give the same model, other examples another fingerprint', () => {
    const a = new LocalClassifier(many);
    const b = new LocalClassifier(many);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(b.temperature).toBe(a.temperature);
    for (const text of ['my card is late', 'pin reset please', 'bad exchange rate']) expect(b.predict(text)).toEqual(a.predict(text));
    expect(new LocalClassifier([...many, { intent: 'pin', text: 'new pin' }]).fingerprint).not.toBe(a.fingerprint);
  });

  it('fits its temperature on held-out examples and reads new phrasings', () => {
    const m = new LocalClassifier(many);
    expect(m.temperature).not.toBe(1);
    expect(m.predict('the card still has not arrived').intent).toBe('card');
    expect(m.predict('i need to reset the pin').intent).toBe('pin');
    expect(m.predict('which exchange rate applies').intent).toBe('rate');
  });
});

describe('local triage on the demo maps', () => {
  const ws = loadWorkspace(demoWorkspaceDir());
  const triager = createLocalTriager(ws.maps, ws.mapsVersion);
  const ticket = (subject: string, body: string) => ({
    id: 't',
    source: 's',
    externalId: 'e',
    subject,
    body,
    requester: { name: 'N', email: 'n@example.com' },
    channel: 'email' as const,
    createdAt: 0,
    state: 'new' as const,
  });

  it('reads intent, fields and a rationale that names its evidence', () => {
    const t = triager.triage(ticket('Refund', 'Please refund $45.50 on order #104-233, the lamp was not as described.'), 1);
    expect(t.intent).toBe('refund_request');
    expect(t.fields).toEqual({ order_id: '104233', amount: 45.5 });
    expect(t.rationale).toMatch(/Refund request/);
  });

  it('keys its cache on content, maps and model', () => {
    const a = ticket('Where is it', 'my package has not arrived');
    expect(triager.inputHash(a)).toBe(triager.inputHash({ ...a }));
    expect(triager.inputHash(a)).not.toBe(triager.inputHash({ ...a, body: 'my package has arrived broken' }));
    expect(createLocalTriager(ws.maps, 'other-version').inputHash(a)).not.toBe(triager.inputHash(a));
  });
});
