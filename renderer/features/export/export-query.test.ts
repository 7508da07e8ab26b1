import { describe, expect, it } from 'vitest';
import { EMPTY_EXPORT, exportCommand, exportProblem, exportUrl } from './export-query.ts';

describe('export query', () => {
  it('turns the filled-in form into the download address and the same command line', () => {
    const form = { ...EMPTY_EXPORT, since: '2026-11-01', until: '2026-11-30', associate: "o'brien ", map: 'refund_request', step: 'refund', verdict: 'edited', redact: true };
    expect(exportUrl(form)).toBe('/api/export?format=csv&since=2026-11-01&until=2026-11-30&associate=o%27brien&map=refund_request&step=refund&verdict=edited&redact=1');
    expect(exportCommand(form)).toBe("tandem export --format csv --since 2026-11-01 --until 2026-11-30 --associate 'o'\\''brien' --map refund_request --step refund --verdict edited --redact --out decisions.csv");
    expect(exportUrl({ ...EMPTY_EXPORT, format: 'jsonl' })).toBe('/api/export?format=jsonl');
  });

  it('says what is wrong before anything is asked of the host', () => {
    expect(exportProblem(EMPTY_EXPORT)).toBeNull();
    expect(exportProblem({ ...EMPTY_EXPORT, since: '2026-12-01', until: '2026-11-01' })).toMatch(/after To/);
    expect(exportProblem({ ...EMPTY_EXPORT, step: 'refund' })).toMatch(/map of that step/);
    expect(exportProblem({ ...EMPTY_EXPORT, since: 'soon' })).toMatch(/From must be a date/);
  });
});
