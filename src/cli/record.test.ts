// tandem steps and tandem import end to end through runCli, on a small workspace.
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app/create-app.ts';
import { openDatabase } from '../store/db.ts';
import { createDecisionsRepo } from '../store/decisions-repo.ts';
import { SMALL_WORKSPACE, tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { runCli } from './main.ts';
import { captureIo } from '../testing/cli-io.ts';
import { acceptReadings } from '../testing/decisions.ts';
import type { Stats } from '../contract/index.ts';

const io = () => captureIo();

const REFUND = `# Refunds\nid: refund_request\nversion: 1\nintent:\n  title: Refund request\n  description: Money back\n  examples: [I want a refund for my order, please refund me]\nfields:\n  - name: order_id\n    type: string\n    pattern: '(\\\\d{6})'\nsteps:\n  - id: tell\n    block: reply   # the answer\n    body: Refunded\n`;

describe('tandem steps and tandem import', () => {
  let data: ReturnType<typeof tempDir>;
  let ws: ReturnType<typeof tempDir>;
  beforeEach(async () => {
    data = tempDir();
    ws = tempDir();
    writeFiles(ws.path, { ...SMALL_WORKSPACE, 'maps/refund.yaml': REFUND });
    const app = createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: 't', user: 'ann' });
    await acceptReadings(app, ['files:A-1']);
    app.close();
  });
  afterEach(() => {
    data.cleanup();
    ws.cleanup();
  });
  const where = () => ['--data-dir', data.path, '--workspace', ws.path];

  it('promotes and demotes a step over maps.setMode, recorded with the reason; refuses the wrong direction', async () => {
    const list = io();
    expect(await runCli(['steps', 'list', ...where()], list.io)).toBe(0);
    expect(list.out()).toMatch(/refund_request \/ tell\s+suggest\s+no verdicts yet/);

    const up = io();
    expect(await runCli(['steps', 'promote', 'refund_request', 'tell', '--to', 'shadow', '--reason', 'collect evidence', ...where()], up.io)).toBe(0);
    expect(up.out()).toMatch(/^refund_request \/ tell: suggest → shadow \(map version 2\), recorded\./);
    expect(readFileSync(join(ws.path, 'maps/refund.yaml'), 'utf8')).toContain('    block: reply   # the answer\n    mode: shadow\n');

    const wrong = io();
    expect(await runCli(['steps', 'promote', 'refund_request', 'tell', '--to', 'suggest', '--reason', 'x', ...where()], wrong.io)).toBe(1);
    expect(wrong.err()).toMatch(/is shadow; suggest would be a demotion\.\n {2}Use tandem steps demote refund_request tell --to suggest\./);

    const noReason = io();
    expect(await runCli(['steps', 'demote', 'refund_request', 'tell', ...where()], noReason.io)).toBe(2);
    expect(noReason.err()).toMatch(/say why with --reason TEXT/);

    const down = io();
    expect(await runCli(['steps', 'demote', 'refund_request', 'tell', '--reason', 'customers complained', '--json', ...where()], down.io)).toBe(0);
    expect(JSON.parse(down.out())).toMatchObject({ previous: 'shadow', mode: 'suggest', version: 3 });
    const db = openDatabase(join(data.path, 'tandem.db'));
    try {
      const rows = db.prepare("SELECT verdict, suggested, final, reason FROM decisions WHERE kind = 'promotion' ORDER BY seq").all() as { verdict: string; reason: string }[];
      expect(rows.map((r) => r.verdict)).toEqual(['promoted', 'demoted']);
      expect(rows[1]!.reason).toMatch(/^customers complained — evidence: /);
    } finally {
      db.close();
    }
  });

  it('imports an export into another database once, and says so the second time', async () => {
    const file = join(data.path, 'ann.jsonl');
    expect(await runCli(['export', '--format', 'jsonl', '--out', file, '--data-dir', data.path], io().io)).toBe(0);
    const lead = tempDir();
    try {
      const first = io();
      expect(await runCli(['import', file, '--data-dir', lead.path], first.io)).toBe(0);
      expect(first.out()).toMatch(/ann\.jsonl: 1 decisions — 1 imported, 0 already here, 1 about tickets not in this database \(kept\)/);
      const again = io();
      expect(await runCli(['import', file, '--data-dir', lead.path], again.io)).toBe(0);
      expect(again.out()).toMatch(/Nothing new: all 1 decisions were already in the record\./);
      const db = openDatabase(join(lead.path, 'tandem.db'));
      try {
        expect(createDecisionsRepo(db).verify()).toMatchObject({ rows: 1, broken: null });
      } finally {
        db.close();
      }
      const missing = io();
      expect(await runCli(['import', join(lead.path, 'nope.csv'), '--data-dir', lead.path], missing.io)).toBe(1);
      expect(missing.err()).toMatch(/nope\.csv does not exist/);
    } finally {
      lead.cleanup();
    }
  });
});

