// Text features for the local model: normalised word tokens, light stemming, and character n-grams that survive typos.

const STOPWORDS = new Set(
  'a an the and or but if of to in on at for from by with is are was were be been am i me my we our you your it its this that these those have has had do does did not no so as can could would should will just please hi hello thanks thank regards dear there here what when where which who how'.split(
    ' ',
  ),
);

export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w) && !/^\d+$/.test(w));
}

/** A deliberately small stemmer: enough to join refund/refunded/refunds without a dictionary. */
export function stem(word: string): string {
  for (const suffix of ['ations', 'ation', 'ings', 'ing', 'edly', 'ed', 'ies', 'es', 's', 'ly']) {
    if (word.length - suffix.length >= 4 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}

export function features(text: string): string[] {
  const stems = words(text).map(stem);
  const out: string[] = [];
  for (let i = 0; i < stems.length; i++) {
    const w = stems[i]!;
    out.push(`w:${w}`);
    if (i + 1 < stems.length) out.push(`b:${w}_${stems[i + 1]}`);
    if (w.length >= 5) {
      const padded = `<${w}>`;
      for (let j = 0; j + 4 <= padded.length; j++) out.push(`c:${padded.slice(j, j + 4)}`);
    }
  }
  return out;
}

/** Lower-case word tokens with accents folded and digit runs collapsed to "0"; stop words kept (they carry intent). */
export function modelTokens(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/['’]/g, '')
    .replace(/\d+/g, '0')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/**
 * The local model's terms in two blocks: words (stems and stem bigrams) and characters (2- to 5-grams inside each
 * padded word, so a typo still shares most of its grams with the right word). Each block is weighted on its own.
 */
export function modelTerms(text: string): { words: string[]; chars: string[] } {
  const tokens = modelTokens(text);
  const words: string[] = [];
  const chars: string[] = [];
  let prev = '<s>';
  for (const tok of tokens) {
    const s = stem(tok);
    words.push(s);
    words.push(`${prev} ${s}`);
    prev = s;
    const padded = ` ${tok} `;
    for (let n = 2; n <= 5; n++) for (let j = 0; j + n <= padded.length; j++) chars.push(padded.slice(j, j + n));
  }
  if (tokens.length > 0) words.push(`${prev} </s>`);
  return { words, chars };
}

/** Content words (no stop words, no numbers), stemmed: what "have we seen words like these" is judged on. */
export function contentStems(text: string): string[] {
  return words(text).map(stem);
}

/** Blanks a span with spaces (newlines kept), so offsets into the text stay true for the evidence of a field. */
function blank(s: string): string {
  return s.replace(/[^\n]/g, ' ');
}

const INJECTION =
  /\b(?:ignore|disregard|forget)\b[^.\n]{0,30}\b(?:previous|prior|above|earlier|all|your)\b[^.\n]{0,20}\b(?:instructions?|rules|prompt)|\byou are now\b|\b(?:note|message|instructions?) (?:to|for) the (?:ai|assistant|model|bot|llm|system)\b|\bsystem prompt\b|\b(?:maintenance|developer|admin|god) mode\b|\bdo not (?:mention|tell|inform)\b[^.\n]{0,30}\b(?:agent|human|anyone|staff)/i;
const AGENT_NOTE = /\[(?:internal|agent|staff|system)[^\]\n]{0,40}\]|\binternal note\b|\bagent note\b/i;

/**
 * The part of a ticket a customer can legitimately ask with: HTML comments, scripts and tags, code blocks, quoted
 * replies (which a customer can forge), notes posing as staff, markdown images and link targets, and any paragraph
 * from an instruction to the machine ("ignore your previous instructions…") onwards are blanked out. The result has
 * the same length as the input, so a field's offset points at the same characters in the original.
 */
export function legitimateText(text: string): string {
  let t = text
    .replace(/<!--[\s\S]*?(?:-->|$)/g, blank)
    .replace(/<(script|style|iframe)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, blank)
    .replace(/<\/?[a-z][^>]*>/gi, blank)
    .replace(/```[\s\S]*?(?:```|$)/g, blank)
    .replace(/!\[[^\]\n]*\]\([^)\n]*\)/g, blank)
    .replace(/\[([^\]\n]*)\]\(([^)\n]*)\)/g, (_m, label: string, url: string) => ` ${label}  ${blank(url)} `)
    .replace(/^[ \t]*>.*$/gm, blank);
  // A block between --- rules, or a paragraph, that poses as a note from staff is not the customer's ask.
  t = t.replace(/^-{3,}[ \t]*\n[\s\S]*?(?:\n-{3,}[ \t]*$|$(?![\s\S]))/gm, (block) => (AGENT_NOTE.test(block) ? blank(block) : block));
  const paragraphs = t.split(/(\n[ \t]*\n)/);
  return paragraphs
    .map((p) => {
      if (AGENT_NOTE.test(p)) return blank(p);
      const m = INJECTION.exec(p);
      if (!m) return p;
      // From the start of the sentence holding the instruction to the end of its paragraph.
      const start = Math.max(p.lastIndexOf('.', m.index) + 1, p.lastIndexOf('\n', m.index) + 1, 0);
      return p.slice(0, start) + blank(p.slice(start));
    })
    .join('');
}
