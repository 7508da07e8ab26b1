import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SMALL_WORKSPACE, tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { runCaptured } from '../testing/cli-io.ts';

describe('tandem triage', () => {
  let ws: ReturnType<typeof tempDir>;
  beforeEach(() => {
    ws = tempDir();
    writeFiles(ws.path, SMALL_WORKSPACE);
  });
  afterEach(() => ws.cleanup());

  const run = (argv: string[]) => runCaptured(argv);

  it('prints one JSON object per ticket with intent, fields, confidence and whether it escalates', async () => {
    const file = join(ws.path, 't.jsonl');
    writeFileSync(file, '{"id":"a","body":"I want a refund for order 104233"}\n\n{"id":"b","text":"zxqv plorth"}\n');
    const r = await run(['triage', file, '--json', '--workspace', ws.path]);
    expect(r.code).toBe(0);
    const [a, b] = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toMatchObject({ id: 'a', intent: 'refund_request', fields: { order_id: '104233' }, escalates: false });
    expect(b).toMatchObject({ id: 'b', escalates: true });
    expect((b!.reasons as string[])[0]).toMatch(/confidence 0% is under 40%/);
    expect(r.err).toBe('2 tickets read, 1 would escalate.\n');
  });

  it('reads CSV with a text column, and names the line of a broken JSONL file', async () => {
    const csv = join(ws.path, 't.csv');
    writeFileSync(csv, 'text,category\n"where is my package, it has not arrived",wismo\n');
    expect((await run(['triage', csv, '--json', '--workspace', ws.path])).out).toContain('"intent":"where_is_my_order"');
    const bad = join(ws.path, 'bad.jsonl');
    writeFileSync(bad, '{"body":"ok"}\nnot json\n');
    const r = await run(['triage', bad, '--workspace', ws.path]);
    expect([r.code, r.err]).toEqual([1, expect.stringContaining(`${bad}:2 is not a JSON object.`) as string]);
    expect((await run(['triage', '--workspace', ws.path])).code).toBe(2);
  });
});