describe('tandem steps revert', () => {
  let data: ReturnType<typeof tempDir>;
  let ws: ReturnType<typeof tempDir>;
  let runId: string;
  beforeEach(async () => {
    data = tempDir();
    ws = tempDir();
    // The reply runs alone: a ticket from a file is answered in Tandem's record only.
    writeFiles(ws.path, { ...SMALL_WORKSPACE, 'maps/refund.yaml': REFUND.replace('    block: reply   # the answer\n', '    block: reply   # the answer\n    mode: auto\n') });
    const app = createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: 't', user: 'ann' });
    await acceptReadings(app, ['files:A-1']);
    runId = String(app.db.prepare("SELECT run_id FROM decisions WHERE kind = 'step' AND verdict = 'auto'").pluck().get());
    app.close();
  });
  afterEach(() => {
    data.cleanup();
    ws.cleanup();
  });
  const where = () => ['--data-dir', data.path, '--workspace', ws.path];

  it('marks an automatic run as reverted with the reason, says the step was demoted, and refuses a second time', async () => {
    const noReason = io();
    expect(await runCli(['steps', 'revert', runId, 'tell', ...where()], noReason.io)).toBe(2);
    expect(noReason.err()).toMatch(/say why with --reason TEXT: what was wrong, and what you undid by hand/);

    const done = io();
    expect(await runCli(['steps', 'revert', runId, 'tell', '--reason', 'sent to the wrong customer; deleted in the helpdesk', '--json', ...where()], done.io)).toBe(0);
    const out = JSON.parse(done.out()) as { runId: string; stepId: string; ticketId: string; reason: string; demoted: string[] };
    expect(out).toMatchObject({ runId, stepId: 'tell', ticketId: 'files:A-1', mapId: 'refund_request', reason: 'sent to the wrong customer; deleted in the helpdesk' });
    expect(out.demoted).toEqual([expect.stringMatching(/^refund_request \/ tell: auto → suggest by Tandem — automatic runs get reverted — evidence: 1 of the last 1 automatic runs went wrong \(0 failed, 1 reverted by hand\)/)]);
    expect(readFileSync(join(ws.path, 'maps/refund.yaml'), 'utf8')).not.toMatch(/mode: auto/);

    const again = io();
    expect(await runCli(['steps', 'revert', runId, 'tell', '--reason', 'again', ...where()], again.io)).toBe(1);
    expect(again.err()).toMatch(new RegExp(`Step "tell" of run ${runId} was already marked as reverted by \\S+ on .*: an automatic run is reverted once\\.\\n {2}The reason recorded: sent to the wrong customer; deleted in the helpdesk\\. Nothing was written\\.`));

    const stats = io();
    expect(await runCli(['stats', ...where()], stats.io)).toBe(0);
    expect(stats.out()).toMatch(/refund_request \/ tell\s+1\s+100\.0%\s+20\.7%\s+0\.0%\s+1\/0\/1 /);
    expect(stats.out()).toMatch(/Reverted automatic runs \(undone by hand\):\n {2}refund_request \/ tell\s+1 of 1 automatic runs: 100\.0% \(at least 20\.7% at 95%\)/);
    const json = io();
    expect(await runCli(['stats', '--json', ...where()], json.io)).toBe(0);
    expect((JSON.parse(json.out()) as Stats).steps[0]).toMatchObject({ autoRuns: 1, autoFailures: 0, autoReverts: 1, autoReverted: { rate: 1 }, mode: 'suggest' }); // the map's mode now: Tandem put it back
    const db = openDatabase(join(data.path, 'tandem.db'));
    try {
      // The CLI records the OS account's name, as tandem steps promote does.
      expect(db.prepare("SELECT actor, reason FROM decisions WHERE kind = 'revert'").all()).toEqual([{ actor: userInfo().username, reason: 'sent to the wrong customer; deleted in the helpdesk' }]);
      expect(createDecisionsRepo(db).verify().broken).toBeNull();
    } finally {
      db.close();
    }
    const verify = io();
    expect(await runCli(['log', 'verify', '--data-dir', data.path], verify.io)).toBe(0);

    const wrongStep = io();
    expect(await runCli(['steps', 'revert', 'no-such-run', 'tell', '--reason', 'x', ...where()], wrongStep.io)).toBe(1);
    expect(wrongStep.err()).toMatch(/There is no run no-such-run\./);
  });
});
