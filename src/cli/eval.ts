// `tandem eval`: measures triage on a labelled set, a workspace's demo split or a plain text,category CSV pair.
import { resolve } from 'node:path';
import { evaluateCsv, evaluateWorkspace, readTextCategoryCsv, suggestThreshold, type EvalReport, type EvalResult } from '../triage/eval.ts';
import { parse, UsageError, write, type CliIo } from './args.ts';
import { locations } from './context.ts';

export const help = `tandem eval --split NAME [--workspace DIR] [--json]
tandem eval --train FILE --test FILE [--escalate-below N] [--json]

Measures triage (the local model) on a labelled set and prints intent accuracy, macro-F1, accuracy on the tickets it
did not escalate, escalation rate, out-of-scope recall, field exact match, calibration (expected calibration error),
tokens and cost, and training and per-ticket time.

  --split NAME          a workspace split: tickets/NAME.yaml labelled by tickets/labels/NAME.yaml. The model learns
                        from the maps' example phrases plus the labelled train split (standing in for decisions);
                        --split train is read by 5-fold cross-validation and also suggests an escalation threshold.
  --no-experience       learn from the maps' example phrases only
  --train FILE          a CSV of text,category rows the model is trained on (alone)
  --test FILE           a CSV of text,category rows to measure; a category absent from --train is out-of-scope and
                        counts as right only if the ticket escalates
  --escalate-below N    escalation threshold (default: the workspace's triage.escalate_below, or 0.5 for CSVs)
  --json                one JSON object with every figure`;

export async function evalCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parse(args, {
    split: { type: 'string' },
    train: { type: 'string' },
    test: { type: 'string' },
    'escalate-below': { type: 'string' },
    'no-experience': { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  let threshold: number | undefined;
  if (values['escalate-below'] !== undefined) {
    threshold = Number(values['escalate-below']);
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1) throw new UsageError('--escalate-below takes a number from 0 to 1, e.g. 0.45');
  }
  const opts = threshold === undefined ? {} : { threshold };
  let result: EvalResult;
  let set: string;
  let suggestion: ReturnType<typeof suggestThreshold> = null;
  if (values.train !== undefined || values.test !== undefined) {
    if (values.split !== undefined) throw new UsageError('give either --split or --train and --test, not both');
    if (!values.train || !values.test) throw new UsageError('--train and --test go together: tandem eval --train train.csv --test test.csv');
    result = evaluateCsv(readTextCategoryCsv(resolve(values.train)), readTextCategoryCsv(resolve(values.test)), opts);
    set = `${values.test} (trained on ${values.train})`;
  } else {
    if (!values.split) throw new UsageError('name what to measure: --split test (a workspace split) or --train FILE --test FILE');
    const { workspaceDir } = locations(values, io.env);
    result = evaluateWorkspace(workspaceDir, values.split, { ...opts, experienceSplit: values['no-experience'] ? null : 'train' });
    set = `${workspaceDir} split ${values.split}${values['no-experience'] ? ' (maps’ phrases only)' : ''}`;
    if (values.split === 'train' && !values['no-experience']) suggestion = suggestThreshold(result.outcomes);
  }
  if (values.json) {
    write(io.stdout, JSON.stringify({ set, ...result.report, ...(suggestion ? { suggestedEscalateBelow: suggestion.threshold } : {}) }));
  } else {
    write(io.stdout, table(set, result.report));
    if (suggestion) {
      write(
        io.stdout,
        `\nSuggested triage.escalate_below: ${suggestion.threshold} (cross-validated on this split: ${pct(suggestion.nonEscalatedAccuracy)} right when kept, ` +
          `${pct(suggestion.escalationRate)} escalated${suggestion.meetsTarget ? '' : '; the best within 20% escalation, short of 90%'})`,
      );
    }
  }
  return 0;
}

function pct(n: number | null): string {
  return n === null ? '—' : `${(n * 100).toFixed(1)}%`;
}

export function table(set: string, r: EvalReport): string {
  const rows: [string, string][] = [
    ['Set', set],
    ['Model', r.model],
    ['Tickets', String(r.cases)],
    ['Intent accuracy', pct(r.accuracy)],
    ['  any labelled intent', pct(r.anyIntentAccuracy)],
    ['Macro-F1', pct(r.macroF1)],
    ['Accuracy when not escalated', pct(r.nonEscalatedAccuracy)],
    ['Escalation rate', `${pct(r.escalationRate)}${r.threshold === null ? '' : ` (below ${r.threshold})`}`],
    ['Out-of-scope recall', r.oosCases === 0 ? '— (no out-of-scope tickets)' : `${pct(r.oosRecall)} of ${r.oosCases}`],
    ['Calibration error (ECE)', r.ece.toFixed(3)],
    ['Field exact match', r.fieldExactMatch === null ? '— (no field labels)' : `${pct(r.fieldExactMatch)} of ${r.fieldsCompared}`],
    ...Object.entries(r.perField).map(([name, f]): [string, string] => [`  ${name}`, `${f.matched}/${f.compared}`]),
    ['Tokens / cost', `${r.tokens} / $${r.costUsd.toFixed(4)}`],
    ['Training', `${Math.round(r.trainMs)} ms`],
    ['Per ticket', `${r.msPerTicket.toFixed(2)} ms`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
