import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/db.ts';
import { createDecisionsRepo, type DecisionsRepo } from '../store/decisions-repo.ts';
import { tempDir } from '../testing/temp-dirs.ts';
import { demotionEvidence, DEFAULT_DEMOTION } from './demotion.ts';
import { wilsonLower } from './stats.ts';
import { autoRun, failRun, promote, revertRun } from '../testing/reverts.ts';

describe('demotionEvidence counts failed and reverted automatic runs', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: Db;
  let repo: DecisionsRepo;
  beforeEach(() => {
    dir = tempDir();
    db = openDatabase(`${dir.path}/tandem.db`);
    repo = createDecisionsRepo(db);
    promote(repo);
  });
  afterEach(() => {
    db.close();
    dir.cleanup();
  });
  const evidence = () => demotionEvidence(db, 'refund', 'refund', DEFAULT_DEMOTION);

  it('demotes a step none of whose runs failed when enough of them were reverted, and says so', () => {
    for (let i = 0; i < 3; i++) autoRun(repo, i);
    expect(evidence()).toMatchObject({ demote: false, runs: 3, failures: 0, reverted: 0, bad: 0 });
    revertRun(repo, 0);
    revertRun(repo, 2);
    const e = evidence();
    // Hand computation: Wilson lower bound of 2 of 3 at z = 1.96 is 0.2077 (20.8%), above the 5% tolerated.
    expect(e.lower).toBeCloseTo(0.2077, 4);
    expect(e).toMatchObject({ demote: true, runs: 3, failures: 0, reverted: 2, bad: 2 });
    expect(e.why).toBe('2 of the last 3 automatic runs went wrong (0 failed, 2 reverted by hand): the rate is at least 20.8% at 95%, above the 5.0% tolerated');
  });

  it('counts a run that failed and was reverted once, and adds failures and reverts of different runs', () => {
    for (let i = 0; i < 30; i++) autoRun(repo, i);
    failRun(repo, 4);
    revertRun(repo, 4); // failed, then retried by hand and found wrong: one bad run
    revertRun(repo, 9);
    failRun(repo, 20);
    const e = evidence();
    expect(e).toMatchObject({ runs: 30, failures: 2, reverted: 2, bad: 3 });
    expect(e.lower).toBe(wilsonLower(3, 30));
    expect(e.lower).toBeCloseTo(0.0346, 4); // 3 of 30: within 5%
    expect(e.demote).toBe(false);
    expect(e.why).toBe('3 of the last 30 automatic runs went wrong (2 failed, 2 reverted by hand): the rate is at least 3.5% at 95%, within the 5.0% tolerated');
    // Two more reverts make 5 of 30: at least 7.3%, above.
    revertRun(repo, 25);
    revertRun(repo, 26);
    expect(evidence()).toMatchObject({ demote: true, failures: 2, reverted: 4, bad: 5 });
    expect(wilsonLower(5, 30)).toBeCloseTo(0.0734, 4);
  });

  it('leaves out reverts of runs from before the step was last promoted to auto', () => {
    for (let i = 0; i < 3; i++) autoRun(repo, i);
    revertRun(repo, 0);
    revertRun(repo, 1);
    promote(repo); // the lead promoted it again: what happened since is what counts
    for (let i = 3; i < 6; i++) autoRun(repo, i);
    revertRun(repo, 2); // a late revert of a run from before the promotion
    expect(evidence()).toMatchObject({ demote: false, runs: 3, failures: 0, reverted: 0, bad: 0 });
  });
});
