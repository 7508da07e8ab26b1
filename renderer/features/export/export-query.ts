// The Export dialog's form as a download address (headless host: GET /api/export) and as the equivalent command line.
export interface ExportForm {
  format: 'csv' | 'jsonl';
  /** Dates as the date inputs give them (YYYY-MM-DD), or '' for no bound; until is inclusive. */
  since: string;
  until: string;
  associate: string;
  map: string;
  step: string;
  verdict: string;
  redact: boolean;
}

export const EMPTY_EXPORT: ExportForm = { format: 'csv', since: '', until: '', associate: '', map: '', step: '', verdict: '', redact: false };

/** What is wrong with the form, or null when it can be exported. */
export function exportProblem(form: ExportForm): string | null {
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (form.since && !date.test(form.since)) return 'From must be a date.';
  if (form.until && !date.test(form.until)) return 'To must be a date.';
  if (form.since && form.until && form.since > form.until) return 'From is after To: nothing would match.';
  if (form.step && !form.map) return 'Pick the map of that step.';
  return null;
}

function pairs(form: ExportForm): [string, string][] {
  const out: [string, string][] = [['format', form.format]];
  if (form.since) out.push(['since', form.since]);
  if (form.until) out.push(['until', form.until]);
  if (form.associate.trim()) out.push(['associate', form.associate.trim()]);
  if (form.map) out.push(['map', form.map]);
  if (form.step) out.push(['step', form.step]);
  if (form.verdict) out.push(['verdict', form.verdict]);
  return out;
}

export function exportUrl(form: ExportForm, base = ''): string {
  const q = new URLSearchParams(pairs(form));
  if (form.redact) q.set('redact', '1');
  return `${base}/api/export?${q.toString()}`;
}

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export function exportCommand(form: ExportForm): string {
  const args = pairs(form).flatMap(([k, v]) => [`--${k}`, shellQuote(v)]);
  if (form.redact) args.push('--redact');
  return `tandem export ${args.join(' ')} --out decisions.${form.format}`;
}

/** The form as the desktop app's `export.save` input (dates and filters left out when empty). */
export function exportSaveInput(form: ExportForm) {
  return {
    format: form.format,
    ...(form.since ? { since: form.since } : {}),
    ...(form.until ? { until: form.until } : {}),
    ...(form.associate.trim() ? { associate: form.associate.trim() } : {}),
    ...(form.map ? { map: form.map } : {}),
    ...(form.step ? { step: form.step } : {}),
    ...(form.verdict ? { verdict: form.verdict } : {}),
    ...(form.redact ? { redact: true } : {}),
  };
}
