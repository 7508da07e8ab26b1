// Kills Tandem at every boundary of the refund map's steps and proves that, after a restart, nothing is lost
// and no side effect happens twice: the payments, CRM and helpdesk audits each show exactly one change.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../resources/sandbox/index.ts';
import { createApp } from '../src/app/create-app.ts';
import { chromiumPath, createBrowserPort } from '../src/app/browser-port.ts';
import { startDemoSandbox } from '../src/demo/start-demo.ts';
import { createMemoryStore } from '../src/vault/secret-store.ts';
import { loadWorkspace } from '../src/workspace/load.ts';
import type { Run } from '../src/domain/run.ts';
import { ROOT } from './harness.ts';

const WORKSPACE = join(ROOT, 'resources', 'demo-workspace');
const TICKET = '1001';
const BOUNDARIES = [
  'find_order:call-returned',
  'refund:running-written',
  'refund:call-returned',
  'refund:done-written',
  'crm_note:running-written',
  'crm_note:call-returned',
  'crm_note:done-written',
  'reply:running-written',
  'reply:call-returned',
  'reply:done-written',
];

describe('a killed process loses nothing and repeats nothing', () => {
  let sandbox: Sandbox;
  let attach: string;

  beforeAll(async () => {
    expect(chromiumPath()).not.toBeNull();
  });
  afterAll(async () => sandbox?.stop());

  // Async on purpose: the sandbox answers from this process, so it must not be blocked while Tandem runs.
  const tandem = (args: string[], dataDir: string, env: Record<string, string> = {}) =>
    new Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'tandem.js'), ...args, '--data-dir', dataDir, '--workspace', WORKSPACE], {
        env: { ...process.env, TANDEM_SANDBOX: attach, ...env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (status, signal) => resolve({ status, signal, stdout, stderr }));
    });

  it.each(BOUNDARIES)('killed at %s', async (boundary) => {
    await sandbox?.stop();
    sandbox = await startSandbox({ slowMs: 0, sessionExpiryEvery: 0 });
    attach = JSON.stringify(sandbox.systems);
    const dataDir = mkdtempSync(join(tmpdir(), 'tandem-crash-'));
    try {
      // 1. The associate runs the refund map; the process dies at the boundary, as in a power cut.
      const killed = await tandem(['run', 'refund_request', '--ticket', TICKET], dataDir, { TANDEM_FAILPOINT: boundary });
      expect(killed.signal, killed.stderr).toBe('SIGKILL');

      // 2. The next start of any host resumes unfinished runs.
      const resumed = await tandem(['runs', 'resume', '--json'], dataDir);
      expect(resumed.status, resumed.stderr).toBe(0);

      // 3. The associate opens the ticket again: uncertain steps are checked in the system, then marked or run again.
      const vault = createMemoryStore(null);
      const workspace = loadWorkspace(WORKSPACE);
      const demo = await startDemoSandbox(workspace, vault, undefined, sandbox.systems);
      const browser = createBrowserPort(workspace, demo!.addresses, vault, dataDir, chromiumPath()!);
      const app = createApp({ dataDir, workspaceDir: WORKSPACE, host: 'headless', version: 't', user: 'ann', vault, sandbox: demo!.addresses, browser });
      try {
        let run = (await app.invoke('runs.list', {})).ok ? ((await app.invoke('runs.list', {})) as { value: Run[] }).value[0]! : undefined;
        expect(run).toBeDefined();
        const happened: Record<string, () => boolean> = {
          crm_note: () => sandbox.audit('crm').some((e) => e.action === 'customer.note_added'),
          reply: () => sandbox.audit('helpdesk').some((e) => e.action === 'ticket.reply'),
          refund: () => sandbox.audit('payments').length > 0,
        };
        for (let guard = 0; guard < 20 && run!.state !== 'done'; guard++) {
          const step = run!.steps.find((s) => ['awaiting_verdict', 'uncertain'].includes(s.state));
          expect(step, JSON.stringify(run)).toBeDefined();
          const verdict = step!.state === 'uncertain' && happened[step!.stepId]!() ? 'manual' : 'accepted';
          const r = await app.invoke('runs.decide', { runId: run!.id, stepId: step!.stepId, decisionId: randomUUID(), verdict });
          if (!r.ok) throw new Error(r.error.message);
          run = r.value as Run;
        }
        expect(run!.state).toBe('done');

        // Exactly once, in every system.
        expect(sandbox.audit('payments').filter((e) => e.action === 'refund.created')).toHaveLength(1);
        expect(sandbox.audit('crm').filter((e) => e.action === 'customer.note_added')).toHaveLength(1);
        expect(sandbox.audit('helpdesk').filter((e) => e.action === 'ticket.reply')).toHaveLength(1);
        // One recorded verdict per step that changes something, none lost and none doubled.
        const rows = app.db.prepare("SELECT step_id, count(*) AS n FROM decisions WHERE kind = 'step' GROUP BY step_id ORDER BY step_id").all();
        expect(rows).toEqual([
          { step_id: 'crm_note', n: 1 },
          { step_id: 'refund', n: 1 },
          { step_id: 'reply', n: 1 },
        ]);
      } finally {
        await browser.close();
        app.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
