// A stand-in model for demos and end-to-end tests: answers Tandem's triage prompt by simple keyword rules on the fenced
// ticket, in the schema the request asks for. It is not a language model and makes no claim to accuracy.
import type { Behaviour, ChatRequest } from './openai-server.ts';

const RULES: [RegExp, string][] = [
  [/\b(cancel|kündig|unsubscribe|membership|subscription)/i, 'cancel_subscription'],
  [/\b(broken|damaged|cracked|shattered|arrived broken)/i, 'damaged_item'],
  [/\b(change|update)\b.*\b(e-?mail)\b/i, 'update_account_email'],
  [/\b(change|update|wrong)\b.*\b(address|ship(ping)? to)\b/i, 'change_shipping_address'],
  [/\b(refund|money back|reimburs|reembolso|remboursé|geld zurück)/i, 'refund_request'],
  [/\b(where is|hasn'?t arrived|not arrived|tracking|late|still waiting)/i, 'where_is_my_order'],
];

export function demoModelAnswer(req: ChatRequest): Behaviour {
  const user = req.messages.at(-1)?.content ?? '';
  const fence = /<(ticket-[0-9a-f]+)>\n([\s\S]*)\n<\/\1>/.exec(user);
  const text = fence?.[2] ?? user;
  const schema = (req.response_format?.json_schema?.schema ?? schemaFromPrompt(req)) as { properties?: { intents?: { items?: { enum?: string[] } }; fields?: { properties?: Record<string, unknown> } } } | null;
  const intents = schema?.properties?.intents?.items?.enum ?? ['other'];
  const fieldNames = Object.keys(schema?.properties?.fields?.properties ?? {});
  const hits = RULES.filter(([re, intent]) => re.test(text) && intents.includes(intent)).map(([, i]) => i);
  const chosen = hits.length ? [...new Set(hits)] : [intents.includes('other') ? 'other' : intents[0]!];
  const fields: Record<string, { value: string; source: string } | null> = Object.fromEntries(fieldNames.map((f) => [f, null]));
  const order = /((?:order|bestellung|pedido|commande|#)\D{0,12})(\d{6})\b/i.exec(text);
  if (order && 'order_id' in fields) fields.order_id = { value: order[2]!, source: `${order[1]}${order[2]}` };
  const emails = text.match(/[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi) ?? [];
  if (chosen[0] === 'update_account_email' && emails.length >= 2) {
    if ('current_email' in fields) fields.current_email = { value: emails[0]!, source: emails[0]! };
    if ('new_email' in fields) fields.new_email = { value: emails[1]!, source: emails[1]! };
  }
  const content = JSON.stringify({
    intents: chosen,
    confidence: hits.length === 1 ? 0.9 : hits.length > 1 ? 0.6 : 0.3,
    rationale: hits.length ? `Keyword reading (demo model): ${chosen.join(', ')}.` : 'Demo model: no keyword matched.',
    language: /[äöüß]|\b(bitte|ich)\b/i.test(text) ? 'de' : 'en',
    urgency: /\burgent|asap|immediately\b/i.test(text) ? 'high' : 'normal',
    sentiment: /\b(angry|terrible|unacceptable|broken)\b/i.test(text) ? 'negative' : 'neutral',
    fields,
  });
  return { kind: 'reply', content };
}

/** In JSON mode the schema travels in the system prompt. */
function schemaFromPrompt(req: ChatRequest): unknown {
  const system = req.messages[0]?.content ?? '';
  const at = system.indexOf('must match this JSON schema:\n');
  if (at < 0) return null;
  try {
    return JSON.parse(system.slice(at + 'must match this JSON schema:\n'.length).split('\n')[0]!);
  } catch {
    return null;
  }
}
