// Field extraction from a map's field definitions: a pattern when the map gives one, otherwise by the field's type.
import type { ProcessMapFile } from '../workspace/schema.ts';

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
const MONEY = /(?:[$€£]\s?(\d{1,3}(?:[,.]\d{3})*(?:[.,]\d{2})?|\d+(?:[.,]\d{2})?))|(\d+(?:[.,]\d{2})?)\s?(?:usd|eur|gbp|dollars?|euros?)/i;

export function extractFields(map: ProcessMapFile, text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of map.fields) {
    const value = extractOne(field, text);
    if (value !== undefined) out[field.name] = value;
  }
  return out;
}

function extractOne(field: ProcessMapFile['fields'][number], text: string): unknown {
  if (field.pattern) {
    let re: RegExp;
    try {
      re = new RegExp(field.pattern, 'i');
    } catch {
      return undefined; // the loader reports a bad pattern; extraction just finds nothing
    }
    const m = re.exec(text);
    if (!m) return undefined;
    return (m[1] ?? m[0]).replace(/[\s-]/g, '');
  }
  switch (field.type) {
    case 'email':
      return text.match(EMAIL)?.[0]?.toLowerCase();
    case 'money':
    case 'number': {
      const m = MONEY.exec(text);
      const raw = m?.[1] ?? m?.[2];
      return raw === undefined ? undefined : Number(raw.replace(/,(?=\d{3})/g, '').replace(',', '.'));
    }
    default:
      return undefined;
  }
}
