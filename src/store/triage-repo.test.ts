import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Triage } from '../domain/triage.ts';
import { tempDir } from '../testing/temp-dirs.ts';
import { openDatabase, type Db } from './db.ts';
import { createDecisionsRepo } from './decisions-repo.ts';
import { createTicketsRepo } from './tickets-repo.ts';
import { createTriageRepo } from './triage-repo.ts';

describe('the verdicts a language model’s confidence is calibrated on', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(join(dir.path, 'tandem.db'));
  });
  afterEach(() => {
    db.close();
    dir.cleanup();
  });

  it('pairs what the model said (before calibration) with whether a person accepted the reading, newest first', () => {
    const tickets = createTicketsRepo(db);
    const triage = createTriageRepo(db);
    const decisions = createDecisionsRepo(db);
    let n = 0;
    const read = (model: string, confidence: number, extra: Partial<Triage>, verdict: 'accepted' | 'overridden') => {
      const id = `t${++n}`;
      tickets.upsertMany([{ id: `w:${n}`, source: 'w', externalId: String(n), subject: 's', body: 'b', requester: { name: 'A', email: 'a@example.com' }, channel: 'email', createdAt: n, contentHash: `h${n}` }], n);
      triage.insert({ id, ticketId: `w:${n}`, intent: 'refund_request', confidence, rationale: 'r', alternatives: [], fields: {}, model, createdAt: n, ...extra }, `i${n}`);
      decisions.insert({ id: randomUUID(), ticketId: `w:${n}`, kind: 'triage', triageId: id, runId: null, stepId: null, mapId: null, mapVersion: null, actor: 'ann', decidedAt: n, suggested: 'refund_request', final: verdict === 'accepted' ? 'refund_request' : 'other', verdict, confidence, reason: null, decisionMs: null });
    };
    read('llm:gpt@api', 0.9, {}, 'accepted'); // from before calibration: its confidence is what the model said
    read('llm:gpt@api', 0.7, { rawConfidence: 0.95 }, 'overridden'); // calibrated to 70%; the model said 95%
    read('local-svm@2', 0.8, {}, 'accepted'); // the local model is calibrated on its own
    read('llm:gpt@api', 0, { escalation: 'invalid output' }, 'overridden'); // no confidence to learn from
    expect(triage.llmVerdicts()).toEqual([
      { confidence: 0.95, correct: false },
      { confidence: 0.9, correct: true },
    ]);
    expect(triage.llmVerdicts(1)).toHaveLength(1);
  });
});
