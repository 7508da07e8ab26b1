// Finds the parts of a ticket that address the machine rather than ask for something: instructions to an AI, fake
// system or agent notes, hidden markup, tool calls and JSON shaped like Tandem's own output. A model's reading may
// not take a field from them, and a ticket that has them never skips the person.
export interface SuspiciousSpan {
  start: number;
  end: number;
  why: string;
}

interface Rule {
  re: RegExp;
  why: string;
}

// An instruction runs to the end of its line (a subject line is joined to the body by one newline, so never further).
const PARAGRAPH_END = String.raw`[^\n]*`;
const RULES: Rule[] = [
  { re: /<!--[\s\S]*?(?:-->|$)/g, why: 'an HTML comment' },
  { re: /<(script|iframe|style|object|embed)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, why: 'embedded script or frame markup' },
  { re: /<[a-z][^>]*\bon[a-z]+\s*=[^>]*>/gi, why: 'markup with an event handler' },
  { re: /```[\s\S]*?(?:```|$)/g, why: 'a code block (e.g. a fake tool call)' },
  { re: /!\[[^\]]*\]\([^)]*\)/g, why: 'an embedded image (tracking pixel)' },
  { re: /\{[^{}]*"(?:intent|confidence|approved|requires_human|fields|amount|skip_approval)"\s*:[^{}]*(?:\{[^{}]*\}[^{}]*)*\}/gi, why: 'JSON shaped like a triage answer' },
  {
    re: new RegExp(String.raw`(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:your\s+|the\s+)?(?:previous|prior|above|earlier)\s+(?:instructions|rules|prompts?)` + PARAGRAPH_END, 'gi'),
    why: 'an instruction to ignore previous instructions',
  },
  { re: new RegExp(String.raw`ignoriere\s+(?:alle\s+)?(?:vorherigen|bisherigen)\s+anweisungen` + PARAGRAPH_END, 'gi'), why: 'an instruction to ignore previous instructions' },
  { re: new RegExp(String.raw`ignora\s+(?:todas\s+)?las\s+instrucciones\s+anteriores` + PARAGRAPH_END, 'gi'), why: 'an instruction to ignore previous instructions' },
  { re: new RegExp(String.raw`ignore[zr]?\s+(?:toutes\s+)?les\s+instructions\s+pr[ée]c[ée]dentes` + PARAGRAPH_END, 'gi'), why: 'an instruction to ignore previous instructions' },
  { re: new RegExp(String.raw`(?:^|\n)\s*(?:SYSTEM|ASSISTANT|DEVELOPER)\s*:` + PARAGRAPH_END, 'g'), why: 'a fake system message' },
  { re: new RegExp(String.raw`\b(?:note|message|instructions?)\s+(?:to|for)\s+(?:the\s+)?(?:AI|assistant|model|bot|LLM)\b` + PARAGRAPH_END, 'gi'), why: 'a note addressed to the AI' },
  { re: new RegExp(String.raw`\b(?:AI|assistant|model)\s*:\s*this\s+customer` + PARAGRAPH_END, 'gi'), why: 'a note addressed to the AI' },
  { re: new RegExp(String.raw`\[\s*(?:agent|internal|staff|system)\s+note\b[\s\S]*?(?:\]|(?=\n\s*\n)|$)`, 'gi'), why: 'a fake internal note' },
  { re: /-{3,}\s*\n\s*\[Internal note[\s\S]*?(?:\n-{3,}|$)/gi, why: 'a fake internal note' },
  { re: new RegExp(String.raw`\byou are now\b` + PARAGRAPH_END, 'gi'), why: 'an attempt to change the assistant’s role' },
  { re: new RegExp(String.raw`\b(?:you are DAN|stay in character|no rules)\b` + PARAGRAPH_END, 'gi'), why: 'a role-play jailbreak' },
  { re: new RegExp(String.raw`\b(?:print|reveal|show|repeat)\s+(?:me\s+)?(?:your\s+)?(?:full\s+)?(?:system\s+prompt|instructions|api\s*key)` + PARAGRAPH_END, 'gi'), why: 'an attempt to extract the prompt or credentials' },
  { re: new RegExp(String.raw`\b(?:bypass_policy|skip_approval|auto-approve|without\s+(?:supervisor|human|a human)\s+review|policy check is disabled|approval is not required)` + PARAGRAPH_END, 'gi'), why: 'an attempt to skip approval' },
];

export function findSuspiciousSpans(text: string): SuspiciousSpan[] {
  const spans: SuspiciousSpan[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (const m of text.matchAll(rule.re)) {
      if (m[0].length === 0) continue;
      spans.push({ start: m.index, end: m.index + m[0].length, why: rule.why });
    }
  }
  return merge(spans.sort((a, b) => a.start - b.start));
}

/** The ticket with every suspicious span blanked out: what a person would call the customer's actual words. */
export function legitimateText(text: string, spans: readonly SuspiciousSpan[] = findSuspiciousSpans(text)): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + ' ';
    at = s.end;
  }
  return out + text.slice(at);
}

function merge(spans: SuspiciousSpan[]): SuspiciousSpan[] {
  const out: SuspiciousSpan[] = [];
  for (const s of spans) {
    const last = out.at(-1);
    if (last && s.start <= last.end) {
      last.end = Math.max(last.end, s.end);
      if (!last.why.includes(s.why)) last.why += `; ${s.why}`;
    } else out.push({ ...s });
  }
  return out;
}
