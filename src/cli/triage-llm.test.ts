// `tandem triage` with an LLM: the test server through the real SDK, JSON output with the model's extras, the bar on a TTY.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAiServer, type OpenAiServer } from '../testing/openai-server.ts';
import { SMALL_WORKSPACE, tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { forgetOutputFormats } from '../triage/llm/llm-reader.ts';
import { runCaptured } from '../testing/cli-io.ts';

const ANSWER = JSON.stringify({
  intents: ['refund_request', 'where_is_my_order'],
  confidence: 0.88,
  rationale: 'Wants money back and asks where the parcel is.',
  language: 'en',
  urgency: 'high',
  sentiment: 'negative',
  fields: { order_id: { value: '104233', source: 'order 104233' } },
});

describe('tandem triage with an LLM', () => {
  let ws: ReturnType<typeof tempDir>;
  let server: OpenAiServer;
  beforeEach(() => {
    forgetOutputFormats();
    ws = tempDir();
    writeFiles(ws.path, { ...SMALL_WORKSPACE, 'tandem.yaml': { name: 'Test team', triage: { escalate_below: 0.4, llm: { base_url: 'http://127.0.0.1:9/v1', model: 'from-yaml', cascade_above: 1, timeout_ms: 1000 } } } });
  });
  afterEach(async () => {
    await server?.close();
    ws.cleanup();
  });

  const run = (argv: string[], tty = false) => runCaptured(argv, { tty });

  it('reads through the server named on the command line, printing intents, sources, language and usage', async () => {
    server = await startOpenAiServer({ script: () => ({ kind: 'reply', content: ANSWER, promptTokens: 500, completionTokens: 80 }) });
    const file = join(ws.path, 't.jsonl');
    writeFileSync(file, '{"id":"a","body":"I want a refund for order 104233 and where is it anyway?"}\n{"id":"b","body":"where is my package"}\n');
    const r = await run(['triage', file, '--json', '--workspace', ws.path, '--llm-base-url', server.baseUrl]);
    expect(r.code).toBe(0);
    const [a, b] = r.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toMatchObject({ id: 'a', intents: ['refund_request', 'where_is_my_order'], intent: 'refund_request', fields: { order_id: '104233' }, sources: { order_id: 'order 104233' }, language: 'en', urgency: 'high', usage: { promptTokens: 500, completionTokens: 80, calls: 1 } });
    expect(a!.model).toMatch(/^llm:from-yaml@127\.0\.0\.1:/);
    expect(b!.id).toBe('b');
    expect(server.requests.map((q) => q.body.model)).toEqual(['from-yaml', 'from-yaml']);
    expect(r.err).toMatch(/2 tickets read, \d would escalate; the LLM read 2 \(1160 tokens, cost 0\.0000\)\./);
  });

  it('draws a progress bar on a terminal, and keeps the local reading when the server stays down', async () => {
    server = await startOpenAiServer({ script: () => ({ kind: 'status', status: 500 }) });
    const file = join(ws.path, 't.jsonl');
    writeFileSync(file, '{"id":"a","body":"I want a refund for order 104233"}\n');
    const r = await run(['triage', file, '--json', '--workspace', ws.path, '--llm-base-url', server.baseUrl], true);
    expect(r.err).toContain('[------------------------------] 0/1 triaged');
    expect(r.err).toContain('[##############################] 1/1 triaged');
    const [a] = r.out.trim().split('\n').map((l) => JSON.parse(l) as { model: string; notices: string[] });
    expect(a!.model).not.toMatch(/^llm:/);
    expect(a!.notices.join(' ')).toMatch(/Local reading only: .*failing \(500\)/);
    expect(server.requests.length).toBe(4);
  }, 20_000);

  it('with --local never calls the model', async () => {
    server = await startOpenAiServer({ script: () => ({ kind: 'reply', content: ANSWER }) });
    const file = join(ws.path, 't.jsonl');
    writeFileSync(file, '{"id":"a","body":"I want a refund for order 104233"}\n');
    const r = await run(['triage', file, '--workspace', ws.path, '--llm-base-url', server.baseUrl, '--local']);
    expect(r.code).toBe(0);
    expect(server.requests).toHaveLength(0);
  });
});
