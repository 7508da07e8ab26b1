// The decisioning record's hash chain: intact after ordinary use, broken at the exact row someone changed or removed.
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/main.ts';
import { tempDir } from '../testing/temp-dirs.ts';
import { openDatabase, type Db } from './db.ts';
import { createDecisionsRepo, decisionHash, type DecisionRow } from './decisions-repo.ts';

describe('decision hash chain', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(`${dir.path}/tandem.db`);
    db.prepare("INSERT INTO tickets (id, source, external_id, subject, body, requester_name, requester_email, channel, created_at, content_hash, imported_at) VALUES ('w:1', 'w', '1', 's', 'b', 'n', 'e@x.org', 'email', 1, 'h', 2)").run();
    const repo = createDecisionsRepo(db);
    for (let i = 0; i < 5; i++) {
      repo.insert({ id: randomUUID(), ticketId: 'w:1', kind: 'escalation', triageId: null, runId: null, stepId: null, mapId: null, mapVersion: null, actor: `a${i}`, decidedAt: 1000 + i, suggested: '"x"', final: '"y"', verdict: 'returned', confidence: 1, reason: `note ${i}`, decisionMs: null });
    }
  });
  afterEach(() => {
    db.close();
    dir.cleanup();
  });

  // Tampering needs the append-only guard out of the way: exactly what someone editing the file by hand would do.
  const tamper = (sql: string) => db.exec(`DROP TRIGGER decisions_no_update; DROP TRIGGER decisions_no_delete; ${sql}`);

  const verifyCli = async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const code = await runCli(['log', 'verify', '--data-dir', dir.path], { stdout: out, stderr: new PassThrough(), env: {}, stopSignal: new Promise(() => {}) });
    return { code, text };
  };

  it('checks out after ordinary appends', async () => {
    expect(createDecisionsRepo(db).verify()).toEqual({ rows: 5, chained: 5, broken: null });
    expect(await verifyCli()).toEqual({ code: 0, text: 'OK: 5 decisions, 5 in the hash chain, none changed, removed or reordered.\n' });
  });

  it('names the first row whose content was changed', async () => {
    tamper("UPDATE decisions SET reason = 'rewritten' WHERE seq = 3");
    expect(createDecisionsRepo(db).verify().broken).toEqual({ seq: 3, id: expect.any(String) as string, why: 'its content no longer matches its hash (it was changed)' });
    const { code, text } = await verifyCli();
    expect(code).toBe(1);
    expect(text).toMatch(/^BROKEN at decision 3 \(.+\): it its content no longer matches/);
  });

  it('names the row after one that was removed', () => {
    tamper('DELETE FROM decisions WHERE seq = 2');
    expect(createDecisionsRepo(db).verify().broken).toMatchObject({ seq: 3, why: expect.stringMatching(/does not link/) as string });
  });

  it('catches a change whose hash was recomputed to hide it, at the row after it', () => {
    const row = db.prepare('SELECT * FROM decisions WHERE seq = 4').get() as DecisionRow;
    const forged = decisionHash({ ...row, actor: 'mallory' }, row.prev_hash);
    tamper(`UPDATE decisions SET actor = 'mallory', hash = '${forged}' WHERE seq = 4`);
    expect(createDecisionsRepo(db).verify().broken).toMatchObject({ seq: 5, why: expect.stringMatching(/does not link/) as string });
  });
});
