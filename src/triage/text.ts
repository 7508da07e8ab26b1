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
