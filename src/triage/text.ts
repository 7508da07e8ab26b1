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
